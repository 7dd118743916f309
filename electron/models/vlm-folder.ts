// Checks a Hugging Face-style ONNX VLM folder (transformers.js layout) before anything is loaded:
// required files present, config.json readable, architecture supported (VLM_ARCHITECTURES: the small
// per-architecture table the runner follows) and the config fields transformers.js needs for it present.
// Names the file at fault.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from './manifest.ts';
import { ModelError } from './model-error.ts';
import { isFile } from './is-file.ts';
import type { ResizeGeometry } from './hf-image-geometry.ts';

/**
 * What differs between the VLM architectures the runner implements; everything else is one code path.
 * Data only (class names as transformers.js exports them); the runner resolves the classes.
 */
export interface VlmArchitecture {
  /** transformers.js model class (loads embed_tokens, vision_encoder, decoder_model_merged). */
  modelClass: 'LlavaForConditionalGeneration' | 'Qwen2VLForConditionalGeneration' | 'Qwen2_5_VLForConditionalGeneration' | 'Gemma3ForConditionalGeneration';
  /** transformers.js processor class, named here so a preprocessor_config.json without `processor_class` cannot silently give an image-only processor. */
  processorClass: 'LlavaProcessor' | 'Qwen2VLProcessor' | 'Qwen2_5_VLProcessor' | 'Gemma3Processor';
  /** Argument order of the processor call: LLaVA (images, text), Qwen2-VL and Gemma 3 (text, images). */
  processorCall: 'images-text' | 'text-images';
  /** Files besides config.json, the tokenizer files and preprocessor_config.json. */
  extraConfigFiles: readonly string[];
  /** Dotted config.json paths transformers.js 4.3.1 reads for this model_type (cache layout, image tokens, M-RoPE). */
  requiredConfig: readonly string[];
  /**
   * Image-processor settings that apply when preprocessor_config.json leaves them out (the Hugging Face
   * processor's own defaults; transformers.js would otherwise skip resizing/normalising). `size` carries
   * min/max pixels, so a file's `min_pixels`/`max_pixels` or `size` still wins.
   */
  imageProcessorDefaults: Readonly<Record<string, unknown>>;
  /** How the Hugging Face image processor picks the resized size (hf-image-geometry.ts). */
  resizeGeometry: ResizeGeometry;
  /**
   * Items per forward pass by default, as measured on CPU (npm run bench vlm-batch): LLaVA's fixed-size images batch
   * well; Qwen2-VL's vision tower attends over all patches of a batch under a per-image mask, whose cost grows with
   * the square of the batch, so on CPU one item per pass is fastest.
   */
  defaultBatchSize: number;
  /**
   * Gemma 3: the image tokens of one image attend to each other in both directions. transformers.js hands the decoder
   * no token types, so the converter's Gemma 3 decoder reads them from attention_mask (0 padding, 1 text, 2 image
   * token: IMAGE_TOKEN_MASK_VALUE) and the runner writes a 2 at every `image_token_index` position of the prompt.
   */
  imageTokensInAttentionMask: boolean;
}

/** attention_mask value of an image token in a Gemma 3 pack's decoder (resources/python/medbridge_convert/family_gemma3.py). */
export const IMAGE_TOKEN_MASK_VALUE = 2;

const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD = [0.26862954, 0.26130258, 0.27577711];
/** Qwen2-VL image processor defaults: bicubic smart resize to a multiple of patch × merge within [56², 28²·1280] pixels. */
const QWEN2_VL_IMAGE_DEFAULTS = {
  do_resize: true,
  size: { shortest_edge: 56 * 56, longest_edge: 28 * 28 * 1280 },
  resample: 3,
  do_rescale: true,
  rescale_factor: 1 / 255,
  do_normalize: true,
  image_mean: CLIP_MEAN,
  image_std: CLIP_STD,
  do_convert_rgb: true,
  patch_size: 14,
  temporal_patch_size: 2,
  merge_size: 2,
};
const QWEN_TOKENS = ['image_token_id', 'vision_start_token_id'];

