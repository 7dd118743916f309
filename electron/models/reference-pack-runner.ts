// Runs the reference pack (kind "reference": vision_encoder + option_encoder + answer_head ONNX graphs)
// through onnxruntime-node and answers the ModelPackRunner interface in batches.
// The reference model reads the image(s) and the option texts; it ignores the question text.
// Several images in one item: their embeddings are averaged.
// An optional fourth graph "adapterHead" (a trained adapter exported by `medbridge export`, electron/training/onnx/)
// turns (image embeds, option embeds, answer-head scores) into the option logits the runner reports.
import * as ort from 'onnxruntime-node';
import type { DecodedImage } from '../../shared/items.ts';
import {
  planExecutionProviders,
  probeExecutionProviders,
  type ExecutionProviderChoice,
  type ProbeOptions,
  type ProviderCandidate,
} from './execution-provider.ts';
import { PIXEL_CHANNELS, writePixelValues, type PixelNormalisation } from './image-resize.ts';
import { loadModelPack, type LoadModelPackOptions } from './load-model-pack.ts';
import type { GraphSpec, ModelPackManifest } from './manifest.ts';
import { ModelError } from './model-error.ts';
import type { FeatureDims, ItemScores, McItemInput, ModelPackRunner } from './model-pack-runner.ts';
import { openSessions } from './onnx-sessions.ts';
import { textHashEmbedding } from './text-hash-embedding.ts';
import { validateItem } from './validate-item.ts';

export const DEFAULT_REFERENCE_BATCH_SIZE = 64;
const GRAPH_KEYS = ['vision', 'optionEncoder', 'answerHead'] as const;
type GraphKey = (typeof GRAPH_KEYS)[number];
const ADAPTER_HEAD_KEY = 'adapterHead';
type Sessions = Record<GraphKey, ort.InferenceSession> & { adapterHead?: ort.InferenceSession };
/** Distinct option texts remembered per runner before the memo starts over. */
const OPTION_HASH_MEMO_LIMIT = 50_000;

interface PreparedBatch {
  items: readonly McItemInput[];
  pixels: Float32Array;
  imageCount: number;
  hashes: Float32Array;
  mMax: number;
}

export interface ReferencePackOptions extends LoadModelPackOptions, ProbeOptions {
  /** Items per ONNX call (default 64). */
  batchSize?: number;
  /** Provider candidates to try, in order (default: planned from this machine). */
  providers?: readonly ProviderCandidate[];
}

export class ReferencePackRunner implements ModelPackRunner {
  readonly kind = 'reference' as const;
  private readonly hashMemo = new Map<string, Float32Array>();

  private constructor(
    readonly manifest: ModelPackManifest,
    readonly packId: string,
    readonly executionProvider: ExecutionProviderChoice,
    private readonly sessions: Sessions,
    private readonly norm: PixelNormalisation,
    private readonly hashDim: number,
    private readonly batchSize: number,
  ) {}

  get label(): string {
    return this.manifest.label;
  }

  get featureDims(): FeatureDims {
    return this.manifest.featureDims;
  }

  static async open(dir: string, options: ReferencePackOptions = {}): Promise<ReferencePackRunner> {
    const pack = await loadModelPack(dir, options);
    const m = pack.manifest;
    if (m.kind !== 'reference') throw new ModelError('model/unsupported-architecture', `pack kind is ${m.kind}, expected reference`, { file: 'manifest.json' });
    const graphs = {} as Record<GraphKey, GraphSpec> & { adapterHead?: GraphSpec };
    for (const k of GRAPH_KEYS) {
      const g = m.graphs[k];
      if (!g) throw new ModelError('model/unsupported-architecture', `manifest has no "${k}" graph`, { file: 'manifest.json' });
      graphs[k] = g;
    }
    const adapterHead = m.graphs[ADAPTER_HEAD_KEY];
    if (adapterHead) {
      if (adapterHead.inputs.length !== 3)
        throw new ModelError('model/unsupported-architecture', 'the "adapterHead" graph needs three inputs (image embeds, option embeds, scores)', {
          file: 'manifest.json',
        });
      graphs.adapterHead = adapterHead;
    }
    const pre = m.preprocessing;
    const text = m.textEncoding;
    if (!pre || !text || pre.size[0] !== pre.size[1] || pre.channels !== PIXEL_CHANNELS) {
      throw new ModelError('model/unsupported-architecture', 'reference packs need square 3-channel input and a text encoding', { file: 'manifest.json' });
    }
    const providers = options.providers ?? planExecutionProviders(await probeExecutionProviders(options));
    // the adapter head is opened only when declared (the key is then present in `graphs`)
    const { sessions, choice } = await openSessions(dir, graphs as Record<GraphKey, GraphSpec>, providers);
    const norm: PixelNormalisation = { size: pre.size[0], mean: pre.mean, std: pre.std };
    return new ReferencePackRunner(m, pack.packId, choice, sessions, norm, text.dim, options.batchSize ?? DEFAULT_REFERENCE_BATCH_SIZE);
  }

  private graph(key: GraphKey | typeof ADAPTER_HEAD_KEY): GraphSpec {
    return this.manifest.graphs[key] as GraphSpec;
  }

