// DICOM import toolkit: pure functions over bytes (no database, no file system).
//
//   readDicom(bytes, fileName): DicomReadResult
//     Parses a Part 10 file or a bare data set (implicit/explicit VR sniffed, deflate inflated) and checks its
//     pixel description. {ok:true, file, dataSet, transferSyntax, image, pixelData, warnings} or
//     {ok:false, error:{code, message, file}}; codes: dicom/not-dicom, dicom/truncated, dicom/no-pixel-data,
//     dicom/unsupported-syntax, dicom/unsupported-image, dicom/too-large, dicom/decode-failed. Never throws.
//   readDicomDataSet(bytes, fileName): DicomDataSetResult — any object, image or not (for de-identification).
//   initCodecs(): Promise<void> — loads the WebAssembly codecs up front (optional; decoding loads on demand).
//   decodeDicom(file, {maxFrames?}): Promise<DicomDecodeResult>
//     Every frame as an 8-bit DecodedImage (shared/items.ts) plus, per frame, the rendering applied:
//     grey = stored value × RescaleSlope + RescaleIntercept, then the first WindowCenter/Width (PS3.3
//     C.11.2.1.2.1), else the first VOI LUT, else the frame's min–max; MONOCHROME1 inverted; colour → RGB
//     (YBR_FULL converted, palette looked up). Never throws for bad data.
//   decodeStoredFrames(file): Promise<StoredFramesResult> — stored values per frame, before rescale/VOI.
//   deidentify({dataSet, transferSyntaxUid?}, {secret, dates:'remove'|'shift', shiftDays?}): DeidentifiedRecord
//     PS3.15 Annex E basic profile; returns only safe metadata, a keyed-hash patient pseudonym ("P-…"),
//     keyed-hash UIDs (2.25.…), CID 7050 method codes and a quarantine flag for burned-in annotation.
//
// Transfer syntaxes: implicit/explicit VR little endian, explicit big endian, deflated, RLE, JPEG baseline,
// JPEG extended (12-bit), JPEG lossless (process 14), JPEG-LS lossless/near-lossless, JPEG 2000.

export { readDicom, readDicomDataSet, type DicomFile, type DicomReadResult, type DicomDataSetResult } from './read-dicom.ts';
export { DICOM_ERROR_CODES, type DicomError, type DicomErrorCode } from './errors.ts';
export { initCodecs } from './wasm-codecs.ts';
export {
  decodeDicom,
  decodeStoredFrames,
  renderFrame,
  type DecodedDicom,
  type DicomDecodeResult,
  type FrameRendering,
  type StoredFrame,
  type StoredFramesResult,
  type DecodeOptions,
} from './decode-dicom.ts';
export type { Voi, Rescale } from './voi.ts';
export type { PixelModule, Photometric } from './pixel-module.ts';
export { SUPPORTED_TRANSFER_SYNTAXES, transferSyntaxInfo, type TransferSyntaxInfo } from './transfer-syntaxes.ts';
export {
  deidentify,
  DEID_METHOD,
  type DeidentifiedRecord,
  type DeidentifyOptions,
  type SafeDicomMetadata,
  type DeidentifySource,
} from './deidentify/deidentify.ts';
export { BASIC_PROFILE, PROFILE_NAME, profileAction, type ProfileAction } from './deidentify/confidentiality-profile.ts';
