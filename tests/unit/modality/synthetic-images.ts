// Seeded synthetic images of three "modalities" with distinct statistics, for the classifier tests:
// x-ray-like (grey, smooth bright body on dark), pathology-like (pink with purple nuclei),
// fundus-like (dark surround, orange-red disc, bright optic disc).
import type { FeatureImage } from '../../../shared/modality/index.ts';
import type { Rng } from '../../../shared/random.ts';

export const SIDE = 32;
const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

export function xrayLike(rng: Rng): FeatureImage {
  const data = new Uint8Array(SIDE * SIDE);
  const cx = SIDE / 2 + (rng.next() - 0.5) * 6;
  const brightness = 150 + rng.next() * 80;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const d = Math.abs(x - cx) / (SIDE / 2);
      data[y * SIDE + x] = clamp(brightness * Math.max(0, 1 - d * d) + 10 + rng.normal() * 6);
    }
  }
  return { width: SIDE, height: SIDE, channels: 1, data };
}

export function pathologyLike(rng: Rng): FeatureImage {
  const data = new Uint8Array(SIDE * SIDE * 3);
  const base = [225 + rng.next() * 20, 170 + rng.next() * 30, 200 + rng.next() * 25];
  const nuclei = Array.from({ length: 6 + rng.int(6) }, () => [rng.next() * SIDE, rng.next() * SIDE, 2 + rng.next() * 2]);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inNucleus = nuclei.some(([nx, ny, r]) => (x - (nx as number)) ** 2 + (y - (ny as number)) ** 2 < (r as number) ** 2);
      const c = inNucleus ? [95, 45, 140] : base;
      for (let k = 0; k < 3; k++) data[(y * SIDE + x) * 3 + k] = clamp((c[k] as number) + rng.normal() * 10);
    }
  }
  return { width: SIDE, height: SIDE, channels: 3, data };
}

export function fundusLike(rng: Rng): FeatureImage {
  const data = new Uint8Array(SIDE * SIDE * 3);
  const r = SIDE * (0.4 + rng.next() * 0.08);
  const disc = [SIDE / 2 + (rng.next() - 0.5) * 12, SIDE / 2 + (rng.next() - 0.5) * 12];
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inside = (x - SIDE / 2) ** 2 + (y - SIDE / 2) ** 2 < r * r;
      const onDisc = (x - (disc[0] as number)) ** 2 + (y - (disc[1] as number)) ** 2 < 9;
      const c = !inside ? [5, 5, 5] : onDisc ? [250, 220, 150] : [190 + rng.next() * 20, 75, 30];
      for (let k = 0; k < 3; k++) data[(y * SIDE + x) * 3 + k] = clamp((c[k] as number) + rng.normal() * 4);
    }
  }
  return { width: SIDE, height: SIDE, channels: 3, data };
}

/** Pixel-wise average of two images of the same size (grey images are expanded to RGB). */
export function blend(a: FeatureImage, b: FeatureImage): FeatureImage {
  const data = new Uint8Array(SIDE * SIDE * 3);
  for (let i = 0; i < SIDE * SIDE; i++) {
    for (let k = 0; k < 3; k++) {
      const va = a.data[i * a.channels + (a.channels === 1 ? 0 : k)] as number;
      const vb = b.data[i * b.channels + (b.channels === 1 ? 0 : k)] as number;
      data[i * 3 + k] = Math.round((va + vb) / 2);
    }
  }
  return { width: SIDE, height: SIDE, channels: 3, data };
}