  private async runVision(images: readonly DecodedImage[]): Promise<Float32Array> {
    const s = this.norm.size;
    const per = PIXEL_CHANNELS * s * s;
    const pixels = new Float32Array(images.length * per);
    images.forEach((img, i) => writePixelValues(img, this.norm, pixels, i * per));
    const g = this.graph('vision');
    const out = await this.sessions.vision.run({ [g.inputs[0] as string]: new ort.Tensor('float32', pixels, [images.length, PIXEL_CHANNELS, s, s]) });
    return (out[g.outputs[0] as string] as ort.Tensor).data as Float32Array;
  }

  async embedImages(images: readonly DecodedImage[]): Promise<Float32Array[]> {
    const dv = this.featureDims.image;
    const out: Float32Array[] = [];
    for (let start = 0; start < images.length; start += this.batchSize) {
      const chunk = images.slice(start, start + this.batchSize);
      const flat = await this.runVision(chunk);
      for (let i = 0; i < chunk.length; i++) out.push(flat.slice(i * dv, (i + 1) * dv));
    }
    return out;
  }

  async scoreItems(items: readonly McItemInput[]): Promise<ItemScores[]> {
    items.forEach(validateItem);
    const out: ItemScores[] = [];
    // onnxruntime-node runs a session synchronously on the calling thread (its pool threads join in), so
    // batches are prepared and run one after the other: a prepare-ahead would not overlap with it.
    for (let start = 0; start < items.length; start += this.batchSize) {
      out.push(...(await this.runPrepared(this.prepare(items.slice(start, start + this.batchSize)))));
    }
    return out;
  }

  /** Pixels and hashed option texts for one batch (pure CPU work). */
  private prepare(items: readonly McItemInput[]): PreparedBatch {
    const s = this.norm.size;
    const per = PIXEL_CHANNELS * s * s;
    const flatImages = items.flatMap((it) => it.images);
    const pixels = new Float32Array(flatImages.length * per);
    flatImages.forEach((img, i) => writePixelValues(img, this.norm, pixels, i * per));
    const mMax = Math.max(...items.map((it) => it.options.length));
    const hashes = new Float32Array(items.length * mMax * this.hashDim);
    items.forEach((it, i) => it.options.forEach((text, j) => hashes.set(this.optionHash(text), (i * mMax + j) * this.hashDim)));
    return { items, pixels, imageCount: flatImages.length, hashes, mMax };
  }

  /** Option texts repeat across items (class names, yes/no): each is hashed once per runner. */
  private optionHash(text: string): Float32Array {
    let h = this.hashMemo.get(text);
    if (!h) {
      h = textHashEmbedding(text, this.hashDim);
      if (this.hashMemo.size >= OPTION_HASH_MEMO_LIMIT) this.hashMemo.clear();
      this.hashMemo.set(text, h);
    }
    return h;
  }

  private async runPrepared(p: PreparedBatch): Promise<ItemScores[]> {
    const { image: dv, option: dt } = this.featureDims;
    const { items, mMax } = p;
    const b = items.length;
    const s = this.norm.size;
    const g = this.graph('vision');
    const oe = this.graph('optionEncoder');
    const visionOut = await this.sessions.vision.run({ [g.inputs[0] as string]: new ort.Tensor('float32', p.pixels, [p.imageCount, PIXEL_CHANNELS, s, s]) });
    const optOut = await this.sessions.optionEncoder.run({ [oe.inputs[0] as string]: new ort.Tensor('float32', p.hashes, [b, mMax, this.hashDim]) });
    const imageFlat = (visionOut[g.outputs[0] as string] as ort.Tensor).data as Float32Array;
    // the mean image embedding per item (items may carry several images)
    const imageEmbeds = new Float32Array(b * dv);
    let row = 0;
    items.forEach((it, i) => {
      for (let k = 0; k < it.images.length; k++, row++) {
        for (let d = 0; d < dv; d++) imageEmbeds[i * dv + d]! += (imageFlat[row * dv + d] as number) / it.images.length;
      }
    });
    const optionEmbeds = (optOut[oe.outputs[0] as string] as ort.Tensor).data as Float32Array;
    const ah = this.graph('answerHead');
    const headOut = await this.sessions.answerHead.run({
      [ah.inputs[0] as string]: new ort.Tensor('float32', imageEmbeds, [b, dv]),
      [ah.inputs[1] as string]: new ort.Tensor('float32', optionEmbeds, [b, mMax, dt]),
    });
    let scores = (headOut[ah.outputs[0] as string] as ort.Tensor).data as Float32Array;
    if (this.sessions.adapterHead) {
      const ad = this.graph(ADAPTER_HEAD_KEY);
      const adapted = await this.sessions.adapterHead.run({
        [ad.inputs[0] as string]: new ort.Tensor('float32', imageEmbeds, [b, dv]),
        [ad.inputs[1] as string]: new ort.Tensor('float32', optionEmbeds, [b, mMax, dt]),
        [ad.inputs[2] as string]: new ort.Tensor('float32', scores, [b, mMax]),
      });
      scores = (adapted[ad.outputs[0] as string] as ort.Tensor).data as Float32Array;
    }
    return items.map((it, i) => ({
      baseLogits: scores.slice(i * mMax, i * mMax + it.options.length),
      imageFeatures: imageEmbeds.slice(i * dv, (i + 1) * dv),
      optionFeatures: it.options.map((_, j) => optionEmbeds.slice((i * mMax + j) * dt, (i * mMax + j + 1) * dt)),
    }));
  }

  async dispose(): Promise<void> {
    await Promise.all([...GRAPH_KEYS.map((k) => this.sessions[k].release()), this.sessions.adapterHead?.release()]);
  }
}
