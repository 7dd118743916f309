// Runs a vision-only pack (kind "vision": one ONNX image encoder, image → embedding, e.g. a MedViT-like tower)
// through onnxruntime-node. It answers the ImageEncoder interface only: a vision pack has no answer head, so it
// feeds the linear probe (and its feature cache) but cannot score multiple-choice items.
// Preprocessing comes from the manifest (size, mean, std; grey replicated to RGB) and is the same code path as the
// reference pack's vision graph (writePixelValues), so the same graph gives the same embeddings in both packs.
// The graph must take one float32 (batch, 3, H, H) input and give one (batch, featureDims.image) output; a fixed
// batch dimension in the graph (common in exports) is honoured by running that many images per call.
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
import { MANIFEST_FILE, VISION_GRAPH, type GraphSpec, type ModelPackManifest } from './manifest.ts';
import { ModelError } from './model-error.ts';
import type { FeatureDims, ImageEncoder } from './model-pack-runner.ts';
import { openSessions } from './onnx-sessions.ts';

export const DEFAULT_VISION_BATCH_SIZE = 64;

export interface VisionPackOptions extends LoadModelPackOptions, ProbeOptions {
  /** Images per ONNX call (default 64; a graph with a fixed batch dimension uses that instead). */
  batchSize?: number;
  /** Provider candidates to try, in order (default: planned from this machine). */
  providers?: readonly ProviderCandidate[];
}

type Dim = number | string;

function describeShape(shape: readonly Dim[]): string {
  return `(${shape.join(', ')})`;
}

/**
 * Checks the declared input/output shapes (where the graph states them) against the manifest, so a pack whose
 * preprocessing or featureDims disagree with its graph fails at open with the reason, not mid-job. Returns the
 * graph's fixed batch size, if it has one.
 */
function checkVisionGraph(session: ort.InferenceSession, g: GraphSpec, size: number, dv: number): number | null {
  const input = session.inputMetadata.find((x) => x.name === g.inputs[0]);
  const output = session.outputMetadata.find((x) => x.name === g.outputs[0]);
  const fail = (what: string) => new ModelError('model/unsupported-architecture', what, { file: g.file });
  let fixedBatch: number | null = null;
  if (input?.isTensor) {
    if (input.type !== 'float32') throw fail(`vision graph input ${input.name} is ${input.type}, expected float32 pixel values`);
    const shape = input.shape as readonly Dim[];
    if (shape.length > 0) {
      const expected: Dim[] = [PIXEL_CHANNELS, size, size];
      if (shape.length !== 4 || shape.slice(1).some((d, i) => typeof d === 'number' && d !== expected[i])) {
        throw fail(`vision graph input ${input.name} has shape ${describeShape(shape)}; the manifest's preprocessing gives (batch, ${expected.join(', ')})`);
      }
      if (typeof shape[0] === 'number' && shape[0] > 0) fixedBatch = shape[0];
    }
  }
  if (output?.isTensor) {
    const shape = output.shape as readonly Dim[];
    if (shape.length > 0 && (shape.length !== 2 || (typeof shape[1] === 'number' && shape[1] !== dv))) {
      throw fail(`vision graph output ${output.name} has shape ${describeShape(shape)}; expected (batch, ${dv}) as featureDims.image in ${MANIFEST_FILE} says`);
    }
  }
  return fixedBatch;
}

export class VisionPackRunner implements ImageEncoder {
  readonly kind = 'vision' as const;

  private constructor(
    readonly manifest: ModelPackManifest,
    readonly packId: string,
    readonly executionProvider: ExecutionProviderChoice,
    private readonly session: ort.InferenceSession,
    private readonly graph: GraphSpec,
    private readonly norm: PixelNormalisation,
    private readonly batchSize: number,
    /** The graph's batch dimension is fixed at `batchSize`: a shorter last batch is padded with zero images. */
    private readonly fixedBatch: boolean,
  ) {}

  get label(): string {
    return this.manifest.label;
  }

  get featureDims(): Pick<FeatureDims, 'image'> {
    return { image: this.manifest.featureDims.image };
  }

  static async open(dir: string, options: VisionPackOptions = {}): Promise<VisionPackRunner> {
    const pack = await loadModelPack(dir, options);
    const m = pack.manifest;
    if (m.kind !== 'vision') throw new ModelError('model/unsupported-architecture', `pack kind is ${m.kind}, expected vision`, { file: MANIFEST_FILE });
    const g = m.graphs[VISION_GRAPH];
    if (!g) throw new ModelError('model/invalid-manifest', `manifest has no "${VISION_GRAPH}" graph (the image encoder)`, { file: MANIFEST_FILE });
    const pre = m.preprocessing;
    if (!pre) throw new ModelError('model/invalid-manifest', 'manifest has no preprocessing (image size, mean, std)', { file: MANIFEST_FILE });
    if (pre.size[0] !== pre.size[1] || pre.channels !== PIXEL_CHANNELS) {
      throw new ModelError(
        'model/unsupported-architecture',
        `vision packs need square ${PIXEL_CHANNELS}-channel input; preprocessing gives ${pre.channels} × ${pre.size[0]} × ${pre.size[1]}`,
        { file: MANIFEST_FILE },
      );
    }
    if (g.inputs.length !== 1 || g.outputs.length < 1) {
      throw new ModelError('model/unsupported-architecture', `the "${VISION_GRAPH}" graph must take one input (pixel values); it declares ${g.inputs.length}`, {
        file: MANIFEST_FILE,
      });
    }
    const providers = options.providers ?? planExecutionProviders(await probeExecutionProviders(options));
    const { sessions, choice } = await openSessions(dir, { [VISION_GRAPH]: g }, providers);
    const session = sessions[VISION_GRAPH];
    let fixedBatch: number | null;
    try {
      fixedBatch = checkVisionGraph(session, g, pre.size[0], m.featureDims.image);
    } catch (e) {
      await session.release();
      throw e;
    }
    const norm: PixelNormalisation = { size: pre.size[0], mean: pre.mean, std: pre.std };
    return new VisionPackRunner(m, pack.packId, choice, session, g, norm, fixedBatch ?? options.batchSize ?? DEFAULT_VISION_BATCH_SIZE, fixedBatch !== null);
  }

  /** One embedding per image, in input order, `batchSize` images per ONNX call. */
  async embedImages(images: readonly DecodedImage[]): Promise<Float32Array[]> {
    const dv = this.manifest.featureDims.image;
    const s = this.norm.size;
    const per = PIXEL_CHANNELS * s * s;
    const input = this.graph.inputs[0] as string;
    const output = this.graph.outputs[0] as string;
    const out: Float32Array[] = [];
    for (let start = 0; start < images.length; start += this.batchSize) {
      const chunk = images.slice(start, start + this.batchSize);
      const rows = this.fixedBatch ? this.batchSize : chunk.length;
      const pixels = new Float32Array(rows * per);
      chunk.forEach((img, i) => writePixelValues(img, this.norm, pixels, i * per));
      const result = await this.session.run({ [input]: new ort.Tensor('float32', pixels, [rows, PIXEL_CHANNELS, s, s]) });
      const flat = (result[output] as ort.Tensor).data as Float32Array;
      if (flat.length !== rows * dv) {
        throw new ModelError(
          'model/unsupported-architecture',
          `vision graph output ${output} gave ${flat.length / rows} values per image; featureDims.image in ${MANIFEST_FILE} says ${dv}`,
          { file: this.graph.file },
        );
      }
      for (let i = 0; i < chunk.length; i++) out.push(flat.slice(i * dv, (i + 1) * dv));
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
