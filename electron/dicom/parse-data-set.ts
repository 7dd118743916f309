// Bytes → dicom-parser data set, for Part 10 files and bare data sets, including deflated ones.
import { inflateRawSync } from 'node:zlib';
import { dicomParser, type DataSet } from './dicom-parser-lib.ts';
import { describeThrown } from './errors.ts';
import { findBareDataSetStart, hasPart10Prefix, sniffEncoding } from './sniff-encoding.ts';
import { TAG } from './tags.ts';
import { transferSyntaxInfo, type TransferSyntaxInfo } from './transfer-syntaxes.ts';

/** Upper bound for an inflated deflate-syntax data set, so a crafted stream cannot exhaust memory. */
export const MAX_INFLATED_BYTES = 1 << 30;

export type ParsedDataSet = {
  ok: true;
  dataSet: DataSet;
  transferSyntaxUid: string;
  /** Undefined when the syntax is not one this reader knows. */
  transferSyntax: TransferSyntaxInfo | undefined;
  hasFileMeta: boolean;
  /** Set when parsing stopped early; the elements read before the problem are kept. */
  parseProblem: string | undefined;
  /** Bytes before a bare data set that were not DICOM and were skipped. */
  leadingBytesSkipped: number;
};
export type ParseFailure = { ok: false; kind: 'not-dicom' | 'truncated' | 'inflate-failed'; detail: string };

type Meta = { transferSyntaxUid: string | undefined; position: number; elements: DataSet['elements'] };

function readMeta(bytes: Uint8Array): Meta | ParseFailure {
  try {
    const meta = dicomParser.readPart10Header(bytes) as DataSet & { position?: number };
    const tsEl = meta.elements[TAG.transferSyntaxUid];
    const ts = tsEl ? meta.string(TAG.transferSyntaxUid) : undefined;
    return { transferSyntaxUid: ts, position: meta.position ?? bytes.length, elements: meta.elements };
  } catch (e) {
    return { ok: false, kind: 'truncated', detail: `the file header (File Meta) is damaged: ${describeThrown(e)}` };
  }
}

/** Skips group-0002 elements of a bare data set that begins with File Meta without the Part 10 prefix. */
function skipBareMeta(bytes: Uint8Array, offset: number): Meta | ParseFailure {
  const withPrefix = new Uint8Array(bytes.length + 132);
  withPrefix.set([0x44, 0x49, 0x43, 0x4d], 128);
  withPrefix.set(bytes, 132);
  const meta = readMeta(withPrefix);
  if ('ok' in meta) return meta;
  return { ...meta, position: meta.position - 132 + offset, elements: {} };
}

function inflateBody(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position), { maxOutputLength: MAX_INFLATED_BYTES });
  const out = new Uint8Array(position + inflated.length);
  out.set(bytes.subarray(0, position), 0);
  out.set(inflated, position);
  return out;
}

export function parseDataSet(bytes: Uint8Array): ParsedDataSet | ParseFailure {
  const part10 = hasPart10Prefix(bytes);
  let meta: Meta | ParseFailure;
  let leadingBytesSkipped = 0;
  if (part10) {
    meta = readMeta(bytes);
  } else {
    const start = findBareDataSetStart(bytes);
    if (!start) return { ok: false, kind: 'not-dicom', detail: 'it has neither the DICOM "DICM" marker nor a recognisable DICOM data set' };
    if (start.position > 0) leadingBytesSkipped = start.position;
    meta = start.sniff.startsWithMeta
      ? skipBareMeta(bytes.subarray(start.position), start.position)
      : { transferSyntaxUid: start.sniff.transferSyntaxUid, position: start.position, elements: {} };
  }
  if ('ok' in meta) return meta;
  let tsUid = meta.transferSyntaxUid;
  if (!tsUid) {
    const sniff = sniffEncoding(bytes, meta.position);
    if (!sniff) return { ok: false, kind: 'not-dicom', detail: 'the data set after the file header is not recognisable DICOM' };
    tsUid = sniff.transferSyntaxUid;
  }
  const info = transferSyntaxInfo(tsUid);
  // Unknown syntaxes still encode the data set as explicit VR little endian (PS3.5 Section 10.1).
  const explicitVr = info?.explicitVr ?? true;
  const parser = info?.bigEndian ? dicomParser.bigEndianByteArrayParser : dicomParser.littleEndianByteArrayParser;
  let body = bytes;
  if (info?.deflated) {
    try {
      body = inflateBody(bytes, meta.position);
    } catch (e) {
      return { ok: false, kind: 'inflate-failed', detail: `its compressed (deflated) content cannot be expanded: ${describeThrown(e)}` };
    }
  }
  const stream = new dicomParser.ByteStream(parser, body, meta.position);
  const dataSet = new dicomParser.DataSet(parser, body, {});
  dataSet.warnings = stream.warnings;
  let parseProblem: string | undefined;
  try {
    if (explicitVr) dicomParser.parseDicomDataSetExplicit(dataSet, stream, body.length);
    else dicomParser.parseDicomDataSetImplicit(dataSet, stream, body.length);
  } catch (e) {
    parseProblem = describeThrown(e);
  }
  for (const [tag, el] of Object.entries(meta.elements)) dataSet.elements[tag] = el;
  if (Object.keys(dataSet.elements).length === 0) {
    return { ok: false, kind: parseProblem ? 'truncated' : 'not-dicom', detail: parseProblem ?? 'it contains no DICOM attributes' };
  }
  return { ok: true, dataSet, transferSyntaxUid: tsUid, transferSyntax: info, hasFileMeta: part10, parseProblem, leadingBytesSkipped };
}
