// Runs a Hugging Face-style ONNX VLM folder (transformers.js layout) fully offline and answers the
// ModelPackRunner interface:
//   baseLogits     — last-position logits of one forward pass over the chat-templated prompt
//                    (image, question, lettered options, "Answer with the letter."), restricted to the
//                    option-letter token ids;
//   imageFeatures  — the vision encoder's output averaged over its rows (LLaVA: patches [1, N, H];
//                    Qwen2-VL: merged patch tokens [N/merge², H]);
//   optionFeatures — embed_tokens output averaged over each option's tokens.
// `sample()` draws free-form answers with a seeded temperature / top-p sampler.
// Architectures (llava, qwen2_vl, qwen2_5_vl, gemma3) differ only through the VLM_ARCHITECTURES table in
// vlm-folder.ts: model and processor class, processor argument order, image-processor defaults.
// Qwen2-VL's M-RoPE position ids [3, b, s] and flattened patches + grid come from transformers.js itself.
// One image per prompt (LLaVA expands only the first `<image>`); items are scored batchSize at a time (vlm-batch.ts).
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  Gemma3ForConditionalGeneration,
  Gemma3Processor,
  LlavaForConditionalGeneration,
  LlavaProcessor,
  LogitsProcessor,
  LogitsProcessorList,
  Qwen2VLForConditionalGeneration,
  Qwen2VLProcessor,
  Qwen2_5_VLForConditionalGeneration,
  Qwen2_5_VLProcessor,
  RawImage,
  Tensor,
  env,
} from '@huggingface/transformers';
import type { DecodedImage } from '../../shared/items.ts';
import { createRng } from '../../shared/random.ts';
import {
  createWithFallback,
  planExecutionProviders,
  probeExecutionProviders,
  type ExecutionProviderChoice,
  type ProbeOptions,
  type ProviderCandidate,
} from './execution-provider.ts';
import { loadModelPack, type LoadModelPackOptions } from './load-model-pack.ts';
import { chatMessages, multipleChoiceText, optionLetters } from './mc-prompt.ts';
import { ModelError } from './model-error.ts';
import { NO_SPINNING } from './onnx-sessions.ts';
import type { FeatureDims, ItemScores, McItemInput, ModelPackRunner } from './model-pack-runner.ts';
import { computePackId } from './pack-identity.ts';
import { sha256File } from './file-hash.ts';
import { validateItem } from './validate-item.ts';
import { hfResizeTarget } from './hf-image-geometry.ts';
import { resamplePil } from './pil-resample.ts';
import { collateVlmInputs, splitImageFeatures } from './vlm-batch.ts';
import { sampleToken, type SamplingOptions } from './token-sampler.ts';
import { IMAGE_TOKEN_MASK_VALUE, inspectVlmFolder, type VlmArchitecture, type VlmDtype, type VlmFolder } from './vlm-folder.ts';
import * as ort from 'onnxruntime-node';

export const DEFAULT_MAX_NEW_TOKENS = 64;
/** Items per forward pass when the architecture says nothing else (VlmArchitecture.defaultBatchSize, measured). */
export const DEFAULT_VLM_BATCH_SIZE = 8;
/** Folder inside the workspace where transformers.js may keep its cache (never filled from the network). */
export const VLM_CACHE_SUBDIR = 'model-cache';

export interface VlmPackOptions extends ProbeOptions, Pick<LoadModelPackOptions, 'verifyHashes' | 'onHashed'> {
  /** A writable folder inside the workspace; transformers.js' cache dir goes there. */
  workspaceDir: string;
  dtype?: VlmDtype;
  providers?: readonly ProviderCandidate[];
  /** Items per forward pass when scoring (default DEFAULT_VLM_BATCH_SIZE). */
  batchSize?: number;
}

export interface FreeFormRequest {
  images: readonly DecodedImage[];
  question: string;
}

export interface FreeFormOptions extends SamplingOptions {
  seed: number;
  maxNewTokens?: number;
}

