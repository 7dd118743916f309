// Public API of the format readers: pure functions that turn source files into ItemDrafts + DecodedImages (no database).
//
// Every reader is an async generator of ReadEvent — {type:'item', item, image, imageRef, extra} | {type:'rejection', issue} |
// {type:'warning', issue} — where issue = {file, row?, code, reason}. Readers stream (one image in memory at a time, arrays
// read row by row) and never throw: a bad file yields one rejection, a bad row yields a rejection for that row, and reading
// continues. `collectEvents` drains a reader for small sources and tests.
//
//   readMedMnist(file, {seed, task?, splits?, bytes?})            MedMNIST v2 .npz → multiple choice over class names (ChestMNIST: yes/no per finding)
//   readPmcVqa(csv, {images, split?, bytes?})                      PMC-VQA CSV + image folder or zip → 4-option multiple choice, modality 'none'
//   readVqaRad(json, {seed, images?, missingImage?, split?})       VQA-RAD → closed: multiple choice, open: free-form
//   readSlake(jsonOrCsv, {seed, images?, missingImage?, languages?}) SLAKE 1.0 JSON or CSV exports, same rules; modality from the source
//   readImageFolder(root, {seed, modality, task, question?})       <root>/<class>/<image> → multiple choice over class names
//
// Building blocks: ZipArchive (safe zip listing/streaming), parseNpy/NpyRowStream/NpzFile, CsvParser/parseCsv/readCsvTable,
// decodeImage/encodePng/dHash/hammingDistance, normaliseRelativePath. Option orders are shuffled with
// deriveSeed(seed, sourceKey) and recorded as optionSeed.
export { ISSUE_CODES, FormatError, collectEvents, toIssue } from './issues.ts';
export type { Issue, IssueCode, ReadEvent, ReadItem } from './issues.ts';
export { normaliseRelativePath } from './safe-path.ts';
export type { SafePath } from './safe-path.ts';
export { bytesSource, fileSource } from './byte-source.ts';
export type { ByteSource } from './byte-source.ts';
export { ZipArchive, openZipBytes, openZipFile, DEFAULT_ZIP_LIMITS } from './zip-reader.ts';
export type { ZipEntry, ZipLimits } from './zip-reader.ts';
export { parseNpy, parseNpyHeader, toTypedArray, NpyRowStream, MAX_NPY_HEADER_BYTES, MAX_IN_MEMORY_NPY_BYTES } from './npy.ts';
export type { NpyArray, NpyDtype, NpyHeader, NpyTypedArray } from './npy.ts';
export { NpzFile } from './npz.ts';
export { readMedMnist, MEDMNIST_SPLITS, MEDMNIST_MAX_SIDE } from './medmnist.ts';
export type { MedMnistOptions } from './medmnist.ts';
export { CsvParser, parseCsv, parseCsvBytes, MAX_CSV_RECORD_BYTES } from './csv.ts';
export type { CsvEvent } from './csv.ts';
export { readCsvTable } from './csv-table.ts';
export type { TableEvent } from './csv-table.ts';
export { readPmcVqa, PMC_VQA_COLUMNS } from './pmc-vqa.ts';
export type { PmcVqaOptions } from './pmc-vqa.ts';
export { readVqaRad } from './vqa-rad.ts';
export type { VqaRadOptions } from './vqa-rad.ts';
export { readSlake } from './slake.ts';
export type { SlakeOptions } from './slake.ts';
export type { MissingImagePolicy } from './vqa-images.ts';
export { closedOptions, orAlternatives, yesNoOptions } from './closed-options.ts';
export { readImageFolder } from './image-folder.ts';
export type { ImageFolderOptions } from './image-folder.ts';
export { decodeImage, encodePng, sniffImageType, MAX_IMAGE_SIDE, MAX_INPUT_PIXELS } from './image-normalise.ts';
export type { DecodeOptions, ImageType } from './image-normalise.ts';
export { dHash, hammingDistance, hashToHex } from './perceptual-hash.ts';
export { openImageStore, folderImageStore, zipImageStore } from './image-store.ts';
export type { ImageStore } from './image-store.ts';
export { shuffleOptions } from './item-builder.ts';
