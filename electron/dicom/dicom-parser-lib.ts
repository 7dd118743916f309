// The dicom-parser library, loaded through require (its UMD bundle exposes no ESM named exports), with the two
// classes its typings leave out.
import { createRequire } from 'node:module';
import type * as DicomParserTypes from 'dicom-parser';

export type DataSet = DicomParserTypes.DataSet;
export type Element = DicomParserTypes.Element;
export type ByteArrayParser = DicomParserTypes.ByteArrayParser;
export type ByteStream = DicomParserTypes.ByteStream;

type DicomParserModule = typeof DicomParserTypes & {
  DataSet: new (parser: ByteArrayParser, byteArray: Uint8Array, elements: Record<string, Element>) => DataSet;
  ByteStream: new (parser: ByteArrayParser, byteArray: Uint8Array, position?: number) => ByteStream;
};

const require = createRequire(import.meta.url);
export const dicomParser = require('dicom-parser') as DicomParserModule;
