// DICOM RLE Lossless decoding (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per
// byte plane, most significant byte first, colour planes in R, G, B order.
import { DecodeFailure } from './decode-failure.ts';

/** PS3.5 G.5: header is 16 unsigned 32-bit little-endian integers: segment count then 15 offsets. */
const RLE_HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;
/** PackBits' best case: 2 bytes encode a run of 128, so a segment cannot expand more than 64-fold. */
const MAX_EXPANSION = 64;

function unpackBitsSegment(src: Uint8Array, start: number, end: number, out: Uint8Array): void {
  let i = start;
  let o = 0;
  const n = out.length;
  while (i < end && o < n) {
    const header = src[i++]!;
    if (header < 128) {
      // Literal run of header+1 bytes (PS3.5 G.3.1).
      const count = Math.min(header + 1, n - o, end - i);
      out.set(src.subarray(i, i + count), o);
      i += header + 1;
      o += count;
    } else if (header > 128) {
      // Replicate run: the next byte repeated 257-header times.
      const value = src[i++] ?? 0;
      const count = Math.min(257 - header, n - o);
      out.fill(value, o, o + count);
      o += count;
    }
    // 128 is a no-op.
  }
  if (o < n) throw new DecodeFailure('dicom/decode-failed', 'an RLE segment is shorter than the image it should hold');
}

/**
 * Decodes one RLE frame into unsigned sample values, interleaved by pixel.
 * `bytesPerSample` is BitsAllocated/8; samples per pixel 1 or 3.
 */
export function decodeRleFrame(src: Uint8Array, pixels: number, samplesPerPixel: number, bytesPerSample: number): Float64Array {
  if (src.length < RLE_HEADER_BYTES) throw new DecodeFailure('dicom/truncated', 'the RLE frame header is incomplete');
  if (pixels > src.length * MAX_EXPANSION) {
    throw new DecodeFailure('dicom/decode-failed', 'the RLE frame is too short for the declared image size');
  }
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected || segments > MAX_SEGMENTS) {
    throw new DecodeFailure('dicom/decode-failed', `the RLE frame has ${segments} segments where ${expected} are expected`);
  }
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + 4 * s, true));
  const values = new Float64Array(pixels * samplesPerPixel);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < segments; s++) {
    const start = offsets[s]!;
    const end = s + 1 < segments ? offsets[s + 1]! : src.length;
    if (start < RLE_HEADER_BYTES || start > end || end > src.length) {
      throw new DecodeFailure('dicom/decode-failed', 'an RLE segment offset points outside the frame');
    }
    unpackBitsSegment(src, start, end, plane);
    const sample = Math.floor(s / bytesPerSample);
    const byteWeight = 2 ** (8 * (bytesPerSample - 1 - (s % bytesPerSample)));
    for (let p = 0; p < pixels; p++) values[p * samplesPerPixel + sample]! += plane[p]! * byteWeight;
  }
  return values;
}
