// Opens the runner for a registered pack kind: the reference pack through onnxruntime-node, VLM folders through
// transformers.js (offline, cache inside the workspace). Vision-only packs are not runnable yet.
import { AppError } from '../../shared/errors.ts';
import { ReferencePackRunner, VlmPackRunner, isModelError, type ModelPackRunner } from '../models/index.ts';

export async function openRunner(kind: string, dir: string, workspaceDir: string): Promise<ModelPackRunner> {
  try {
    if (kind === 'reference') return await ReferencePackRunner.open(dir);
    if (kind === 'vlm') return await VlmPackRunner.open(dir, { workspaceDir });
  } catch (e) {
    throw toAppError(e, dir);
  }
  throw new AppError('model/unsupported-architecture', `Model packs of kind "${kind}" cannot score multiple-choice questions in this version of MedBridge.`, { kind });
}

/** A ModelError as a clinician-readable AppError with the same code and the file at fault. */
export function toAppError(e: unknown, dir: string): unknown {
  if (!isModelError(e)) return e;
  return new AppError(e.code, `The model pack at ${dir} cannot be used: ${e.message}. Re-export or re-copy the pack folder and try again.`, { path: dir, ...(e.file ? { file: e.file } : {}) });
}
