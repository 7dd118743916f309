// Colour samples → 8-bit RGB: YBR_FULL to RGB (PS3.3 C.7.6.3.1.2) and scaling of deeper colour samples.

/** Rounds half up and clamps to 0..255, the one rounding rule of every 8-bit output in this module. */
export function toByte(v: number): number {
  const r = Math.floor(v + 0.5);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/** YBR_FULL (8-bit, CCIR 601 full range) to RGB, PS3.3 C.7.6.3.1.2; rewrites interleaved triplets in place. */
export function ybrFullToRgb(values: Float64Array): void {
  const CHROMA_OFFSET = 128;
  for (let i = 0; i + 2 < values.length; i += 3) {
    const y = values[i]!,
      cb = values[i + 1]! - CHROMA_OFFSET,
      cr = values[i + 2]! - CHROMA_OFFSET;
    values[i] = y + 1.402 * cr;
    values[i + 1] = y - 0.344136 * cb - 0.714136 * cr;
    values[i + 2] = y + 1.772 * cb;
  }
}

/** Colour samples of `bitsStored` bits → bytes (identity for 8-bit samples). */
export function colourToBytes(values: Float64Array, bitsStored: number): Uint8Array {
  const out = new Uint8Array(values.length);
  const scale = bitsStored <= 8 ? 1 : 255 / (2 ** bitsStored - 1);
  for (let i = 0; i < values.length; i++) out[i] = toByte(values[i]! * scale);
  return out;
}
