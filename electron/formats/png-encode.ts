// PNG encoding of 8-bit grey or RGB pixels, for the small images an import stores (image-normalise.ts decides which).
// sharp (libvips) spends about 4 ms setting up a pipeline per image whatever its size; this encoder takes about
// 0.1 ms for a 28×28 image.
//
// The file: signature, IHDR (8-bit, colour type 0 grey or 2 RGB, no interlace), one IDAT, IEND (PNG spec, ISO/IEC
// 15948). Each row's filter is the one whose output has the smallest sum of absolute values read as signed bytes —
// the heuristic the PNG specification recommends (section 12.8) — then zlib deflate at the given level. Lossless:
// any PNG reader returns the same pixels.
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** zlib's default level. */
export const PNG_DEFLATE_LEVEL = 6;

export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** |v| for a filtered byte read as signed, the cost the heuristic sums. */
function signedAbs(v: number): number {
  return v < 128 ? v : 256 - v;
}

/**
 * Row `y` filtered with filter type `f` (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) into `out`, without the filter-type
 * byte; returns the sum of |signed bytes|. One loop per type, the first pixel apart (no left neighbour), and the first
 * row read against a row of zeros: this runs five times per row of every stored image.
 */
function filterRow(f: number, data: Uint8Array, y: number, stride: number, bpp: number, out: Uint8Array, zeros: Uint8Array): number {
  const cur = data.subarray(y * stride, (y + 1) * stride);
  const prev = y > 0 ? data.subarray((y - 1) * stride, y * stride) : zeros;
  let cost = 0;
  let i = 0;
  switch (f) {
    case 0:
      for (; i < stride; i++) cost += signedAbs((out[i] = cur[i]!));
      break;
    case 1:
      for (; i < bpp; i++) cost += signedAbs((out[i] = cur[i]!));
      for (; i < stride; i++) cost += signedAbs((out[i] = (cur[i]! - cur[i - bpp]!) & 0xff));
      break;
    case 2:
      for (; i < stride; i++) cost += signedAbs((out[i] = (cur[i]! - prev[i]!) & 0xff));
      break;
    case 3:
      for (; i < bpp; i++) cost += signedAbs((out[i] = (cur[i]! - (prev[i]! >> 1)) & 0xff));
      for (; i < stride; i++) cost += signedAbs((out[i] = (cur[i]! - ((cur[i - bpp]! + prev[i]!) >> 1)) & 0xff));
      break;
    default:
      // Paeth with a = c = 0 for the first pixel predicts b
      for (; i < bpp; i++) cost += signedAbs((out[i] = (cur[i]! - prev[i]!) & 0xff));
      for (; i < stride; i++) {
        const a = cur[i - bpp]!;
        const b = prev[i]!;
        const c = prev[i - bpp]!;
        const pa = b > c ? b - c : c - b;
        const pb = a > c ? a - c : c - a;
        const d = a + b - 2 * c;
        const pc = d < 0 ? -d : d;
        cost += signedAbs((out[i] = (cur[i]! - (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff));
      }
  }
  return cost;
}

/** The PNG file of an 8-bit grey (1 channel) or RGB (3 channels) image. */
export function encodePngSync(img: RawImage, level = PNG_DEFLATE_LEVEL): Uint8Array {
  const { width, height, channels, data } = img;
  const stride = width * channels;
  const filtered = new Uint8Array((stride + 1) * height);
  const trial = new Uint8Array(stride);
  const zeros = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1);
    let bestCost = Infinity;
    for (let f = 0; f < 5; f++) {
      const cost = filterRow(f, data, y, stride, channels, trial, zeros);
      if (cost < bestCost) {
        bestCost = cost;
        filtered[at] = f;
        filtered.set(trial, at + 1);
      }
    }
  }
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header[8] = 8;
  header[9] = channels === 1 ? 0 : 2;
  const idat = deflateSync(filtered, { level });
  const file = Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
  return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}
