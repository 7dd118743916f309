// Uncompressed (native) pixel data: one frame's sample words, in pixel-interleaved order (PS3.5 Section 8.1).
import { DecodeFailure } from './decode-failure.ts';
import type { DicomFile } from './read-dicom.ts';

/** YBR_FULL_422 stores two luma samples and one Cb, Cr pair per two pixels (PS3.3 C.7.6.3.1.2). */
const YBR_422_BYTES_PER_PAIR = 4;

export function nativeFrameByteLength(d: Pick<DicomFile, 'image'>): number {
  const m = d.image;
  const samples = m.photometric === 'YBR_FULL_422' ? m.rows * m.columns * 2 : m.rows * m.columns * m.samplesPerPixel;
  return Math.ceil((samples * m.bitsAllocated) / 8);
}

/** Sample words of frame `index` (unsigned, as stored), interleaved R,G,B per pixel for colour. */
export function readNativeFrame(d: DicomFile, index: number): Float64Array {
  const m = d.image;
  const el = d.pixelData;
  const bytes = d.dataSet.byteArray;
  const pixels = m.rows * m.columns;
  const spp = m.samplesPerPixel;
  const out = new Float64Array(pixels * spp);
  if (m.bitsAllocated === 1) {
    // Bit-packed frames follow each other without padding; the first pixel is the least significant bit.
    const firstBit = index * pixels;
    for (let p = 0; p < pixels; p++) {
      const bit = firstBit + p;
      out[p] = ((bytes[el.dataOffset + (bit >> 3)] ?? 0) >> (bit & 7)) & 1;
    }
    return out;
  }
  const frameLength = nativeFrameByteLength(d);
  const start = el.dataOffset + index * frameLength;
  if (start + frameLength > bytes.length) throw new DecodeFailure('dicom/truncated', `frame ${index + 1} runs past the end of the file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, frameLength);
  const little = !d.transferSyntax.bigEndian;
  // Big endian OW data with 8-bit samples is stored as swapped byte pairs (PS3.5 Annex A.3 note).
  const swap8 = d.transferSyntax.bigEndian && el.vr === 'OW';
  const word = (i: number): number => {
    switch (m.bitsAllocated) {
      case 8:
        return view.getUint8(swap8 ? i ^ 1 : i);
      case 16:
        return view.getUint16(2 * i, little);
      default:
        return view.getUint32(4 * i, little);
    }
  };
  if (m.photometric === 'YBR_FULL_422') {
    if (m.bitsAllocated !== 8) throw new DecodeFailure('dicom/unsupported-image', 'YBR_FULL_422 is only supported with 8-bit samples');
    for (let p = 0; p + 1 < pixels + 1; p += 2) {
      const b = (p / 2) * YBR_422_BYTES_PER_PAIR;
      const cb = word(b + 2),
        cr = word(b + 3);
      out.set([word(b), cb, cr], p * 3);
      if (p + 1 < pixels) out.set([word(b + 1), cb, cr], (p + 1) * 3);
    }
    return out;
  }
  if (spp === 3 && m.planarConfiguration === 1) {
    for (let s = 0; s < 3; s++) for (let p = 0; p < pixels; p++) out[p * 3 + s] = word(s * pixels + p);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = word(i);
  }
  return out;
}
