// Deterministic antialiased bilinear resize (triangle filter widened by the scale when shrinking,
// half-pixel centres, taps renormalised at the borders) of a DecodedImage, in plain TypeScript so it
// runs in any worker. Twin of resize_bilinear in build/reference-pack/pack_preprocessing.py.
import type { DecodedImage } from '../../shared/items.ts';

interface AxisTaps {
  /** First input index per output index. */
  start: Int32Array;
  /** Number of taps per output index. */
  count: Int32Array;
  /** Weights, `maxTaps` per output index. */
  weights: Float64Array;
  maxTaps: number;
}

function axisTaps(inSize: number, outSize: number): AxisTaps {
  const scale = inSize / outSize;
  const support = Math.max(scale, 1);
  const maxTaps = Math.ceil(support) * 2 + 2;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxTaps);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inSize - 1, Math.ceil(centre + support));
    let first = -1;
    let n = 0;
    let total = 0;
    for (let j = lo; j <= hi; j++) {
      const w = 1 - Math.abs((j + 0.5 - centre) / support);
      if (w <= 0) continue;
      if (first < 0) first = j;
      // taps with w > 0 are contiguous, so position = j - first
      weights[i * maxTaps + (j - first)] = w;
      n = j - first + 1;
      total += w;
    }
    start[i] = first;
    count[i] = n;
    for (let k = 0; k < n; k++) weights[i * maxTaps + k]! /= total;
  }
  return { start, count, weights, maxTaps };
}

/** Taps depend only on the two sizes; batches repeat a handful of sizes, so they are computed once. */
const tapCache = new Map<string, AxisTaps>();
const TAP_CACHE_LIMIT = 256;

function cachedAxisTaps(inSize: number, outSize: number): AxisTaps {
  const key = `${inSize}>${outSize}`;
  let taps = tapCache.get(key);
  if (!taps) {
    taps = axisTaps(inSize, outSize);
    if (tapCache.size >= TAP_CACHE_LIMIT) tapCache.clear();
    tapCache.set(key, taps);
  }
  return taps;
}

/** Scratch for the vertical pass, grown as needed and reused (workers resize one image at a time). */
let rowScratch = new Float64Array(0);

function verticalPass(image: DecodedImage, outH: number): Float64Array {
  const { width: w, height: h, channels: c, data } = image;
  const ty = cachedAxisTaps(h, outH);
  const len = outH * w * c;
  if (rowScratch.length < len) rowScratch = new Float64Array(len);
  const rows = rowScratch;
  const wc = w * c;
  for (let o = 0; o < outH; o++) {
    const s = ty.start[o] as number;
    const n = ty.count[o] as number;
    const base = o * ty.maxTaps;
    const dst = o * wc;
    if (n === 2) {
      // upsampling: every output row blends two input rows
      const w0 = ty.weights[base] as number;
      const w1 = ty.weights[base + 1] as number;
      const r0 = s * wc;
      const r1 = r0 + wc;
      for (let x = 0; x < wc; x++) rows[dst + x] = w0 * (data[r0 + x] as number) + w1 * (data[r1 + x] as number);
      continue;
    }
    rows.fill(0, dst, dst + wc);
    for (let k = 0; k < n; k++) {
      const wt = ty.weights[base + k] as number;
      const src = (s + k) * wc;
      for (let x = 0; x < wc; x++) rows[dst + x]! += wt * (data[src + x] as number);
    }
  }
  return rows;
}

/**
 * Resizes into `out` (outH × outW × channels, interleaved, values 0..255). Same size in and out is the
 * identity (one tap of weight 1 per axis), so it is a plain copy.
 */
function resizeInto(image: DecodedImage, outH: number, outW: number, out: Float64Array): void {
  const { width: w, height: h, channels: c, data } = image;
  if (data.length !== w * h * c) throw new RangeError(`image data has ${data.length} bytes, expected ${w * h * c}`);
  if (w === outW && h === outH) {
    for (let i = 0; i < data.length; i++) out[i] = data[i] as number;
    return;
  }
  const rows = verticalPass(image, outH);
  const tx = cachedAxisTaps(w, outW);
  const { start, count, weights, maxTaps } = tx;
  for (let o = 0; o < outH; o++) {
    const rowBase = o * w;
    for (let p = 0; p < outW; p++) {
      const s = start[p] as number;
      const n = count[p] as number;
      const base = p * maxTaps;
      const dst = (o * outW + p) * c;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += (weights[base + k] as number) * (rows[(rowBase + s + k) * c + ch] as number);
        out[dst + ch] = acc;
      }
    }
  }
}

/** Resizes to outH × outW, keeping the channel count; values stay in 0..255 as float64. */
export function resizeBilinear(image: DecodedImage, outH: number, outW: number): Float64Array {
  const out = new Float64Array(outH * outW * image.channels);
  resizeInto(image, outH, outW, out);
  return out;
}

export interface PixelNormalisation {
  size: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

export const PIXEL_CHANNELS = 3;
const BYTE_MAX = 255;

/**
 * Writes one image as (3, size, size) float32 planes, grey replicated to RGB, (x/255 − mean)/std,
 * into `target` at `offset` (so a batch is filled without copies). The normalisation is affine and the
 * taps sum to one, so it is applied as one multiply-add on each resized sample, straight into its plane.
 */
export function writePixelValues(image: DecodedImage, norm: PixelNormalisation, target: Float32Array, offset = 0): void {
  const { size, mean, std } = norm;
  const { width: w, height: h, channels: c, data } = image;
  if (data.length !== w * h * c) throw new RangeError(`image data has ${data.length} bytes, expected ${w * h * c}`);
  const plane = size * size;
  const greySame = c === 1 && mean[0] === mean[1] && mean[0] === mean[2] && std[0] === std[1] && std[0] === std[2];
  const planesToCompute = greySame ? 1 : PIXEL_CHANNELS;
  const identity = w === size && h === size;
  const rows = identity ? null : verticalPass(image, size);
  const tx = identity ? null : cachedAxisTaps(w, size);
  for (let ch = 0; ch < planesToCompute; ch++) {
    const srcCh = c === 1 ? 0 : ch;
    const a = 1 / (BYTE_MAX * (std[ch] as number));
    const b = (mean[ch] as number) / (std[ch] as number);
    const dst = offset + ch * plane;
    if (identity) {
      for (let i = 0; i < plane; i++) target[dst + i] = (data[i * c + srcCh] as number) * a - b;
      continue;
    }
    const { start, count, weights, maxTaps } = tx as AxisTaps;
    const src = rows as Float64Array;
    for (let o = 0; o < size; o++) {
      const rowBase = o * w;
      const out = dst + o * size;
      for (let p = 0; p < size; p++) {
        const first = (rowBase + (start[p] as number)) * c + srcCh;
        const n = count[p] as number;
        const base = p * maxTaps;
        let acc: number;
        if (n === 2) {
          acc = (weights[base] as number) * (src[first] as number) + (weights[base + 1] as number) * (src[first + c] as number);
        } else {
          acc = 0;
          for (let k = 0; k < n; k++) acc += (weights[base + k] as number) * (src[first + k * c] as number);
        }
        target[out + p] = acc * a - b;
      }
    }
  }
  if (greySame) {
    target.copyWithin(offset + plane, offset, offset + plane);
    target.copyWithin(offset + 2 * plane, offset, offset + plane);
  }
}
