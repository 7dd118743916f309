// 64-bit perceptual hashes held as two unsigned 32-bit halves, so banding and Hamming distance stay in plain numbers.
const PHASH_HEX = /^[0-9a-f]{16}$/i;
export const PHASH_BITS = 64;

export interface Phash64 {
  hi: number;
  lo: number;
}

export function parsePhash(hex: string): Phash64 {
  if (!PHASH_HEX.test(hex)) throw new RangeError(`phash must be 16 hex digits, got "${hex}"`);
  return { hi: Number.parseInt(hex.slice(0, 8), 16) >>> 0, lo: Number.parseInt(hex.slice(8), 16) >>> 0 };
}

/** Set bits of a 32-bit word (SWAR popcount, Hacker's Delight §5-1). */
export function popcount32(x: number): number {
  let v = x >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

export function hamming64(a: Phash64, b: Phash64): number {
  return popcount32(a.hi ^ b.hi) + popcount32(a.lo ^ b.lo);
}

/** Bit `i` of the hash, 0 = most significant. */
function bitAt(h: Phash64, i: number): number {
  return i < 32 ? (h.hi >>> (31 - i)) & 1 : (h.lo >>> (63 - i)) & 1;
}

/**
 * Splits the 64 bits into `bands` contiguous bands (sizes differ by at most one) and returns each band's value.
 * Pigeonhole: two hashes at Hamming distance ≤ bands − 1 agree exactly on at least one band.
 */
export function bandValues(h: Phash64, bands: number): number[] {
  const out: number[] = [];
  let start = 0;
  for (let b = 0; b < bands; b++) {
    const end = Math.round(((b + 1) * PHASH_BITS) / bands);
    let v = 0;
    for (let i = start; i < end; i++) v = v * 2 + bitAt(h, i);
    out.push(v);
    start = end;
  }
  return out;
}
