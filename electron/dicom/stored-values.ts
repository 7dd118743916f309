// Raw sample words → stored pixel values: keep Bits Stored bits below High Bit and apply two's complement when
// Pixel Representation is 1 (PS3.5 Section 8.1.1, PS3.3 C.7.6.3.1).
import type { PixelModule } from './pixel-module.ts';

/**
 * Rewrites `words` in place. `aligned` is true when the words come straight from the file (High Bit position
 * applies); codecs return values already right-aligned.
 */
export function toStoredValues(words: Float64Array, m: PixelModule, aligned: boolean): Float64Array {
  const shift = aligned ? m.highBit + 1 - m.bitsStored : 0;
  const range = 2 ** m.bitsStored;
  const signBit = 2 ** (m.bitsStored - 1);
  const divisor = 2 ** shift;
  const signed = m.pixelRepresentation === 1;
  if (m.bitsStored <= 30 && shift === 0) {
    const mask = range - 1;
    for (let i = 0; i < words.length; i++) {
      const v = words[i]! & mask;
      words[i] = signed && v >= signBit ? v - range : v;
    }
    return words;
  }
  for (let i = 0; i < words.length; i++) {
    const raw = words[i]!;
    const v = Math.floor((raw < 0 ? raw + 2 ** m.bitsAllocated : raw) / divisor) % range;
    words[i] = signed && v >= signBit ? v - range : v;
  }
  return words;
}
