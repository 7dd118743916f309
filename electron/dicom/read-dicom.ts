// readDicom: bytes of one file → a parsed, checked DICOM image description, or a coded error naming the file.
// Never throws for bad input.
import type { DataSet, Element } from './dicom-parser-lib.ts';
import { describeThrown, dicomError, type DicomError } from './errors.ts';
import { nativeFrameByteLength } from './native-pixels.ts';
import { parseDataSet } from './parse-data-set.ts';
import { readPixelModule, type PixelModule } from './pixel-module.ts';
import { TAG } from './tags.ts';
import type { TransferSyntaxInfo } from './transfer-syntaxes.ts';

/** Largest image (all frames, all samples, 8-bit output) the reader accepts: 1 GiB. */
export const MAX_TOTAL_SAMPLES = 1 << 30;
/** Largest single frame (samples) decoded at once. */
export const MAX_FRAME_SAMPLES = 1 << 26;

export interface DicomFile {
  file: string;
  dataSet: DataSet;
  transferSyntaxUid: string;
  transferSyntax: TransferSyntaxInfo;
  hasFileMeta: boolean;
  image: PixelModule;
  pixelData: Element;
  /** Things tolerated while reading (e.g. trailing bytes after the pixel data). */
  warnings: string[];
}

export type DicomReadResult = ({ ok: true } & DicomFile) | { ok: false; error: DicomError };

export function readDicom(bytes: Uint8Array, fileName: string): DicomReadResult {
  try {
    return readDicomUnsafe(bytes, fileName);
  } catch (e) {
    // Defensive: any unforeseen failure in the parser is still reported as a coded error.
    return dicomError('dicom/not-dicom', fileName, `${fileName} could not be read as DICOM (${describeThrown(e)}).`);
  }
}

function readDicomUnsafe(bytes: Uint8Array, file: string): DicomReadResult {
  if (bytes.length === 0) return dicomError('dicom/not-dicom', file, `${file} is empty.`);
  const parsed = parseDataSet(bytes);
  if (!parsed.ok) {
    if (parsed.kind === 'not-dicom') return dicomError('dicom/not-dicom', file, `${file} is not a DICOM file: ${parsed.detail}.`);
    return dicomError('dicom/truncated', file, `${file} is incomplete or damaged: ${parsed.detail}.`);
  }
  const { dataSet, transferSyntax, transferSyntaxUid, parseProblem } = parsed;
  const warnings: string[] = [];
  const pixelData = dataSet.elements[TAG.pixelData];
  if (!pixelData) {
    if (parseProblem) {
      return dicomError('dicom/truncated', file, `${file} ends or breaks off before its image data (${parseProblem}).`);
    }
    if (dataSet.elements[TAG.floatPixelData] || dataSet.elements[TAG.doubleFloatPixelData]) {
      return dicomError('dicom/unsupported-image', file, `${file} holds floating-point pixel data, which is not supported.`);
    }
    return dicomError('dicom/no-pixel-data', file, `${file} contains no image (no Pixel Data); it may be a report, a structured document or a private object.`);
  }
  if (!transferSyntax) {
    return dicomError('dicom/unsupported-syntax', file, `${file} uses the transfer syntax ${transferSyntaxUid}, which MedBridge cannot decode.`);
  }
  const end = pixelData.dataOffset + pixelData.length;
  if (!pixelData.encapsulatedPixelData && (pixelData.length < 0 || end > dataSet.byteArray.length)) {
    return dicomError('dicom/truncated', file, `${file} is cut off inside its image data.`);
  }
  if (parsed.leadingBytesSkipped > 0) warnings.push(`skipped ${parsed.leadingBytesSkipped} stray byte(s) before the data set`);
  if (parseProblem) warnings.push(`reading stopped after the image data: ${parseProblem}`);
  const pm = readPixelModule(dataSet);
  if (!pm.ok) return dicomError('dicom/unsupported-image', file, `${file} cannot be shown as an image: ${pm.reason}.`);
  const m = pm.module;
  const frameSamples = m.rows * m.columns * m.samplesPerPixel;
  if (frameSamples > MAX_FRAME_SAMPLES || frameSamples * m.numberOfFrames > MAX_TOTAL_SAMPLES) {
    return dicomError('dicom/too-large', file, `${file} declares an image too large to import (${m.columns}×${m.rows}, ${m.numberOfFrames} frames).`);
  }
  const encapsulated = transferSyntax.codec !== 'native';
  if (encapsulated !== Boolean(pixelData.encapsulatedPixelData)) {
    return dicomError(
      'dicom/decode-failed',
      file,
      `${file} declares ${transferSyntax.name} but its image data is ${encapsulated ? 'not compressed' : 'compressed'}.`,
    );
  }
  if (encapsulated && (pixelData.fragments?.length ?? 0) === 0) {
    return dicomError('dicom/truncated', file, `${file} has compressed image data with no content.`);
  }
  if (!encapsulated) {
    const needed = m.bitsAllocated === 1 ? Math.ceil((frameSamples * m.numberOfFrames) / 8) : nativeFrameByteLength({ image: m }) * m.numberOfFrames;
    if (pixelData.length < needed) {
      return dicomError('dicom/truncated', file, `${file} has less image data than its size declares (${pixelData.length} of ${needed} bytes).`);
    }
  }
  return { ok: true, file, dataSet, transferSyntaxUid, transferSyntax, hasFileMeta: parsed.hasFileMeta, image: m, pixelData, warnings };
}

export type DicomDataSetResult = { ok: true; file: string; dataSet: DataSet; transferSyntaxUid: string; warnings: string[] } | { ok: false; error: DicomError };

/** Reads any DICOM object (image or not), e.g. to de-identify its metadata. Never throws for bad input. */
export function readDicomDataSet(bytes: Uint8Array, fileName: string): DicomDataSetResult {
  try {
    const parsed = parseDataSet(bytes);
    if (!parsed.ok) {
      const code = parsed.kind === 'not-dicom' ? 'dicom/not-dicom' : 'dicom/truncated';
      return dicomError(code, fileName, `${fileName} cannot be read as DICOM: ${parsed.detail}.`);
    }
    const warnings = parsed.parseProblem ? [`reading stopped early: ${parsed.parseProblem}`] : [];
    return { ok: true, file: fileName, dataSet: parsed.dataSet, transferSyntaxUid: parsed.transferSyntaxUid, warnings };
  } catch (e) {
    return dicomError('dicom/not-dicom', fileName, `${fileName} could not be read as DICOM (${describeThrown(e)}).`);
  }
}
