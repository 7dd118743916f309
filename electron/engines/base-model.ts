// The base model of an engine job: a local Hugging Face folder the engine will load (nothing is downloaded), of an
// architecture MedBridge can bring back (its converter's families), and the same architecture as the pack the
// source run was trained on when that pack is a VLM. A hub id is refused unless the user asks for it explicitly.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { isAbsolutePath } from '../../shared/paths.ts';
import { HUB_ID_PATTERN } from '../../shared/api/local-path.ts';
import { SUPPORTED_VLM_ARCHITECTURES } from '../models/vlm-folder.ts';

export interface CheckedBaseModel {
  baseModel: string;
  /** config.json model_type; null for a hub id the user allowed. */
  architecture: string | null;
}

export function checkBaseModel(baseModel: string | undefined, allowHubId: boolean, packArchitecture: string | null): CheckedBaseModel {
  if (!baseModel)
    throw new AppError(
      'export/base-model-required',
      'Give the base model as a local Hugging Face folder (--base-model /path/to/model, the folder with config.json and the .safetensors weights).',
      {},
    );
  if (!existsSync(baseModel)) {
    if (!isAbsolutePath(baseModel) && HUB_ID_PATTERN.test(baseModel)) {
      if (allowHubId) return { baseModel, architecture: null };
      throw new AppError(
        'export/hub-id-refused',
        `"${baseModel}" is a model-hub id: the engine would download it, which a hospital network does not allow. Give the local folder of the model, or pass --allow-hub-id if the GPU server may download it.`,
        { baseModel },
      );
    }
    throw new AppError('export/base-model-missing', `There is no model folder at ${baseModel}.`, { baseModel });
  }
  if (!statSync(baseModel).isDirectory()) throw new AppError('export/base-model-missing', `${baseModel} is a file; give the model's folder.`, { baseModel });
  let config: { model_type?: unknown };
  try {
    config = JSON.parse(readFileSync(join(baseModel, 'config.json'), 'utf8')) as { model_type?: unknown };
  } catch {
    throw new AppError('export/base-model-invalid', `${baseModel} has no readable config.json: it is not a Hugging Face model folder (config.json).`, {
      baseModel,
      file: 'config.json',
    });
  }
  const architecture = typeof config.model_type === 'string' ? config.model_type : '(none)';
  if (!(SUPPORTED_VLM_ARCHITECTURES as readonly string[]).includes(architecture)) {
    throw new AppError(
      'export/unsupported-architecture',
      `The base model's model_type "${architecture}" cannot be brought back into MedBridge (supported: ${SUPPORTED_VLM_ARCHITECTURES.join(', ')}) (config.json).`,
      { baseModel, file: 'config.json' },
    );
  }
  if (packArchitecture && packArchitecture !== architecture) {
    throw new AppError(
      'export/base-architecture-mismatch',
      `The base model is a ${architecture} model but the run was trained on a ${packArchitecture} pack; export with a base model of the same architecture (config.json).`,
      { baseModel, file: 'config.json', packArchitecture },
    );
  }
  return { baseModel, architecture };
}
