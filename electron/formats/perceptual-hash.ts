// 64-bit difference hash (dHash) for near-duplicate detection, and the Hamming distance between two hashes.
// dHash: shrink to 9×8 grey, one bit per horizontal neighbour pair (left brighter than right) — N. Krawetz, "Kind of Like That", 2013.
import type { DecodedImage } from '../../shared/items.ts';

const HASH_WIDTH = 9;
const HASH_HEIGHT = 8;
/** ITU-R BT.601 luma weights (×1000). */
const LUMA_R = 299;
const LUMA_G = 587;
const LUMA_B = 114;

/** Sum of one-channel samples over a block (integers: exact in any order). */
function greySum(img: DecodedImage, x0: number, x1: number, y0: number, y1: number): number {
  const d = img.data;
  let sum = 0;
  for (let y = y0; y < y1; y++) {
    const row = y * img.width;
    for (let p = row + x0; p < row + x1; p++) sum += d[p]!;
  }
  return sum;
}

/** Sum of the BT.601 luma of RGB samples over a block, pixel by pixel in raster order. */
function lumaSum(img: DecodedImage, x0: number, x1: number, y0: number, y1: number): number {
  const d = img.data;
  let sum = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * img.width + x) * 3;
      sum += (LUMA_R * d[p]! + LUMA_G * d[p + 1]! + LUMA_B * d[p + 2]!) / 1000;
    }
  }
  return sum;
}

/** Area-averaged grey thumbnail of `w`×`h` pixels. */
function greyThumbnail(img: DecodedImage, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let ty = 0; ty < h; ty++) {
    const y0 = Math.floor((ty * img.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * img.height) / h));
    for (let tx = 0; tx < w; tx++) {
      const x0 = Math.floor((tx * img.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * img.width) / w));
      const sum = img.channels === 1 ? greySum(img, x0, x1, y0, y1) : lumaSum(img, x0, x1, y0, y1);
      out[ty * w + tx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** 64-bit dHash, most significant bit = top-left pair. */
export function dHash(img: DecodedImage): bigint {
  const t = greyThumbnail(img, HASH_WIDTH, HASH_HEIGHT);
  let h = 0n;
  for (let y = 0; y < HASH_HEIGHT; y++) {
    for (let x = 0; x < HASH_WIDTH - 1; x++) {
      h = (h << 1n) | ((t[y * HASH_WIDTH + x] as number) > (t[y * HASH_WIDTH + x + 1] as number) ? 1n : 0n);
    }
  }
  return h;
}

/** The hash as 16 lower-case hex digits (for storage). */
export function hashToHex(hash: bigint): string {
  return hash.toString(16).padStart(16, '0');
}

/** Number of differing bits between two 64-bit hashes (0 = identical; ≤ ~10 usually means the same picture). */
export function hammingDistance(a: bigint, b: bigint): number {
  let x = (a ^ b) & 0xffff_ffff_ffff_ffffn;
  let n = 0;
  while (x !== 0n) {
    x &= x - 1n;
    n++;
  }
  return n;
}