// Narrow views of transformers.js objects (its published types mark these helpers internal).
interface TokenizerLike {
  apply_chat_template(messages: unknown, options: Record<string, unknown>): string;
  encode(text: string, options?: Record<string, unknown>): number[];
  convert_tokens_to_ids(tokens: string[]): number[];
  decode(ids: number[] | bigint[], options?: Record<string, unknown>): string;
  unk_token_id?: number | null;
}
interface ImageProcessorLike {
  config: Record<string, unknown>;
  (images: RawImage): Promise<Record<string, Tensor | unknown>>;
}
interface ProcessorLike {
  tokenizer: TokenizerLike;
  image_processor: ImageProcessorLike;
  components: Record<string, unknown>;
  (first: RawImage | string, second: RawImage | string): Promise<Record<string, Tensor>>;
}
interface ModelLike {
  (inputs: Record<string, Tensor>): Promise<{ logits: Tensor }>;
  /** Vision inputs: `pixel_values` (+ `image_grid_thw` for Qwen2-VL); the graph picks what it declares. */
  encode_image(inputs: Record<string, Tensor>): Promise<Tensor>;
  encode_text(inputs: { input_ids: Tensor }): Promise<Tensor>;
  generate(options: Record<string, unknown>): Promise<Tensor>;
  dispose(): Promise<unknown>;
}

interface Loadable<T> {
  from_pretrained(id: string, options: Record<string, unknown>): Promise<T>;
}
// The classes VLM_ARCHITECTURES names (transformers.js' published types are narrower than these calls).
const MODEL_CLASSES: Record<VlmArchitecture['modelClass'], Loadable<unknown>> = {
  LlavaForConditionalGeneration,
  Qwen2VLForConditionalGeneration,
  Qwen2_5_VLForConditionalGeneration,
  Gemma3ForConditionalGeneration,
};
const PROCESSOR_CLASSES: Record<VlmArchitecture['processorClass'], Loadable<unknown>> = {
  LlavaProcessor,
  Qwen2VLProcessor,
  Qwen2_5_VLProcessor,
  Gemma3Processor,
};
/** Input names of the image processor's output that the vision encoder may take. */
const VISION_INPUTS = ['pixel_values', 'image_grid_thw'] as const;

/**
 * Settings preprocessor_config.json leaves out take the architecture's defaults: the image processor is
 * rebuilt from (defaults overlaid by the file), so what the file says always wins.
 */
function applyImageProcessorDefaults(processor: ProcessorLike, spec: VlmArchitecture): void {
  const current = processor.image_processor;
  if (Object.keys(spec.imageProcessorDefaults).length === 0) return;
  const ctor = current.constructor as new (config: Record<string, unknown>) => ImageProcessorLike;
  processor.components.image_processor = new ctor({ ...spec.imageProcessorDefaults, ...current.config });
}

function visionInputs(inputs: Record<string, unknown>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const k of VISION_INPUTS) if (inputs[k] instanceof Tensor) out[k] = inputs[k];
  return out;
}

// transformers.js reads its settings from one global `env`; loads are serialised so two packs never mix them.
let loadQueue: Promise<unknown> = Promise.resolve();
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = loadQueue.then(fn, fn);
  loadQueue = run.catch(() => undefined);
  return run;
}

function toRawImage(image: DecodedImage): RawImage {
  return new RawImage(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height, image.channels);
}

function meanRows(data: Float32Array, rows: number, width: number, from = 0): Float32Array {
  const out = new Float32Array(width);
  for (let r = from; r < from + rows; r++) for (let d = 0; d < width; d++) out[d]! += (data[r * width + d] as number) / rows;
  return out;
}

/** Forces the token chosen by a seeded sampler, so `generate` (run greedy) follows our RNG only. */
class SeededSamplingProcessor extends LogitsProcessor {
  constructor(
    private readonly options: SamplingOptions,
    private readonly rng: ReturnType<typeof createRng>,
  ) {
    super();
  }

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const data = logits.data as Float32Array;
    const vocab = logits.dims.at(-1) as number;
    for (let b = 0; b * vocab < data.length; b++) {
      const row = data.subarray(b * vocab, (b + 1) * vocab);
      const chosen = sampleToken(row, this.options, this.rng);
      row.fill(-Infinity);
      row[chosen] = 0;
    }
    return logits;
  }
}

