// Checks a Hugging Face-style ONNX VLM folder (transformers.js layout) before anything is loaded:
// required files present, config.json readable, architecture supported. Names the file at fault.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from './manifest.ts';
import { ModelError } from './model-error.ts';

/** Architectures whose prompt/image handling the VLM runner implements (one image replaces `<image>` tokens). */
export const SUPPORTED_VLM_ARCHITECTURES = ['llava'] as const;
export type VlmDtype = 'fp32' | 'fp16' | 'q8' | 'q4';
/** transformers.js file suffix per dtype (fp32 has none). */
const DTYPE_SUFFIX: Record<VlmDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4' };
export const VLM_GRAPHS = ['embed_tokens', 'vision_encoder', 'decoder_model_merged'] as const;
export const VLM_CONFIG_FILES = ['config.json', 'preprocessor_config.json', 'processor_config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

export interface VlmFolder {
  dir: string;
  architecture: string;
  config: Record<string, unknown>;
  /** Pack-relative ONNX files, per graph. */
  graphFiles: Record<(typeof VLM_GRAPHS)[number], string>;
  /** Every pack-relative file the model uses (config, tokenizer, graphs and their external data). */
  files: string[];
  hasManifest: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function inspectVlmFolder(dir: string, dtype: VlmDtype = 'fp32'): Promise<VlmFolder> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (cause) {
    throw new ModelError('model/missing-file', `model folder not found: ${dir}`, { file: '.', cause });
  }
  for (const f of VLM_CONFIG_FILES) {
    if (!(await exists(join(dir, f)))) throw new ModelError('model/missing-file', 'VLM folder is missing a required file', { file: f });
  }
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ModelError('model/invalid-manifest', 'config.json is not valid JSON', { file: 'config.json', cause });
  }
  const architecture = typeof config.model_type === 'string' ? config.model_type : '(none)';
  if (!(SUPPORTED_VLM_ARCHITECTURES as readonly string[]).includes(architecture)) {
    throw new ModelError(
      'model/unsupported-architecture',
      `model_type "${architecture}" is not supported (supported: ${SUPPORTED_VLM_ARCHITECTURES.join(', ')})`,
      { file: 'config.json' },
    );
  }
  const onnxDir = join(dir, 'onnx');
  const onnxFiles = await readdir(onnxDir).catch(() => [] as string[]);
  const graphFiles = {} as VlmFolder['graphFiles'];
  const files: string[] = [...VLM_CONFIG_FILES];
  for (const g of VLM_GRAPHS) {
    const rel = `onnx/${g}${DTYPE_SUFFIX[dtype]}.onnx`;
    if (!(await exists(join(dir, rel)))) throw new ModelError('model/missing-file', `VLM folder has no ${dtype} ${g} graph`, { file: rel });
    graphFiles[g] = rel;
    files.push(rel);
    // external weights: <name>.onnx_data, <name>.onnx_data_1, ...
    const base = `${g}${DTYPE_SUFFIX[dtype]}.onnx_data`;
    for (const f of onnxFiles.filter((n) => n === base || n.startsWith(`${base}_`)).sort()) files.push(`onnx/${f}`);
  }
  if (await exists(join(dir, 'generation_config.json'))) files.push('generation_config.json');
  return { dir, architecture, config, graphFiles, files: files.sort(), hasManifest: await exists(join(dir, MANIFEST_FILE)) };
}
