// The trainable policy: a low-rank bilinear re-scoring of the frozen pack's option logits,
// plus an optional linear head on the image features for fixed-label tasks.
//   logits_j = b_j + s · (U v)·(W t_j) + (H v)_{label(j)},   p = softmax(logits / T)
// Parameters live in one flat array [U (r×dv) | W (r×dt) | H (L×dv)] with subarray views.
import { createRng, deriveSeed } from '../../shared/random.ts';
import { allocate, type FloatArray, type FloatDType } from './float-array.ts';
import { softmaxInto } from './softmax.ts';

export const DEFAULT_RANK = 8;
export const DEFAULT_SCALE = 1;
export const DEFAULT_TEMPERATURE = 1;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 26;

export interface AdapterConfig {
  /** r: rank of the bilinear update. */
  rank: number;
  /** dv: image feature length. */
  imageDim: number;
  /** dt: option text feature length. */
  textDim: number;
  /** s: fixed scale of the bilinear term. */
  scale: number;
  /** T: softmax temperature of the option distribution. */
  temperature: number;
  /** L: number of fixed labels for the linear head H; 0 turns the head off. */
  numLabels: number;
  /** Standard deviation of U's Gaussian init (W and H start at 0, so the adapter starts as the identity). */
  initStd: number;
}

export type AdapterConfigInput = Pick<AdapterConfig, 'imageDim' | 'textDim'> & Partial<AdapterConfig>;

