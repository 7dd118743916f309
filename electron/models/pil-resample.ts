// Image resampling that gives the same 8-bit pixels as Pillow's Image.resize (the resize Hugging Face image
// processors run), so a converted VLM sees in MedBridge exactly the pixels it sees in transformers:
// separable convolution, horizontal pass then vertical pass, each rounded to 8 bits (Pillow 7.0 to 12.3; 13.0
// changed the order for some sizes, so the environment pins 12.3); filter support widened by the
// scale when shrinking; per-output taps normalised, then turned into 22-bit fixed-point integers; channels
// independent. Filters: bilinear (2), bicubic (3, a = -0.5), lanczos (1, a = 3) by Pillow's numbering.
import type { DecodedImage } from '../../shared/items.ts';
import { ModelError } from './model-error.ts';

const PRECISION_BITS = 22;
const ONE = 2 ** PRECISION_BITS;

interface Filter {
  support: number;
  weight(x: number): number;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Pillow's Image.Resampling numbers. */
export const PIL_FILTERS: Record<number, Filter> = {
  2: { support: 1, weight: (x) => (Math.abs(x) < 1 ? 1 - Math.abs(x) : 0) },
  3: {
    support: 2,
    weight: (x) => {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
  1: { support: 3, weight: (x) => (x > -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
};

interface Taps {
  ksize: number;
  /** Per output index: first input index and tap count. */
  bounds: Int32Array;
  /** Fixed-point weights, ksize per output index. */
  weights: Float64Array;
}

function precompute(inSize: number, outSize: number, filter: Filter): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Float64Array(outSize * ksize);
  const pre = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterScale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = filter.weight((x + xmin - center + 0.5) * ss);
      pre[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const k = ww !== 0 ? (pre[x] as number) / ww : (pre[x] as number);
      weights[xx * ksize + x] = Math.trunc(k < 0 ? -0.5 + k * ONE : 0.5 + k * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

function clip8(acc: number): number {
  const v = Math.floor(acc / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** One pass along x (horizontal) or y (vertical) of an interleaved 8-bit image. */
function pass(src: Uint8Array, w: number, h: number, c: number, outW: number, outH: number, taps: Taps, horizontal: boolean): Uint8Array {
  const out = new Uint8Array(outW * outH * c);
  const { ksize, bounds, weights } = taps;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const o = horizontal ? x : y;
      const start = bounds[o * 2] as number;
      const count = bounds[o * 2 + 1] as number;
      for (let ch = 0; ch < c; ch++) {
        let acc = ONE / 2;
        for (let k = 0; k < count; k++) {
          const idx = horizontal ? (y * w + start + k) * c + ch : ((start + k) * w + x) * c + ch;
          acc += (src[idx] as number) * (weights[o * ksize + k] as number);
        }
        out[(y * outW + x) * c + ch] = clip8(acc);
      }
    }
  }
  return out;
}

export function resamplePil(image: DecodedImage, width: number, height: number, resample: number): DecodedImage {
  if (image.width === width && image.height === height) return image;
  const filter = PIL_FILTERS[resample];
  if (!filter)
    throw new ModelError('model/unsupported-architecture', `image resampling filter ${resample} is not supported (bilinear 2, bicubic 3, lanczos 1)`, {
      file: 'preprocessor_config.json',
    });
  const c = image.channels;
  let data = image.data instanceof Uint8Array ? image.data : new Uint8Array(image.data);
  let w = image.width;
  if (width !== image.width) {
    data = pass(data, w, image.height, c, width, image.height, precompute(image.width, width, filter), true);
    w = width;
  }
  if (height !== image.height) data = pass(data, w, image.height, c, w, height, precompute(image.height, height, filter), false);
  return { ...image, data, width, height };
}
