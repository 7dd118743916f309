// Hashed character-trigram bag of an option text ("feature hashing", Weinberger et al., ICML 2009).
// Twin of build/reference-pack/pack_preprocessing.py (text_hash_embedding); a parity test keeps them equal.

export const TEXT_HASH_DIM = 512;
const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;
/** Bit of the trigram hash that decides the sign of its contribution. */
const SIGN_BIT = 16;
const SPACE = 0x20;
const TRIGRAM = 3;

function isWordByte(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b >= 0x80;
}

/** NFC, UTF-8, ASCII letters lowered, runs of other ASCII bytes (spaces, punctuation) to one space, padded by spaces. */
export function normaliseOptionText(text: string): Uint8Array {
  const raw = new TextEncoder().encode(text.normalize('NFC'));
  const out: number[] = [];
  let pendingSpace = true;
  for (let b of raw) {
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (isWordByte(b)) {
      if (pendingSpace) {
        out.push(SPACE);
        pendingSpace = false;
      }
      out.push(b);
    } else {
      pendingSpace = true;
    }
  }
  out.push(SPACE);
  return Uint8Array.from(out);
}

function fnv1a32(bytes: Uint8Array, start: number, length: number): number {
  let h = FNV32_OFFSET;
  for (let i = start; i < start + length; i++) {
    h ^= bytes[i] as number;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** Signed hashed trigram counts, L2-normalised; all zeros when the text has no letters or digits. */
export function textHashEmbedding(text: string, dim: number = TEXT_HASH_DIM): Float32Array {
  const acc = new Float64Array(dim);
  const bytes = normaliseOptionText(text);
  for (let i = 0; i + TRIGRAM <= bytes.length; i++) {
    const h = fnv1a32(bytes, i, TRIGRAM);
    acc[h % dim]! += (h >>> SIGN_BIT) & 1 ? -1 : 1;
  }
  let norm = 0;
  for (const v of acc) norm += v * v;
  norm = Math.sqrt(norm);
  const out = new Float32Array(dim);
  if (norm > 0) for (let i = 0; i < dim; i++) out[i] = (acc[i] as number) / norm;
  return out;
}