export const VLM_ARCHITECTURES = {
  llava: {
    modelClass: 'LlavaForConditionalGeneration',
    processorClass: 'LlavaProcessor',
    processorCall: 'images-text',
    extraConfigFiles: ['processor_config.json'],
    requiredConfig: ['text_config.num_hidden_layers'],
    imageProcessorDefaults: {},
    resizeGeometry: 'shortest-edge',
    defaultBatchSize: 8,
    imageTokensInAttentionMask: false,
  },
  // transformers.js reads qwen2_vl's text sizes from the top level of config.json ...
  qwen2_vl: {
    modelClass: 'Qwen2VLForConditionalGeneration',
    processorClass: 'Qwen2VLProcessor',
    processorCall: 'text-images',
    extraConfigFiles: [],
    requiredConfig: ['num_hidden_layers', ...QWEN_TOKENS],
    imageProcessorDefaults: QWEN2_VL_IMAGE_DEFAULTS,
    resizeGeometry: 'smart-resize',
    defaultBatchSize: 1,
    imageTokensInAttentionMask: false,
  },
  // ... and qwen2_5_vl's from text_config; its vision graph takes `image_grid_thw` instead of `grid_thw`.
  qwen2_5_vl: {
    modelClass: 'Qwen2_5_VLForConditionalGeneration',
    processorClass: 'Qwen2_5_VLProcessor',
    processorCall: 'text-images',
    extraConfigFiles: [],
    requiredConfig: ['text_config.num_hidden_layers', ...QWEN_TOKENS],
    imageProcessorDefaults: QWEN2_VL_IMAGE_DEFAULTS,
    resizeGeometry: 'smart-resize',
    defaultBatchSize: 1,
    imageTokensInAttentionMask: false,
  },
  // Gemma 3 / MedGemma: SigLIP at a fixed size (bilinear resize to size.height × size.width), pooled to
  // image_seq_length tokens; bidirectional attention inside the image block (imageTokensInAttentionMask).
  gemma3: {
    modelClass: 'Gemma3ForConditionalGeneration',
    processorClass: 'Gemma3Processor',
    processorCall: 'text-images',
    extraConfigFiles: ['processor_config.json', 'chat_template.jinja'],
    requiredConfig: ['text_config.num_hidden_layers', 'image_token_index'],
    imageProcessorDefaults: {},
    resizeGeometry: 'shortest-edge',
    defaultBatchSize: 8,
    imageTokensInAttentionMask: true,
  },
} as const satisfies Record<string, VlmArchitecture>;
export type VlmArchitectureName = keyof typeof VLM_ARCHITECTURES;

/** Architectures (config.json `model_type`) the VLM runner implements; one image per prompt. */
export const SUPPORTED_VLM_ARCHITECTURES = Object.keys(VLM_ARCHITECTURES) as VlmArchitectureName[];
export type VlmDtype = 'fp32' | 'fp16' | 'q8' | 'q4';
/** transformers.js file suffix per dtype (fp32 has none). */
const DTYPE_SUFFIX: Record<VlmDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4' };
export const VLM_GRAPHS = ['embed_tokens', 'vision_encoder', 'decoder_model_merged'] as const;
/** Files every architecture needs (plus its `extraConfigFiles`). */
export const VLM_CONFIG_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

function isSupported(modelType: string): modelType is VlmArchitectureName {
  return Object.hasOwn(VLM_ARCHITECTURES, modelType);
}