async function folderPackId(folder: VlmFolder, onHashed?: LoadModelPackOptions['onHashed']): Promise<string> {
  const digests = [];
  for (const f of folder.files) digests.push({ path: f, sha256: await sha256File(join(folder.dir, f), onHashed ? (n) => onHashed(n, f) : undefined) });
  return computePackId(digests);
}

/** On a failed load, finds the first graph ONNX Runtime itself cannot open. */
async function findCorruptGraph(folder: VlmFolder): Promise<string | null> {
  for (const rel of Object.values(folder.graphFiles)) {
    try {
      const s = await ort.InferenceSession.create(join(folder.dir, rel), { executionProviders: ['cpu'] });
      await s.release();
    } catch {
      return rel;
    }
  }
  return null;
}

export class VlmPackRunner implements ModelPackRunner {
  readonly kind = 'vlm' as const;

  private constructor(
    readonly packId: string,
    readonly label: string,
    readonly executionProvider: ExecutionProviderChoice,
    readonly featureDims: FeatureDims,
    readonly architecture: string,
    private readonly spec: VlmArchitecture,
    private readonly processor: ProcessorLike,
    private readonly model: ModelLike,
    /** Items per forward pass (scoreItems). */
    readonly batchSize: number,
    /** config.json `image_token_index` (LLaVA, Gemma 3), read where the image tokens are marked. */
    private readonly imageTokenIndex: number | null,
  ) {}

  static async open(dir: string, options: VlmPackOptions): Promise<VlmPackRunner> {
    const absDir = resolve(dir);
    const folder = await inspectVlmFolder(absDir, options.dtype);
    const dtype = folder.dtype;
    let packId: string;
    let label = `${basename(absDir)} (VLM) - not a medical device`;
    if (folder.hasManifest) {
      const pack = await loadModelPack(absDir, { verifyHashes: options.verifyHashes ?? true, ...(options.onHashed ? { onHashed: options.onHashed } : {}) });
      if (pack.manifest.kind !== 'vlm')
        throw new ModelError('model/unsupported-architecture', `pack kind is ${pack.manifest.kind}, expected vlm`, { file: 'manifest.json' });
      packId = pack.packId;
      label = pack.manifest.label;
    } else {
      packId = await folderPackId(folder, options.onHashed);
    }
    const cacheDir = join(resolve(options.workspaceDir), VLM_CACHE_SUBDIR);
    await mkdir(cacheDir, { recursive: true });
    const providers = options.providers ?? planExecutionProviders(await probeExecutionProviders(options));
    // int8 graphs quantise activations per call (dynamic scales): an item's scores would depend on the other items in
    // its batch, so quantised packs score one item per pass unless asked otherwise
    const quantised = dtype === 'q8' || dtype === 'q4';
    const batchSize = options.batchSize ?? (quantised ? 1 : (folder.spec.defaultBatchSize ?? DEFAULT_VLM_BATCH_SIZE));
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ModelError('model/invalid-input', `batch size must be a whole number ≥ 1 (got ${batchSize})`);
    const { processor, model, choice } = await serialised(async () => {
      env.allowRemoteModels = false;
      env.allowLocalModels = true;
      env.localModelPath = dirname(absDir) + '/';
      env.cacheDir = cacheDir;
      const id = basename(absDir);
      try {
        const processor = (await PROCESSOR_CLASSES[folder.spec.processorClass].from_pretrained(id, { local_files_only: true })) as ProcessorLike;
        applyImageProcessorDefaults(processor, folder.spec);
        const modelClass = MODEL_CLASSES[folder.spec.modelClass];
        const { value: model, choice } = await createWithFallback(
          providers,
          async (device) =>
            (await modelClass.from_pretrained(id, { dtype, device, local_files_only: true, session_options: { extra: NO_SPINNING } })) as ModelLike,
        );
        return { processor, model, choice };
      } catch (cause) {
        if (cause instanceof ModelError) throw cause;
        const corrupt = await findCorruptGraph(folder);
        if (corrupt) throw new ModelError('model/corrupt-onnx', 'ONNX Runtime cannot load the graph', { file: corrupt, cause });
        throw new ModelError(
          'model/unsupported-architecture',
          `transformers.js could not load the folder: ${cause instanceof Error ? cause.message : String(cause)}`,
          { file: 'config.json', cause },
        );
      }
    });
    // LLaVA and qwen2_5_vl nest the language model's sizes in text_config; qwen2_vl keeps them at the top level
    const textConfig = (folder.config.text_config ?? folder.config) as { hidden_size?: number };
    const hidden = textConfig.hidden_size ?? 0;
    const imageTokenIndex = typeof folder.config.image_token_index === 'number' ? folder.config.image_token_index : null;
    return new VlmPackRunner(
      packId,
      label,
      choice,
      { image: hidden, option: hidden },
      folder.architecture,
      folder.spec,
      processor,
      model,
      batchSize,
      imageTokenIndex,
    );
  }

