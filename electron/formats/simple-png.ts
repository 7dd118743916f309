// Decodes the plain PNGs MedBridge stores itself (8-bit grey or RGB, not interlaced, no transparency, colour
// profile or orientation chunks) on the calling thread: for small medical images this is ~10× cheaper than a
// round trip through sharp (two libvips pipelines per image), which dominated diagnosis of 28×28 MedMNIST items.
// Anything else returns null and is left to sharp (image-normalise.ts), so results never differ.
import { unzlibSync } from 'fflate';
import type { DecodedImage } from '../../shared/items.ts';
import { crc32Update } from './crc32.ts';

const SIGNATURE_BYTES = 8;
/** Chunks that cannot change the decoded pixels of an 8-bit grey/RGB image. */
const HARMLESS_ANCILLARY = new Set(['tEXt', 'zTXt', 'iTXt', 'pHYs', 'tIME', 'sRGB', 'bKGD']);
const COLOUR_GREY = 0;
const COLOUR_RGB = 2;

function u32(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the per-row filters (PNG spec §9) in place into `out`; false on an unknown filter type. */
function unfilter(raw: Uint8Array, out: Uint8Array, height: number, stride: number, bpp: number): boolean {
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    const up = dst - stride;
    for (let x = 0; x < stride; x++) {
      const v = raw[src + x] as number;
      const a = x >= bpp ? (out[dst + x - bpp] as number) : 0;
      const b = y > 0 ? (out[up + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (out[up + x - bpp] as number) : 0;
      switch (filter) {
        case 0:
          out[dst + x] = v;
          break;
        case 1:
          out[dst + x] = (v + a) & 0xff;
          break;
        case 2:
          out[dst + x] = (v + b) & 0xff;
          break;
        case 3:
          out[dst + x] = (v + ((a + b) >> 1)) & 0xff;
          break;
        case 4:
          out[dst + x] = (v + paeth(a, b, c)) & 0xff;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}

/** The decoded image, or null when the PNG is not one of the plain kinds handled here (or is damaged). */
export function decodeSimplePng(bytes: Uint8Array, maxSide: number): DecodedImage | null {
  let o = SIGNATURE_BYTES;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (o + 12 <= bytes.length) {
    const length = u32(bytes, o);
    const end = o + 12 + length;
    if (end > bytes.length) return null;
    const type = String.fromCharCode(bytes[o + 4] as number, bytes[o + 5] as number, bytes[o + 6] as number, bytes[o + 7] as number);
    const typeAndData = bytes.subarray(o + 4, o + 8 + length);
    if (crc32Update(0, typeAndData) !== u32(bytes, o + 8 + length)) return null;
    const data = bytes.subarray(o + 8, o + 8 + length);
    if (type === 'IHDR') {
      if (length !== 13 || o !== SIGNATURE_BYTES) return null;
      width = u32(data, 0);
      height = u32(data, 4);
      const [depth, colour, compression, filter, interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || compression !== 0 || filter !== 0 || interlace !== 0) return null;
      if (colour === COLOUR_GREY) channels = 1;
      else if (colour === COLOUR_RGB) channels = 3;
      else return null;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
      break;
    } else if (!HARMLESS_ANCILLARY.has(type)) {
      return null;
    }
    o = end;
  }
  if (!ended || channels === 0 || width < 1 || height < 1 || width > maxSide || height > maxSide || idat.length === 0) return null;
  const stride = width * channels;
  let raw: Uint8Array;
  try {
    const joined = idat.length === 1 ? (idat[0] as Uint8Array) : concat(idat);
    raw = unzlibSync(joined, { out: new Uint8Array((stride + 1) * height) });
  } catch {
    return null;
  }
  if (raw.length !== (stride + 1) * height) return null;
  const out = new Uint8Array(stride * height);
  if (!unfilter(raw, out, height, stride, channels)) return null;
  return { width, height, channels: channels as 1 | 3, data: out };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