function configPath(config: Record<string, unknown>, path: string): unknown {
  let at: unknown = config;
  for (const key of path.split('.')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

export interface VlmFolder {
  dir: string;
  architecture: VlmArchitectureName;
  spec: VlmArchitecture;
  config: Record<string, unknown>;
  /** Pack-relative ONNX files, per graph. */
  graphFiles: Record<(typeof VLM_GRAPHS)[number], string>;
  /** Every pack-relative file the model uses (config, tokenizer, graphs and their external data). */
  files: string[];
  hasManifest: boolean;
  /** Precision of the graphs (file suffix). */
  dtype: VlmDtype;
}

/** The precision whose three graphs are all in `onnx/` (fp32 first), or fp32 when none is complete. */
export async function detectVlmDtype(dir: string): Promise<VlmDtype> {
  for (const dtype of Object.keys(DTYPE_SUFFIX) as VlmDtype[]) {
    let all = true;
    for (const g of VLM_GRAPHS) if (!(await isFile(join(dir, 'onnx', `${g}${DTYPE_SUFFIX[dtype]}.onnx`)))) all = false;
    if (all) return dtype;
  }
  return 'fp32';
}

/** Graph file of a precision, pack-relative (transformers.js' naming). */
export function vlmGraphFile(graph: (typeof VLM_GRAPHS)[number], dtype: VlmDtype): string {
  return `onnx/${graph}${DTYPE_SUFFIX[dtype]}.onnx`;
}

export async function inspectVlmFolder(dir: string, requested?: VlmDtype): Promise<VlmFolder> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (cause) {
    throw new ModelError('model/missing-file', `model folder not found: ${dir}`, { file: '.', cause });
  }
  for (const f of VLM_CONFIG_FILES) {
    if (!(await isFile(join(dir, f)))) throw new ModelError('model/missing-file', 'VLM folder is missing a required file', { file: f });
  }
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ModelError('model/invalid-manifest', 'config.json is not valid JSON', { file: 'config.json', cause });
  }
  const architecture = typeof config.model_type === 'string' ? config.model_type : '(none)';
  if (!isSupported(architecture)) {
    throw new ModelError(
      'model/unsupported-architecture',
      `model_type "${architecture}" is not supported (supported: ${SUPPORTED_VLM_ARCHITECTURES.join(', ')})`,
      { file: 'config.json' },
    );
  }
  const spec: VlmArchitecture = VLM_ARCHITECTURES[architecture];
  for (const f of spec.extraConfigFiles) {
    if (!(await isFile(join(dir, f)))) throw new ModelError('model/missing-file', `a ${architecture} folder needs ${f}`, { file: f });
  }
  for (const path of spec.requiredConfig) {
    if (typeof configPath(config, path) !== 'number') {
      throw new ModelError('model/invalid-manifest', `config.json has no numeric ${path} (transformers.js reads it for ${architecture})`, {
        file: 'config.json',
      });
    }
  }
  const dtype = requested ?? (await detectVlmDtype(dir));
  const onnxDir = join(dir, 'onnx');
  const onnxFiles = await readdir(onnxDir).catch(() => [] as string[]);
  const graphFiles = {} as VlmFolder['graphFiles'];
  const files: string[] = [...VLM_CONFIG_FILES, ...spec.extraConfigFiles];
  for (const g of VLM_GRAPHS) {
    const rel = `onnx/${g}${DTYPE_SUFFIX[dtype]}.onnx`;
    if (!(await isFile(join(dir, rel)))) throw new ModelError('model/missing-file', `VLM folder has no ${dtype} ${g} graph`, { file: rel });
    graphFiles[g] = rel;
    files.push(rel);
    // external weights: <name>.onnx_data, <name>.onnx_data_1, ...
    const base = `${g}${DTYPE_SUFFIX[dtype]}.onnx_data`;
    for (const f of onnxFiles.filter((n) => n === base || n.startsWith(`${base}_`)).sort()) files.push(`onnx/${f}`);
  }
  if (await isFile(join(dir, 'generation_config.json'))) files.push('generation_config.json');
  return { dir, architecture, spec, config, graphFiles, files: files.sort(), hasManifest: await isFile(join(dir, MANIFEST_FILE)), dtype };
}
