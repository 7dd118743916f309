// Byte-stable checkpoint of a whole TrainerState, so a crashed run resumes bit-for-bit:
// u32 magic "MBTS", u16 version, u8 bytes-per-float, u8 has-reference, u32 step, 4 × u32 RNG
// state, u32 parameter count n, n params, u32 optimiser-bytes length, optimiser bytes
// (adam.ts format), then n reference floats when present — all little-endian.
import { adamStateBytes, parseAdamState } from './adam.ts';
import { allocate, dtypeOf, type FloatArray } from './float-array.ts';
import type { RngState, TrainerState } from './trainer-step.ts';

export const TRAINER_STATE_MAGIC = 0x5354424d; // "MBTS" read as a little-endian u32
export const TRAINER_STATE_VERSION = 1;
const HEADER_BYTES = 32;

function writeFloats(dv: DataView, o: number, a: ArrayLike<number>, width: number): number {
  if (width === 4) for (let i = 0; i < a.length; i++, o += 4) dv.setFloat32(o, a[i]!, true);
  else for (let i = 0; i < a.length; i++, o += 8) dv.setFloat64(o, a[i]!, true);
  return o;
}

function readFloats(dv: DataView, o: number, out: FloatArray, width: number): number {
  if (width === 4) for (let i = 0; i < out.length; i++, o += 4) out[i] = dv.getFloat32(o, true);
  else for (let i = 0; i < out.length; i++, o += 8) out[i] = dv.getFloat64(o, true);
  return o;
}

export function trainerStateBytes(state: TrainerState): Uint8Array {
  const width = dtypeOf(state.params) === 'float64' ? 8 : 4;
  const n = state.params.length;
  const adam = adamStateBytes(state.optimizer);
  const refBytes = state.reference === null ? 0 : n * width;
  const out = new Uint8Array(HEADER_BYTES + n * width + 4 + adam.length + refBytes);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, TRAINER_STATE_MAGIC, true);
  dv.setUint16(4, TRAINER_STATE_VERSION, true);
  dv.setUint8(6, width);
  dv.setUint8(7, state.reference === null ? 0 : 1);
  dv.setUint32(8, state.step, true);
  state.rng.forEach((x, i) => dv.setUint32(12 + 4 * i, x, true));
  dv.setUint32(28, n, true);
  let o = writeFloats(dv, HEADER_BYTES, state.params, width);
  dv.setUint32(o, adam.length, true);
  out.set(adam, o + 4);
  o += 4 + adam.length;
  if (state.reference !== null) writeFloats(dv, o, state.reference, width);
  return out;
}

export function parseTrainerState(bytes: Uint8Array): TrainerState {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER_BYTES || dv.getUint32(0, true) !== TRAINER_STATE_MAGIC) throw new RangeError('not a trainer state checkpoint');
  if (dv.getUint16(4, true) !== TRAINER_STATE_VERSION) throw new RangeError('unsupported trainer state version');
  const width = dv.getUint8(6);
  if (width !== 4 && width !== 8) throw new RangeError(`unsupported float width ${width}`);
  const hasRef = dv.getUint8(7) === 1;
  const step = dv.getUint32(8, true);
  const rng = [0, 1, 2, 3].map((i) => dv.getUint32(12 + 4 * i, true)) as unknown as RngState;
  const n = dv.getUint32(28, true);
  const dtype = width === 8 ? 'float64' : 'float32';
  if (bytes.length < HEADER_BYTES + n * width + 4) throw new RangeError('trainer state checkpoint is truncated');
  const params = allocate(dtype, n);
  let o = readFloats(dv, HEADER_BYTES, params, width);
  const adamLen = dv.getUint32(o, true);
  const expected = o + 4 + adamLen + (hasRef ? n * width : 0);
  if (bytes.length !== expected) throw new RangeError(`trainer state checkpoint is ${bytes.length} bytes; expected ${expected}`);
  const optimizer = parseAdamState(bytes.subarray(o + 4, o + 4 + adamLen));
  if (optimizer.m.length !== n) throw new RangeError('optimiser state does not match the parameter count');
  o += 4 + adamLen;
  let reference: FloatArray | null = null;
  if (hasRef) {
    reference = allocate(dtype, n);
    readFloats(dv, o, reference, width);
  }
  return { params, optimizer, rng, step, reference };
}
