// Adam with bias correction (Kingma & Ba 2015, Algorithm 1), optional decoupled weight decay
// (AdamW, Loshchilov & Hutter 2019), in the same order of operations as torch.optim.AdamW:
//   θ ← θ(1 − lr·λ);  m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²
//   θ ← θ − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
import { allocate, dtypeOf, zerosLike, type FloatArray } from './float-array.ts';

export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** λ: decoupled weight decay; 0 is plain Adam. */
  weightDecay: number;
}

export const DEFAULT_ADAM_CONFIG: Readonly<AdamConfig> = Object.freeze({
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0,
});

export interface AdamState<A extends FloatArray = FloatArray> {
  /** Steps taken so far. */
  t: number;
  /** First-moment estimate. */
  m: A;
  /** Second-moment estimate. */
  v: A;
}

export function createAdamState<A extends FloatArray>(params: A): AdamState<A> {
  return { t: 0, m: zerosLike(params), v: zerosLike(params) };
}

export function copyAdamState<A extends FloatArray>(s: AdamState<A>): AdamState<A> {
  return { t: s.t, m: s.m.slice() as A, v: s.v.slice() as A };
}

/** One update of `params` and `state` in place. */
export function adamStep(params: FloatArray, grad: ArrayLike<number>, state: AdamState, cfg: AdamConfig): void {
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd } = cfg;
  state.t += 1;
  const bc1 = 1 - Math.pow(b1, state.t);
  const bc2 = 1 - Math.pow(b2, state.t);
  const decay = 1 - lr * wd;
  const { m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i]!;
    const mi = b1 * m[i]! + (1 - b1) * g;
    const vi = b2 * v[i]! + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const p = wd === 0 ? params[i]! : params[i]! * decay;
    params[i] = p - (lr * (m[i]! / bc1)) / (Math.sqrt(v[i]! / bc2) + eps);
  }
}

export const ADAM_MAGIC = 0x4d41424d; // "MBAM" read as a little-endian u32
export const ADAM_FORMAT_VERSION = 1;
export const ADAM_HEADER_BYTES = 16;

/** u32 magic, u16 version, u8 bytes-per-float, u8 0, u32 t, u32 n, then m and v as LE floats. */
export function adamStateBytes(s: AdamState): Uint8Array {
  const width = dtypeOf(s.m) === 'float64' ? 8 : 4;
  const n = s.m.length;
  const out = new Uint8Array(ADAM_HEADER_BYTES + 2 * n * width);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, ADAM_MAGIC, true);
  dv.setUint16(4, ADAM_FORMAT_VERSION, true);
  dv.setUint8(6, width);
  dv.setUint32(8, s.t, true);
  dv.setUint32(12, n, true);
  let o = ADAM_HEADER_BYTES;
  for (const arr of [s.m, s.v]) {
    if (width === 4) for (let i = 0; i < n; i++, o += 4) dv.setFloat32(o, arr[i]!, true);
    else for (let i = 0; i < n; i++, o += 8) dv.setFloat64(o, arr[i]!, true);
  }
  return out;
}

export function parseAdamState(bytes: Uint8Array): AdamState {
  if (bytes.length < ADAM_HEADER_BYTES) throw new RangeError('optimiser state is shorter than its header');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== ADAM_MAGIC) throw new RangeError('not an optimiser state (bad magic)');
  if (dv.getUint16(4, true) !== ADAM_FORMAT_VERSION) throw new RangeError('unsupported optimiser state version');
  const width = dv.getUint8(6);
  if (width !== 4 && width !== 8) throw new RangeError(`unsupported float width ${width}`);
  const t = dv.getUint32(8, true);
  const n = dv.getUint32(12, true);
  if (bytes.length !== ADAM_HEADER_BYTES + 2 * n * width) throw new RangeError('optimiser state length does not match its header');
  const dtype = width === 8 ? 'float64' : 'float32';
  const m = allocate(dtype, n);
  const v = allocate(dtype, n);
  let o = ADAM_HEADER_BYTES;
  for (const arr of [m, v]) {
    if (width === 4) for (let i = 0; i < n; i++, o += 4) arr[i] = dv.getFloat32(o, true);
    else for (let i = 0; i < n; i++, o += 8) arr[i] = dv.getFloat64(o, true);
  }
  return { t, m, v };
}