/** Fills defaults; U's init std defaults to 1/√dv so (U v) has unit-order entries for unit-order v. */
export function resolveAdapterConfig(input: AdapterConfigInput): AdapterConfig {
  const c: AdapterConfig = {
    rank: input.rank ?? DEFAULT_RANK,
    imageDim: input.imageDim,
    textDim: input.textDim,
    scale: input.scale ?? DEFAULT_SCALE,
    temperature: input.temperature ?? DEFAULT_TEMPERATURE,
    numLabels: input.numLabels ?? 0,
    initStd: input.initStd ?? 1 / Math.sqrt(input.imageDim),
  };
  for (const k of ['rank', 'imageDim', 'textDim'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new RangeError(`adapter ${k} must be a positive integer, got ${c[k]}`);
  }
  if (!Number.isInteger(c.numLabels) || c.numLabels < 0) throw new RangeError(`adapter numLabels must be ≥ 0, got ${c.numLabels}`);
  if (!(c.temperature > 0)) throw new RangeError(`adapter temperature must be > 0, got ${c.temperature}`);
  return c;
}

export interface AdapterLayout {
  uOffset: number;
  wOffset: number;
  hOffset: number;
  size: number;
}

export function adapterLayout(c: AdapterConfig): AdapterLayout {
  const uSize = c.rank * c.imageDim;
  const wSize = c.rank * c.textDim;
  const hSize = c.numLabels * c.imageDim;
  return { uOffset: 0, wOffset: uSize, hOffset: uSize + wSize, size: uSize + wSize + hSize };
}

export interface Adapter<A extends FloatArray = FloatArray> {
  readonly config: AdapterConfig;
  /** All parameters, flat; `u`, `w`, `h` are views into it. */
  readonly params: A;
  readonly u: A;
  readonly w: A;
  readonly h: A;
}

/** Views an existing flat parameter (or gradient) array through the adapter layout. */
export function wrapAdapter<A extends FloatArray>(config: AdapterConfig, params: A): Adapter<A> {
  const l = adapterLayout(config);
  if (params.length !== l.size) throw new RangeError(`adapter expects ${l.size} parameters, got ${params.length}`);
  return {
    config,
    params,
    u: params.subarray(l.uOffset, l.wOffset) as A,
    w: params.subarray(l.wOffset, l.hOffset) as A,
    h: params.subarray(l.hOffset, l.size) as A,
  };
}

/** New adapter: U ~ N(0, initStd²) from the seeded RNG, W = 0, H = 0. */
export function createAdapter(input: AdapterConfigInput, seed: number, dtype: FloatDType = 'float32'): Adapter {
  const config = resolveAdapterConfig(input);
  const adapter = wrapAdapter(config, allocate(dtype, adapterLayout(config).size));
  const rng = createRng(deriveSeed(seed, 'adapter-init'));
  for (let i = 0; i < adapter.u.length; i++) adapter.u[i] = config.initStd * rng.normal();
  return adapter;
}

/** The frozen-pack view of one multiple-choice item that the adapter scores. */
export interface AdapterItem {
  /** b: base option logits from the frozen pack; its length is the option count m. */
  readonly baseLogits: ArrayLike<number>;
  /** v: image features, length dv. */
  readonly image: ArrayLike<number>;
  /** t: option text features, row-major m × dt. */
  readonly optionText: ArrayLike<number>;
  /** Fixed-label tasks only: the label id of each option, read by the head H. */
  readonly optionLabels?: ArrayLike<number>;
}

/** Reusable scratch for forward/backward, so the hot loop allocates nothing. */
export class AdapterWorkspace {
  /** z = U v */
  readonly z: Float64Array;
  /** y_j = W t_j, row-major m × r */
  readonly y: Float64Array;
  readonly a: Float64Array;
  readonly c: Float64Array;
  /** Logits written when backward has to recompute the cache; not read. */
  readonly recompute: Float64Array;
  /** The item and parameters z and y were computed for (backward reuses them). */
  item: AdapterItem | null = null;
  params: FloatArray | null = null;

  constructor(config: AdapterConfig) {
    this.z = new Float64Array(config.rank);
    this.y = new Float64Array(MAX_OPTIONS * config.rank);
    this.a = new Float64Array(config.rank);
    this.c = new Float64Array(config.textDim);
    this.recompute = new Float64Array(MAX_OPTIONS);
  }
}

export function optionCount(item: AdapterItem): number {
  return item.baseLogits.length;
}

function checkItem(c: AdapterConfig, item: AdapterItem): number {
  const m = item.baseLogits.length;
  if (m < MIN_OPTIONS || m > MAX_OPTIONS) throw new RangeError(`item has ${m} options; expected ${MIN_OPTIONS}..${MAX_OPTIONS}`);
  if (item.image.length !== c.imageDim) throw new RangeError(`image features have length ${item.image.length}, adapter expects ${c.imageDim}`);
  if (item.optionText.length !== m * c.textDim) throw new RangeError(`option text features have length ${item.optionText.length}, expected ${m}×${c.textDim}`);
  if (c.numLabels > 0 && (item.optionLabels === undefined || item.optionLabels.length !== m)) {
    throw new RangeError('adapter has a label head but the item has no per-option labels');
  }
  return m;
}

/** Writes the m option logits of `item` into `logitsOut` and caches U v, W t_j in `ws`. */
export function forwardItem(adapter: Adapter, item: AdapterItem, ws: AdapterWorkspace, logitsOut: Float64Array): void {
  const { config: c, u, w, h } = adapter;
  const m = checkItem(c, item);
  const { rank: r, imageDim: dv, textDim: dt } = c;
  const v = item.image;
  const t = item.optionText;
  const z = ws.z;
  const y = ws.y;
  for (let k = 0; k < r; k++) {
    let acc = 0;
    const row = k * dv;
    for (let d = 0; d < dv; d++) acc += u[row + d]! * v[d]!;
    z[k] = acc;
  }
  for (let j = 0; j < m; j++) {
    const tRow = j * dt;
    let bil = 0;
    for (let k = 0; k < r; k++) {
      let acc = 0;
      const wRow = k * dt;
      for (let e = 0; e < dt; e++) acc += w[wRow + e]! * t[tRow + e]!;
      y[j * r + k] = acc;
      bil += z[k]! * acc;
    }
    let head = 0;
    if (c.numLabels > 0) {
      const hRow = item.optionLabels![j]! * dv;
      for (let d = 0; d < dv; d++) head += h[hRow + d]! * v[d]!;
    }
    logitsOut[j] = item.baseLogits[j]! + c.scale * bil + head;
  }
  ws.item = item;
  ws.params = adapter.params;
}

/**
 * Accumulates dL/dθ into `grad` (same layout as the parameters) given g = dL/dlogits:
 *   dU += s (Σ_j g_j W t_j) vᵀ,  dW += s (U v)(Σ_j g_j t_j)ᵀ,  dH[label(j)] += g_j v.
 * Reuses the cache of the last `forwardItem` when it was for this item and these parameters.
 */
export function backwardItem(adapter: Adapter, item: AdapterItem, ws: AdapterWorkspace, dLogits: ArrayLike<number>, grad: FloatArray): void {
  const c = adapter.config;
  const m = item.baseLogits.length;
  if (ws.item !== item || ws.params !== adapter.params) forwardItem(adapter, item, ws, ws.recompute);
  const { rank: r, imageDim: dv, textDim: dt, scale: s } = c;
  const l = adapterLayout(c);
  const v = item.image;
  const t = item.optionText;
  const a = ws.a;
  const cv = ws.c;
  a.fill(0);
  cv.fill(0);
  for (let j = 0; j < m; j++) {
    const g = dLogits[j]!;
    if (g === 0) continue;
    for (let k = 0; k < r; k++) a[k] = a[k]! + g * ws.y[j * r + k]!;
    const tRow = j * dt;
    for (let e = 0; e < dt; e++) cv[e] = cv[e]! + g * t[tRow + e]!;
  }
  for (let k = 0; k < r; k++) {
    const ak = s * a[k]!;
    const uRow = l.uOffset + k * dv;
    for (let d = 0; d < dv; d++) grad[uRow + d] = grad[uRow + d]! + ak * v[d]!;
    const zk = s * ws.z[k]!;
    const wRow = l.wOffset + k * dt;
    for (let e = 0; e < dt; e++) grad[wRow + e] = grad[wRow + e]! + zk * cv[e]!;
  }
  if (c.numLabels > 0) {
    for (let j = 0; j < m; j++) {
      const g = dLogits[j]!;
      const hRow = l.hOffset + item.optionLabels![j]! * dv;
      for (let d = 0; d < dv; d++) grad[hRow + d] = grad[hRow + d]! + g * v[d]!;
    }
  }
}

/** Logits and probabilities of a batch of items with varying m, packed with offsets. */
export interface BatchOutput {
  /** offsets[i]..offsets[i+1] are item i's options; length = items + 1. */
  offsets: Int32Array;
  logits: Float64Array;
  probs: Float64Array;
}

export function forwardBatch(adapter: Adapter, items: readonly AdapterItem[], ws = new AdapterWorkspace(adapter.config)): BatchOutput {
  const offsets = new Int32Array(items.length + 1);
  for (let i = 0; i < items.length; i++) offsets[i + 1] = offsets[i]! + items[i]!.baseLogits.length;
  const total = offsets[items.length]!;
  const logits = new Float64Array(total);
  const probs = new Float64Array(total);
  for (let i = 0; i < items.length; i++) {
    const lo = offsets[i]!;
    const hi = offsets[i + 1]!;
    const l = logits.subarray(lo, hi);
    forwardItem(adapter, items[i]!, ws, l);
    softmaxInto(l, hi - lo, adapter.config.temperature, probs.subarray(lo, hi));
  }
  return { offsets, logits, probs };
}
