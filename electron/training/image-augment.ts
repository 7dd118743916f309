// Image augmentations for GRPO-CARE's presentations: the same question shown on a slightly different picture of the
// same finding — a horizontal flip, a crop keeping most of the field of view, a small change of gain and offset of the
// grey levels. Option order alone cannot make presentations differ for a model that ignores option order (the
// reference pack and the adapter do), so every correct sample got the same consistency and group normalisation
// cancelled the bonus; on augmented images the reference's probabilities differ per presentation. Pure and seeded.
import type { DecodedImage } from '../../shared/items.ts';
import type { Rng } from '../../shared/random.ts';

export interface ImageAugment {
  /** Mirror left–right. */
  flip: boolean;
  /** Fraction of the width and height kept by the crop (0.85–0.95). */
  keep: number;
  /** Crop origin as fractions of the room left over (0–1). */
  left: number;
  top: number;
  /** Grey levels become round(gain · v + bias), clamped to 0–255. */
  gain: number;
  bias: number;
}

/** Presentation k's augmentation: flips on odd k, crop, gain and offset drawn from `rng`. */
export function drawAugment(rng: Rng, k: number): ImageAugment {
  const r = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  // rounded to 4 decimals so the stored parameters (and the cache key made from them) are short and exact
  const q = (x: number) => Math.round(x * 1e4) / 1e4;
  return { flip: k % 2 === 1, keep: q(r(0.85, 0.95)), left: q(rng.next()), top: q(rng.next()), gain: q(r(0.9, 1.1)), bias: q(r(-8, 8)) };
}

/** The augmented image: crop (at least 1 × 1 pixel), then flip, then the grey-level change; same channel count. */
export function applyAugment(image: DecodedImage, a: ImageAugment): DecodedImage {
  const { width: w, height: h, channels: c } = image;
  const cw = Math.max(1, Math.round(w * a.keep));
  const ch = Math.max(1, Math.round(h * a.keep));
  const x0 = Math.round((w - cw) * a.left);
  const y0 = Math.round((h - ch) * a.top);
  const out = new Uint8Array(cw * ch * c);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const sx = x0 + (a.flip ? cw - 1 - x : x);
      for (let k = 0; k < c; k++) {
        const v = Math.round(a.gain * image.data[((y0 + y) * w + sx) * c + k]! + a.bias);
        out[(y * cw + x) * c + k] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { width: cw, height: ch, channels: c, data: out };
}