  /** Token id of each option letter as the model would write it after the prompt. */
  letterTokenIds(count: number): number[] {
    const tok = this.processor.tokenizer;
    return optionLetters(count).map((letter) => {
      const ids = tok.encode(letter, { add_special_tokens: false });
      if (ids.length === 1) return ids[0] as number;
      const [direct] = tok.convert_tokens_to_ids([letter]);
      if (direct === undefined || direct === null || direct === tok.unk_token_id) {
        throw new ModelError('model/unsupported-architecture', `tokenizer has no single token for option letter ${letter}`, { file: 'tokenizer.json' });
      }
      return direct;
    });
  }

  private prompt(text: string): string {
    return this.processor.tokenizer.apply_chat_template(chatMessages(text), { add_generation_prompt: true, tokenize: false });
  }

  /**
   * The image resized as the model's Hugging Face image processor resizes it (size rule and Pillow's filter), so
   * transformers.js, which skips resizing an image already at its target size, sees exactly transformers' pixels.
   */
  private resized(image: DecodedImage): RawImage {
    const config = this.processor.image_processor.config;
    const target = hfResizeTarget(this.spec.resizeGeometry, config, image.width, image.height);
    const resample = typeof config.resample === 'number' ? config.resample : 3;
    return toRawImage(target ? resamplePil(image, target.width, target.height, resample) : image);
  }

  /** Chat-templated text + one image through the processor: input_ids, attention_mask and the vision inputs. */
  private async inputs(image: DecodedImage, text: string): Promise<Record<string, Tensor>> {
    const raw = this.resized(image);
    const prompt = this.prompt(text);
    const inputs = this.spec.processorCall === 'images-text' ? await this.processor(raw, prompt) : await this.processor(prompt, raw);
    if (this.spec.imageTokensInAttentionMask) this.markImageTokens(inputs);
    return inputs;
  }

  /** Writes IMAGE_TOKEN_MASK_VALUE into attention_mask wherever input_ids holds the image token (Gemma 3; see VlmArchitecture). */
  private markImageTokens(inputs: Record<string, Tensor>): void {
    const ids = inputs.input_ids?.data as BigInt64Array | undefined;
    const mask = inputs.attention_mask?.data as BigInt64Array | undefined;
    if (!ids || !mask || this.imageTokenIndex === null)
      throw new ModelError('model/invalid-input', 'the processor returned no input_ids/attention_mask, or config.json has no image_token_index', {
        file: 'config.json',
      });
    const image = BigInt(this.imageTokenIndex);
    for (let i = 0; i < ids.length; i++) if (ids[i] === image && mask[i] !== 0n) mask[i] = BigInt(IMAGE_TOKEN_MASK_VALUE);
  }

  async embedImages(images: readonly DecodedImage[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const img of images) out.push(await this.imageFeatures(visionInputs(await this.processor.image_processor(this.resized(img)))));
    return out;
  }

  /** The vision encoder's output rows (patches or merged patch tokens) averaged: one vector of the text hidden size. */
  private async imageFeatures(vision: Record<string, Tensor>): Promise<Float32Array> {
    const feats = await this.model.encode_image(vision);
    const h = feats.dims.at(-1) as number;
    const data = feats.data as Float32Array;
    return meanRows(data, data.length / h, h);
  }

