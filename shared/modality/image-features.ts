// A cheap, deterministic image descriptor for the classifier layer, usable before a model pack's vision
// features exist: 8×8 grey thumbnail, 16-bin grey histogram, per-channel mean/std, colourfulness, edge density,
// aspect ratio. Values are scaled to roughly 0–1 so no feature dominates before standardisation.
import type { DecodedImage } from '../items.ts';

export const THUMBNAIL_SIDE = 8;
export const HISTOGRAM_BINS = 16;
/** ITU-R BT.601 luma weights. */
const LUMA = [0.299, 0.587, 0.114] as const;
const MAX_LEVEL = 255;
/** |∂x| + |∂y| (central differences, grey levels) above this marks an edge pixel. */
export const EDGE_THRESHOLD = 32;
/** Colourfulness weight of the mean term (Hasler & Süsstrunk 2003, "Measuring colourfulness in natural images"). */
const COLOURFULNESS_MEAN_WEIGHT = 0.3;

export const IMAGE_FEATURE_NAMES: readonly string[] = [
  ...Array.from({ length: THUMBNAIL_SIDE * THUMBNAIL_SIDE }, (_, i) => `thumb_${Math.floor(i / THUMBNAIL_SIDE)}_${i % THUMBNAIL_SIDE}`),
  ...Array.from({ length: HISTOGRAM_BINS }, (_, i) => `hist_${i}`),
  'mean_r',
  'mean_g',
  'mean_b',
  'std_r',
  'std_g',
  'std_b',
  'colourfulness',
  'edge_density',
  'log_aspect',
];
export const IMAGE_FEATURE_LENGTH = IMAGE_FEATURE_NAMES.length;

export type FeatureImage = Pick<DecodedImage, 'width' | 'height' | 'data'> & { channels: number };

function greyPlane(img: FeatureImage): Float64Array {
  const n = img.width * img.height;
  const grey = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * img.channels;
    grey[i] =
      img.channels >= 3
        ? LUMA[0] * (img.data[p] as number) + LUMA[1] * (img.data[p + 1] as number) + LUMA[2] * (img.data[p + 2] as number)
        : (img.data[p] as number);
  }
  return grey;
}

export function cheapImageFeatures(img: FeatureImage): Float64Array {
  const { width: w, height: h, channels } = img;
  if (!(w > 0 && h > 0) || (channels !== 1 && channels !== 3 && channels !== 4))
    throw new RangeError(`image must be non-empty with 1, 3 or 4 channels (got ${w}×${h}×${channels})`);
  if (img.data.length < w * h * channels) throw new RangeError(`image data has ${img.data.length} bytes, expected ${w * h * channels}`);
  const out = new Float64Array(IMAGE_FEATURE_LENGTH);
  const grey = greyPlane(img);
  let k = 0;
  // Area-averaged thumbnail.
  for (let ty = 0; ty < THUMBNAIL_SIDE; ty++) {
    const y0 = Math.floor((ty * h) / THUMBNAIL_SIDE);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * h) / THUMBNAIL_SIDE));
    for (let tx = 0; tx < THUMBNAIL_SIDE; tx++) {
      const x0 = Math.floor((tx * w) / THUMBNAIL_SIDE);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * w) / THUMBNAIL_SIDE));
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += grey[y * w + x] as number;
      out[k++] = sum / ((y1 - y0) * (x1 - x0)) / MAX_LEVEL;
    }
  }
  // Grey histogram (fractions).
  const n = w * h;
  for (let i = 0; i < n; i++) {
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor(((grey[i] as number) * HISTOGRAM_BINS) / (MAX_LEVEL + 1)));
    out[k + bin] = (out[k + bin] as number) + 1 / n;
  }
  k += HISTOGRAM_BINS;
  // Per-channel mean and std (grey images repeat the one channel), and colourfulness.
  const sum = [0, 0, 0];
  const sumSq = [0, 0, 0];
  let rgSum = 0,
    rgSq = 0,
    ybSum = 0,
    ybSq = 0;
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    const r = img.data[p] as number;
    const g = channels >= 3 ? (img.data[p + 1] as number) : r;
    const b = channels >= 3 ? (img.data[p + 2] as number) : r;
    sum[0]! += r;
    sum[1]! += g;
    sum[2]! += b;
    sumSq[0]! += r * r;
    sumSq[1]! += g * g;
    sumSq[2]! += b * b;
    const rg = r - g;
    const yb = 0.5 * (r + g) - b;
    rgSum += rg;
    rgSq += rg * rg;
    ybSum += yb;
    ybSq += yb * yb;
  }
  const std = (s: number, sq: number) => Math.sqrt(Math.max(0, sq / n - (s / n) ** 2));
  for (let c = 0; c < 3; c++) out[k + c] = (sum[c] as number) / n / MAX_LEVEL;
  for (let c = 0; c < 3; c++) out[k + 3 + c] = std(sum[c] as number, sumSq[c] as number) / MAX_LEVEL;
  k += 6;
  const sigma = Math.hypot(std(rgSum, rgSq), std(ybSum, ybSq));
  const mu = Math.hypot(rgSum / n, ybSum / n);
  out[k++] = (sigma + COLOURFULNESS_MEAN_WEIGHT * mu) / MAX_LEVEL;
  // Edge density over interior pixels.
  let edges = 0,
    interior = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = (grey[i + 1] as number) - (grey[i - 1] as number);
      const gy = (grey[i + w] as number) - (grey[i - w] as number);
      if (Math.abs(gx) + Math.abs(gy) > EDGE_THRESHOLD) edges++;
      interior++;
    }
  }
  out[k++] = interior > 0 ? edges / interior : 0;
  out[k++] = Math.log(w / h);
  return out;
}
