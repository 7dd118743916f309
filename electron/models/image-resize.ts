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

/** Resizes to outH × outW, keeping the channel count; values stay in 0..255 as float64. */
export function resizeBilinear(image: DecodedImage, outH: number, outW: number): Float64Array {
  const { width: w, height: h, channels: c, data } = image;
  if (data.length !== w * h * c) throw new RangeError(`image data has ${data.length} bytes, expected ${w * h * c}`);
  const ty = axisTaps(h, outH);
  const tx = axisTaps(w, outW);
  // vertical pass: (outH, w, c)
  const rows = new Float64Array(outH * w * c);
  for (let o = 0; o < outH; o++) {
    const s = ty.start[o] as number;
    const n = ty.count[o] as number;
    const base = o * ty.maxTaps;
    for (let k = 0; k < n; k++) {
      const wt = ty.weights[base + k] as number;
      const src = (s + k) * w * c;
      const dst = o * w * c;
      for (let x = 0; x < w * c; x++) rows[dst + x]! += wt * (data[src + x] as number);
    }
  }
  // horizontal pass: (outH, outW, c)
  const out = new Float64Array(outH * outW * c);
  for (let o = 0; o < outH; o++) {
    for (let p = 0; p < outW; p++) {
      const s = tx.start[p] as number;
      const n = tx.count[p] as number;
      const base = p * tx.maxTaps;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += (tx.weights[base + k] as number) * (rows[(o * w + s + k) * c + ch] as number);
        out[(o * outW + p) * c + ch] = acc;
      }
    }
  }
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
 * into `target` at `offset` (so a batch is filled without copies).
 */
export function writePixelValues(image: DecodedImage, norm: PixelNormalisation, target: Float32Array, offset = 0): void {
  const { size, mean, std } = norm;
  const resized = resizeBilinear(image, size, size);
  const plane = size * size;
  for (let ch = 0; ch < PIXEL_CHANNELS; ch++) {
    const srcCh = image.channels === 1 ? 0 : ch;
    const m = mean[ch] as number;
    const sd = std[ch] as number;
    for (let i = 0; i < plane; i++) {
      target[offset + ch * plane + i] = ((resized[i * image.channels + srcCh] as number) / BYTE_MAX - m) / sd;
    }
  }
}