  private async optionFeatures(options: readonly string[]): Promise<Float32Array[]> {
    const tok = this.processor.tokenizer;
    const ids = options.map((o) => tok.encode(o, { add_special_tokens: false }));
    const flat = ids.flat();
    if (ids.some((x) => x.length === 0)) throw new ModelError('model/invalid-input', 'an option has no tokens');
    // embed_tokens is a per-token lookup, so all options go through in one call
    const emb = await this.model.encode_text({ input_ids: new Tensor('int64', BigInt64Array.from(flat.map(BigInt)), [1, flat.length]) });
    const h = emb.dims.at(-1) as number;
    const data = emb.data as Float32Array;
    let from = 0;
    return ids.map((x) => {
      const mean = meanRows(data, x.length, h, from);
      from += x.length;
      return mean;
    });
  }

  /**
   * Scores items `batchSize` at a time: each item's prompt and image go through the processor on their own, then
   * the batch is one forward pass (vlm-batch.ts: prompts left-padded, attention mask, vision inputs concatenated,
   * images of different sizes allowed) and one vision pass for the image features.
   */
  async scoreItems(items: readonly McItemInput[]): Promise<ItemScores[]> {
    items.forEach(validateItem);
    const out: ItemScores[] = [];
    for (let from = 0; from < items.length; from += this.batchSize) out.push(...(await this.scoreBatch(items.slice(from, from + this.batchSize))));
    return out;
  }

  private async scoreBatch(items: readonly McItemInput[]): Promise<ItemScores[]> {
    const each: Record<string, Tensor>[] = [];
    for (const item of items) each.push(await this.inputs(item.images[0] as DecodedImage, multipleChoiceText(item.question, item.options)));
    const batch = collateVlmInputs(each, this.padTokenId());
    const { logits } = await this.model(batch);
    const [, seq, vocab] = logits.dims as [number, number, number];
    const data = logits.data as Float32Array;
    const features = splitImageFeatures(await this.model.encode_image(visionInputs(batch)), each, this.mergeLength());
    const out: ItemScores[] = [];
    for (const [b, item] of items.entries()) {
      // left padding: every prompt ends at the last position
      const last = data.subarray((b * seq + seq - 1) * vocab, (b * seq + seq) * vocab);
      out.push({
        baseLogits: Float32Array.from(this.letterTokenIds(item.options.length), (id) => last[id] as number),
        imageFeatures: features[b] as Float32Array,
        optionFeatures: await this.optionFeatures(item.options),
      });
    }
    return out;
  }

  private padTokenId(): number {
    const tok = this.processor.tokenizer as TokenizerLike & { pad_token_id?: number | null };
    return tok.pad_token_id ?? 0;
  }

  /** Image tokens per merged vision row group (Qwen2-VL: merge_size²; LLaVA: one row per patch). */
  private mergeLength(): number {
    const merge = this.processor.image_processor.config.merge_size;
    return typeof merge === 'number' ? merge * merge : 1;
  }

  /** Free-form answer: seeded temperature / top-p sampling, decoded without special tokens. */
  async sample(request: FreeFormRequest, options: FreeFormOptions): Promise<string> {
    return this.processor.tokenizer.decode(await this.sampleTokenIds(request, options), { skip_special_tokens: true }).trim();
  }

  /** The generated token ids of a seeded temperature / top-p sample (prompt excluded; stops at end of sequence). */
  async sampleTokenIds(request: FreeFormRequest, options: FreeFormOptions): Promise<number[]> {
    const image = request.images[0];
    if (!image) throw new ModelError('model/invalid-input', 'free-form request has no image');
    const inputs = await this.inputs(image, request.question.trim());
    const processors = new LogitsProcessorList();
    processors.push(new SeededSamplingProcessor({ temperature: options.temperature, topP: options.topP }, createRng(options.seed)));
    const sequences = await this.model.generate({
      ...inputs,
      do_sample: false,
      max_new_tokens: options.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS,
      logits_processor: processors,
    });
    const promptLength = (inputs.input_ids as Tensor).dims.at(-1) as number;
    return Array.from(sequences.data as BigInt64Array, Number).slice(promptLength);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
