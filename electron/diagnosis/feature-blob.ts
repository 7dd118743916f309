// The feature-cache blob: one item's cached model outputs, Float32 little-endian behind a 16-byte header.
//   bytes 0–3  magic "MBFE"      byte 4  format version (1)     byte 5  reserved (0)
//   bytes 6–7  m  (u16 LE)       option logits (0 for an image-only embedding)
//   bytes 8–11 dv (u32 LE)       image-feature size
//   bytes 12–15 dt (u32 LE)      option-feature size (0 for an image-only embedding)
//   then float32 LE: logits[m], imageFeatures[dv], optionFeatures[m × dt] (row per option)
import { AppError } from '../../shared/errors.ts';

const MAGIC = [0x4d, 0x42, 0x46, 0x45];
export const FEATURE_BLOB_VERSION = 1;
export const FEATURE_BLOB_HEADER_BYTES = 16;
export const FEATURE_BLOB_MEDIA_TYPE = 'application/x-medbridge-features';
const FLOAT_BYTES = 4;

export interface CachedFeatures {
  baseLogits: Float32Array;
  imageFeatures: Float32Array;
  optionFeatures: Float32Array[];
}

export function encodeFeatureBlob(f: CachedFeatures): Uint8Array {
  const m = f.baseLogits.length;
  const dv = f.imageFeatures.length;
  const dt = f.optionFeatures[0]?.length ?? 0;
  if (dt > 0 && f.optionFeatures.length !== m) throw new RangeError('one option-feature row per option logit');
  const floats = m + dv + (dt === 0 ? 0 : m * dt);
  const out = new Uint8Array(FEATURE_BLOB_HEADER_BYTES + floats * FLOAT_BYTES);
  const view = new DataView(out.buffer);
  MAGIC.forEach((b, i) => view.setUint8(i, b));
  view.setUint8(4, FEATURE_BLOB_VERSION);
  view.setUint16(6, m, true);
  view.setUint32(8, dv, true);
  view.setUint32(12, dt, true);
  let o = FEATURE_BLOB_HEADER_BYTES;
  const put = (xs: Float32Array) => {
    for (let i = 0; i < xs.length; i++, o += FLOAT_BYTES) view.setFloat32(o, xs[i] as number, true);
  };
  put(f.baseLogits);
  put(f.imageFeatures);
  if (dt > 0) for (const row of f.optionFeatures) put(row);
  return out;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function decodeFeatureBlob(bytes: Uint8Array): CachedFeatures {
  const bad = (why: string) =>
    new AppError('cache/corrupt-entry', `A cached feature file is damaged (${why}); it will be recomputed if you run again after removing it.`);
  if (bytes.length < FEATURE_BLOB_HEADER_BYTES || !MAGIC.every((b, i) => bytes[i] === b)) throw bad('wrong header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(4) !== FEATURE_BLOB_VERSION) throw bad(`format version ${view.getUint8(4)}`);
  const m = view.getUint16(6, true);
  const dv = view.getUint32(8, true);
  const dt = view.getUint32(12, true);
  const floats = m + dv + m * dt;
  if (bytes.length !== FEATURE_BLOB_HEADER_BYTES + floats * FLOAT_BYTES) throw bad('wrong length');
  // All floats in one copy (stored little-endian, like the host), then views into it: one allocation per blob.
  const all = new Float32Array(floats);
  if (LITTLE_ENDIAN_HOST) {
    const start = bytes.byteOffset + FEATURE_BLOB_HEADER_BYTES;
    all.set(new Float32Array(bytes.buffer.slice(start, start + floats * FLOAT_BYTES)));
  } else {
    for (let i = 0; i < floats; i++) all[i] = view.getFloat32(FEATURE_BLOB_HEADER_BYTES + i * FLOAT_BYTES, true);
  }
  const baseLogits = all.subarray(0, m);
  const imageFeatures = all.subarray(m, m + dv);
  const optionFeatures = dt > 0 ? Array.from({ length: m }, (_, j) => all.subarray(m + dv + j * dt, m + dv + (j + 1) * dt)) : [];
  return { baseLogits, imageFeatures, optionFeatures };
}
