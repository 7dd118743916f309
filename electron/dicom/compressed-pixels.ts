// One encapsulated frame → sample words, by the codec its transfer syntax names.
import { createRequire } from 'node:module';
import { DecodeFailure } from './decode-failure.ts';
import { describeThrown } from './errors.ts';
import { decodeJpegSequential } from './jpeg-sequential-decoder.ts';
import { readJpegFrameHeader } from './jpeg-markers.ts';
import type { PixelModule } from './pixel-module.ts';
import { decodeRleFrame } from './rle-decoder.ts';
import type { PixelCodec } from './transfer-syntaxes.ts';
import { wasmDecode, type WasmCodecName } from './wasm-codecs.ts';

interface LosslessDecoder {
  decode(buffer: ArrayBufferLike, offset: number, length: number, numBytes?: number): ArrayLike<number>;
}
const require = createRequire(import.meta.url);
const { Decoder: LosslessJpegDecoder } = require('jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder };

/** libjpeg-turbo in this build handles 8-bit DCT only; 12-bit (Process 4) goes to our own decoder. */
const LIBJPEG_PRECISION = 8;

export interface CompressedFrame {
  /** Right-aligned sample words, pixel-interleaved. */
  words: Float64Array;
  /** True when the codec already turned YCbCr into RGB (JPEG DCT colour transform, JPEG 2000 MCT). */
  convertedToRgb: boolean;
}

function fail(what: string, e: unknown): never {
  if (e instanceof DecodeFailure) throw e;
  throw new DecodeFailure('dicom/decode-failed', `the ${what} decoder rejected the image data (${describeThrown(e)})`);
}

function checkShape(m: PixelModule, width: number, height: number, components: number, codec: string): void {
  if (width !== m.columns || height !== m.rows || components !== m.samplesPerPixel) {
    throw new DecodeFailure(
      'dicom/decode-failed',
      `the ${codec} image is ${width}×${height}×${components} but the file declares ${m.columns}×${m.rows}×${m.samplesPerPixel}`,
    );
  }
}

function wordsFromBytes(bytes: Uint8Array, bitsPerSample: number, count: number): Float64Array {
  const out = new Float64Array(count);
  if (bitsPerSample <= 8) {
    if (bytes.length < count) throw new DecodeFailure('dicom/decode-failed', 'the decoder returned fewer samples than the image holds');
    for (let i = 0; i < count; i++) out[i] = bytes[i]!;
  } else {
    if (bytes.length < 2 * count) throw new DecodeFailure('dicom/decode-failed', 'the decoder returned fewer samples than the image holds');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, true);
  }
  return out;
}

function planarToInterleaved(words: Float64Array, pixels: number): Float64Array {
  const out = new Float64Array(words.length);
  for (let s = 0; s < 3; s++) for (let p = 0; p < pixels; p++) out[p * 3 + s] = words[s * pixels + p]!;
  return out;
}

async function viaWasm(codec: WasmCodecName, label: string, encoded: Uint8Array, m: PixelModule, planarWhenNonInterleaved: boolean): Promise<Float64Array> {
  let out;
  try {
    out = await wasmDecode(codec, encoded);
  } catch (e) {
    fail(label, e);
  }
  checkShape(m, out.info.width, out.info.height, out.info.componentCount, label);
  const count = m.rows * m.columns * m.samplesPerPixel;
  const words = wordsFromBytes(out.bytes, out.info.bitsPerSample, count);
  // CharLS returns colour planes one after another when the scan is not interleaved (interleave mode 0).
  if (planarWhenNonInterleaved && m.samplesPerPixel === 3 && out.interleaveMode === 0) return planarToInterleaved(words, m.rows * m.columns);
  return words;
}

export async function decodeCompressedFrame(codec: Exclude<PixelCodec, 'native'>, encoded: Uint8Array, m: PixelModule): Promise<CompressedFrame> {
  const pixels = m.rows * m.columns;
  switch (codec) {
    case 'rle':
      return { words: decodeRleFrame(encoded, pixels, m.samplesPerPixel, m.bitsAllocated / 8), convertedToRgb: false };
    case 'jpeg-baseline':
    case 'jpeg-extended': {
      const header = readJpegFrameHeader(encoded);
      if (!header) throw new DecodeFailure('dicom/decode-failed', 'the JPEG frame header (SOF) is missing or damaged');
      checkShape(m, header.width, header.height, header.components, 'JPEG');
      if (header.precision === LIBJPEG_PRECISION) {
        return { words: await viaWasm('libjpeg-turbo', 'JPEG', encoded, m, false), convertedToRgb: m.samplesPerPixel === 3 };
      }
      try {
        const img = decodeJpegSequential(encoded);
        checkShape(m, img.width, img.height, img.components, 'JPEG');
        return { words: Float64Array.from(img.samples), convertedToRgb: img.convertedToRgb };
      } catch (e) {
        fail('JPEG (12-bit)', e);
      }
    }
    // falls through: unreachable, fail() throws
    case 'jpeg-lossless': {
      const header = readJpegFrameHeader(encoded);
      if (!header) throw new DecodeFailure('dicom/decode-failed', 'the JPEG lossless frame header (SOF) is missing or damaged');
      checkShape(m, header.width, header.height, header.components, 'JPEG lossless');
      let samples: ArrayLike<number>;
      try {
        samples = new LosslessJpegDecoder().decode(encoded.buffer, encoded.byteOffset, encoded.byteLength, header.precision > 8 ? 2 : 1);
      } catch (e) {
        fail('JPEG lossless', e);
      }
      const count = pixels * m.samplesPerPixel;
      if (samples.length < count) throw new DecodeFailure('dicom/decode-failed', 'the JPEG lossless decoder returned too few samples');
      const words = new Float64Array(count);
      for (let i = 0; i < count; i++) words[i] = samples[i]!;
      return { words, convertedToRgb: false };
    }
    case 'jpeg-ls':
      return { words: await viaWasm('charls', 'JPEG-LS', encoded, m, true), convertedToRgb: false };
    case 'jpeg-2000':
      // OpenJPEG undoes the multi-component transform itself: YBR_RCT/YBR_ICT come out as RGB (handled by the colour step).
      return { words: await viaWasm('openjpeg', 'JPEG 2000', encoded, m, false), convertedToRgb: false };
  }
}
