// Per-frame access to stored values, whatever the transfer syntax: native frames are sliced from the pixel data,
// encapsulated frames are split once and handed to their codec.
import { decodeCompressedFrame } from './compressed-pixels.ts';
import { encapsulatedFrameSplitter } from './encapsulated-frames.ts';
import { readNativeFrame } from './native-pixels.ts';
import type { DicomFile } from './read-dicom.ts';
import { toStoredValues } from './stored-values.ts';

export interface DecodedFrameValues {
  values: Float64Array;
  convertedToRgb: boolean;
}

/** Returns a function decoding frame i (0-based) to stored values. */
export function frameDecoder(d: DicomFile): (index: number) => Promise<DecodedFrameValues> {
  const codec = d.transferSyntax.codec;
  if (codec === 'native') {
    return async (i) => ({ values: toStoredValues(readNativeFrame(d, i), d.image, true), convertedToRgb: false });
  }
  const frames = encapsulatedFrameSplitter(d.dataSet, d.pixelData, d.image.numberOfFrames);
  return async (i) => {
    const f = await decodeCompressedFrame(codec, frames(i), d.image);
    return { values: toStoredValues(f.words, d.image, codec === 'rle'), convertedToRgb: f.convertedToRgb };
  };
}
