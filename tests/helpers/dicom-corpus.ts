// A seeded corpus of DICOM files generated from the fixtures (tests/fixtures/dicom), for benches and large-import
// tests: nothing in it deduplicates by UID or (for uncompressed and RLE pixel data) by pixels.
//
// Layout: <root>/patient-NNNNN/study-1/series-N/slice-NNNN.dcm. Files are grouped into series of `slicesPerSeries`
// slices (the last one may be shorter) and `seriesPerPatient` series per patient (one study per patient). Each series
// is made from one template fixture, the templates taken in turn (in a seeded order) so the corpus covers each about
// equally. Every generated file gets, written into its top-level data set:
//   - a new SOP Instance UID (also File Meta's Media Storage SOP Instance UID), per file;
//   - a new Series Instance UID (and Frame of Reference UID when the template has one), per series;
//   - a new Study Instance UID and Patient ID, per patient;
//   - Instance Number = slice number (1-based), and Image Position (Patient) moved along z by one Slice Thickness (or
//     1 mm) per slice when the template has a readable one, so a series has an order;
//   - pixel noise: uncompressed (native) pixel data gets −1/0/+1 on every sample (clamped to Bits Stored, high bits
//     kept); RLE pixel data gets ±1 on bytes of each sample's low-order byte segment (literal bytes, and some
//     replicate-run bytes), in place: the stream keeps its length and stays valid. JPEG, JPEG-LS and JPEG 2000 pixel
//     data is copied unchanged (re-encoding it is out of scope): files made from one compressed template differ in
//     their UIDs only, and decode to the same pixels — so their rendered PNGs deduplicate in a content-addressed store.
// Elements are rewritten from the template's bytes: every top-level element not changed is copied byte for byte, a
// changed one is re-encoded with its new (even, padded) length in the template's transfer syntax (implicit or explicit
// VR, little or big endian, deflated data sets re-deflated), inserted in tag order when the template lacks it, and any
// group length element (gggg,0000, File Meta's included) is recomputed. Nested sequences are never touched.
//
// The same seed and options give the same bytes. No test-framework imports: usable from benches and tests alike.
// Cost: a template is parsed once; a file is one copy of the template's bytes plus the noise pass (about 2 ms a file
// on average with the default templates, writing included).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type * as DicomParserTypes from 'dicom-parser';
import { createRng, shuffled, type Rng } from '../../shared/random.ts';
import { EXPECTED, FIXTURES, readFixture } from '../unit/dicom/fixture-table.ts';

type DataSet = DicomParserTypes.DataSet;
type Element = DicomParserTypes.Element;
type DicomParserModule = typeof DicomParserTypes & {
  DataSet: new (parser: DicomParserTypes.ByteArrayParser, byteArray: Uint8Array, elements: Record<string, Element>) => DataSet;
  ByteStream: new (parser: DicomParserTypes.ByteArrayParser, byteArray: Uint8Array, position?: number) => DicomParserTypes.ByteStream;
};
const dicomParser = createRequire(import.meta.url)('dicom-parser') as DicomParserModule;

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';
const DEFLATED = '1.2.840.10008.1.2.1.99';
const RLE = '1.2.840.10008.1.2.5';
const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', EXPLICIT_BE, DEFLATED]);

/**
 * Fixtures MedBridge decodes, the reference pydicom decodes, and a DICOM import without a labels CSV turns into an item.
 * Left out: no_meta.dcm (pydicom mis-parses it), priv_SQ.dcm (no pixels), and the files whose modality (OT, RTDOSE)
 * an import without labels rejects as item-invalid — SC_rgb_jpeg_dcmtk, SC_rgb_rle_2frame, SC_rgb_small_odd,
 * image_dfl (deflated), rtdose — since a rejected file is less work for the import than for a script that renders it.
 */
const NOT_ITEMS_WITHOUT_LABELS = new Set([
  'pydicom/SC_rgb_jpeg_dcmtk.dcm',
  'pydicom/SC_rgb_rle_2frame.dcm',
  'pydicom/SC_rgb_small_odd.dcm',
  'pydicom/image_dfl.dcm',
  'pydicom/rtdose.dcm',
]);
export const DEFAULT_CORPUS_TEMPLATES: readonly string[] = FIXTURES.filter((f) => {
  const e = EXPECTED[f]!;
  return e.decoded && e.pydicom && !NOT_ITEMS_WITHOUT_LABELS.has(f);
});

/** The default templates of at most 40 kB (small CT, MR in every encoding, JPEG extended, JPEG 2000): about 15 kB a file. */
export const SMALL_CORPUS_TEMPLATES: readonly string[] = [
  'pydicom/CT_small.dcm',
  'pydicom/MR_small.dcm',
  'pydicom/MR_small_RLE.dcm',
  'pydicom/MR_small_bigendian.dcm',
  'pydicom/MR_small_implicit.dcm',
  'pydicom/MR_small_jpeg_ls_lossless.dcm',
  'pydicom/MR_small_jp2klossless.dcm',
  'pydicom/JPGExtended.dcm',
  'pydicom/ExplVR_BigEnd.dcm',
  'pydicom-data/emri_small_jpeg_2k_lossless.dcm',
];

export interface DicomCorpusOptions {
  /** Number of files to write. */
  files: number;
  seed: number;
  /** Slices (files) per series; default 8. */
  slicesPerSeries?: number;
  /** Series per patient (one study); default 3. */
  seriesPerPatient?: number;
  /** Fixture names (as in fixture-table.ts); default DEFAULT_CORPUS_TEMPLATES. */
  templates?: readonly string[];
}

export interface DicomCorpus {
  root: string;
  /** Absolute paths, in generation order. */
  files: string[];
  /** The template (fixture name) of each file, parallel to `files`. */
  templateOf: string[];
  bytes: number;
  patients: number;
  series: number;
  /** Files generated from each template. */
  perTemplate: Record<string, number>;
}

/** Writes the corpus under `root` (created if needed) and describes it. */
export function writeDicomCorpus(root: string, opts: DicomCorpusOptions): DicomCorpus {
  const slicesPerSeries = opts.slicesPerSeries ?? 8;
  const seriesPerPatient = opts.seriesPerPatient ?? 3;
  if (!(slicesPerSeries >= 1 && seriesPerPatient >= 1 && opts.files >= 0))
    throw new Error('writeDicomCorpus: files ≥ 0, slicesPerSeries ≥ 1, seriesPerPatient ≥ 1');
  const rng = createRng(opts.seed);
  const names = shuffled(opts.templates ?? DEFAULT_CORPUS_TEMPLATES, rng);
  if (names.length === 0) throw new Error('writeDicomCorpus: no templates');
  const templates = names.map(loadTemplate);
  const files: string[] = [];
  const templateOf: string[] = [];
  const perTemplate: Record<string, number> = {};
  let bytes = 0,
    series = 0,
    patients = 0;
  let patient: { id: string; study: string; dir: string } | null = null;
  while (files.length < opts.files) {
    if (series % seriesPerPatient === 0) {
      patients++;
      patient = {
        id: `SYN${opts.seed}-${String(patients).padStart(6, '0')}`,
        study: newUid(rng),
        dir: join(root, `patient-${String(patients).padStart(5, '0')}`, 'study-1'),
      };
    }
    const t = templates[series % templates.length]!;
    const seriesUid = newUid(rng),
      frameOfReference = newUid(rng);
    const seriesDir = join(patient!.dir, `series-${(series % seriesPerPatient) + 1}`);
    mkdirSync(seriesDir, { recursive: true });
    series++;
    for (let s = 0; s < slicesPerSeries && files.length < opts.files; s++) {
      const out = variant(t, { sop: newUid(rng), series: seriesUid, study: patient!.study, frameOfReference, patientId: patient!.id, slice: s }, rng);
      const path = join(seriesDir, `slice-${String(s + 1).padStart(4, '0')}.dcm`);
      writeFileSync(path, out);
      files.push(path);
      templateOf.push(t.name);
      bytes += out.length;
      perTemplate[t.name] = (perTemplate[t.name] ?? 0) + 1;
    }
  }
  return { root, files, templateOf, bytes, patients, series, perTemplate };
}

/** A 2.25 UID (PS3.5 B.2) from 128 seeded random bits: 44 characters at most. */
function newUid(rng: Rng): string {
  let n = 0n;
  for (let i = 0; i < 4; i++) n = (n << 32n) | BigInt(rng.int(2 ** 32));
  return `2.25.${n.toString()}`;
}

// ---- templates -------------------------------------------------------------------------------------------------

interface Chunk {
  tag: number;
  vr: string | undefined;
  /** Byte range of the whole element (header and value) in the template's bytes. */
  start: number;
  end: number;
  element: Element;
}

interface Template {
  name: string;
  /** The file's bytes; for a deflated data set, the File Meta followed by the inflated data set. */
  bytes: Uint8Array;
  syntax: string;
  explicit: boolean;
  little: boolean;
  /** Part 10 prefix (preamble + "DICM") length: 132, or 0 for a bare data set. */
  prefix: number;
  meta: Chunk[];
  /** Where the (inflated) data set starts. */
  dataStart: number;
  elements: Chunk[];
  /** Bytes after the last element, copied as they are. */
  tailStart: number;
  dataSet: DataSet;
  pixel: { bitsAllocated: number; bitsStored: number; signed: boolean; samplesPerPixel: number };
}

const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const cache = new Map<string, Template>();

function tagNumber(tag: string): number {
  return Number.parseInt(tag.slice(1), 16) >>> 0;
}

function headerLength(explicit: boolean, vr: string | undefined): number {
  return !explicit ? 8 : vr && LONG_LENGTH_VRS.has(vr) ? 12 : 8;
}

/** Top-level elements as contiguous byte ranges from `from`; throws if the layout has gaps (template unsupported). */
function chunks(
  name: string,
  bytes: Uint8Array,
  elements: Record<string, Element>,
  explicit: boolean,
  little: boolean,
  from: number,
): { list: Chunk[]; end: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const list = Object.values(elements)
    .map((el): Chunk => {
      const start = el.dataOffset - headerLength(explicit, el.vr);
      let end = el.dataOffset + el.length;
      // dicom-parser leaves an undefined-length sequence's delimitation item (FFFE,E0DD) out of some lengths.
      if (el.hadUndefinedLength && end + 8 <= bytes.length && dv.getUint16(end, little) === 0xfffe && dv.getUint16(end + 2, little) === 0xe0dd) end += 8;
      return { tag: tagNumber(el.tag), vr: el.vr, start, end, element: el };
    })
    .sort((a, b) => a.start - b.start);
  let at = from;
  for (const c of list) {
    if (c.start !== at) throw new Error(`dicom-corpus: ${name}: element ${c.element.tag} starts at ${c.start}, expected ${at}`);
    at = c.end;
  }
  return { list, end: at };
}

function loadTemplate(name: string): Template {
  const cached = cache.get(name);
  if (cached) return cached;
  const expected = EXPECTED[name];
  // A template must be one both MedBridge and pydicom decode (no_meta.dcm's stray leading byte is not parsed here).
  if (!expected?.decoded || !expected.pydicom) throw new Error(`dicom-corpus: ${name} is not a fixture both MedBridge and pydicom decode`);
  let bytes = readFixture(name);
  const part10 = bytes.length > 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
  let meta: Chunk[] = [];
  let dataStart = 0;
  let syntax = expected.syntax;
  if (part10) {
    const header = dicomParser.readPart10Header(bytes) as DataSet & { position: number };
    syntax = header.string('x00020010')?.replace(/\0/g, '').trim() ?? syntax;
    const m = chunks(name, bytes, header.elements, true, true, 132);
    meta = m.list;
    dataStart = header.position;
    if (m.end !== dataStart) throw new Error(`dicom-corpus: ${name}: File Meta ends at ${m.end}, data set starts at ${dataStart}`);
  }
  if (syntax === DEFLATED) {
    const inflated = inflateRawSync(bytes.subarray(dataStart));
    const whole = new Uint8Array(dataStart + inflated.length);
    whole.set(bytes.subarray(0, dataStart));
    whole.set(inflated, dataStart);
    bytes = whole;
  }
  const explicit = syntax !== IMPLICIT_LE;
  const little = syntax !== EXPLICIT_BE;
  const parser = little ? dicomParser.littleEndianByteArrayParser : dicomParser.bigEndianByteArrayParser;
  const stream = new dicomParser.ByteStream(parser, bytes, dataStart);
  const dataSet = new dicomParser.DataSet(parser, bytes, {});
  if (explicit) dicomParser.parseDicomDataSetExplicit(dataSet, stream, bytes.length);
  else dicomParser.parseDicomDataSetImplicit(dataSet, stream, bytes.length);
  const d = chunks(name, bytes, dataSet.elements, explicit, little, dataStart);
  const us = (tag: string, fallback: number) => (dataSet.elements[tag] ? (dataSet.uint16(tag) ?? fallback) : fallback);
  const t: Template = {
    name,
    bytes,
    syntax,
    explicit,
    little,
    prefix: part10 ? 132 : 0,
    meta,
    dataStart,
    elements: d.list,
    tailStart: d.end,
    dataSet,
    pixel: {
      bitsAllocated: us('x00280100', 16),
      bitsStored: us('x00280101', us('x00280100', 16)),
      signed: us('x00280103', 0) === 1,
      samplesPerPixel: us('x00280002', 1),
    },
  };
  cache.set(name, t);
  return t;
}

// ---- one generated file ----------------------------------------------------------------------------------------

interface Identity {
  sop: string;
  series: string;
  study: string;
  frameOfReference: string;
  patientId: string;
  /** 0-based slice index within the series. */
  slice: number;
}

const TAG = {
  metaGroupLength: 0x00020000,
  mediaStorageSop: 0x00020003,
  sop: 0x00080018,
  patientId: 0x00100020,
  sliceThickness: 0x00180050,
  study: 0x0020000d,
  series: 0x0020000e,
  instanceNumber: 0x00200013,
  imagePosition: 0x00200032,
  frameOfReference: 0x00200052,
  pixelData: 0x7fe00010,
} as const;

const VR_OF: Record<number, string> = {
  [TAG.mediaStorageSop]: 'UI',
  [TAG.sop]: 'UI',
  [TAG.patientId]: 'LO',
  [TAG.study]: 'UI',
  [TAG.series]: 'UI',
  [TAG.instanceNumber]: 'IS',
  [TAG.imagePosition]: 'DS',
  [TAG.frameOfReference]: 'UI',
};

interface Part {
  tag: number;
  bytes: Uint8Array;
}

function encodeElement(tag: number, vr: string, value: string, explicit: boolean, little: boolean): Uint8Array {
  const text = new TextEncoder().encode(value.length % 2 ? value + (vr === 'UI' ? '\0' : ' ') : value);
  const long = explicit && LONG_LENGTH_VRS.has(vr);
  const head = explicit ? (long ? 12 : 8) : 8;
  const out = new Uint8Array(head + text.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, tag >>> 16, little);
  dv.setUint16(2, tag & 0xffff, little);
  if (!explicit) dv.setUint32(4, text.length, little);
  else {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    if (long) dv.setUint32(8, text.length, little);
    else dv.setUint16(6, text.length, little);
  }
  out.set(text, head);
  return out;
}

/** Copies the template's chunks, replacing (or inserting, in tag order) the given string values; recomputes group lengths. */
function rewrite(t: Template, list: Chunk[], values: Map<number, string>, explicit: boolean, little: boolean, insertMissing: boolean): Part[] {
  const parts: Part[] = [];
  const pending = [...values.keys()].filter((tag) => insertMissing && !list.some((c) => c.tag === tag)).sort((a, b) => a - b);
  const insertUpTo = (tag: number) => {
    while (pending.length && pending[0]! < tag) {
      const p = pending.shift()!;
      parts.push({ tag: p, bytes: encodeElement(p, VR_OF[p]!, values.get(p)!, explicit, little) });
    }
  };
  for (const c of list) {
    insertUpTo(c.tag);
    const v = values.get(c.tag);
    parts.push({ tag: c.tag, bytes: v === undefined ? t.bytes.subarray(c.start, c.end) : encodeElement(c.tag, c.vr ?? VR_OF[c.tag]!, v, explicit, little) });
  }
  insertUpTo(Infinity);
  // Group lengths (gggg,0000): the bytes of the group's other elements that follow.
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if ((p.tag & 0xffff) !== 0) continue;
    let sum = 0;
    for (let j = i + 1; j < parts.length && parts[j]!.tag >>> 16 === p.tag >>> 16; j++) sum += parts[j]!.bytes.length;
    const bytes = p.bytes.slice();
    new DataView(bytes.buffer).setUint32(bytes.length - 4, sum, little);
    parts[i] = { tag: p.tag, bytes };
  }
  return parts;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function movedPosition(t: Template, slice: number): string | undefined {
  const raw = t.dataSet.elements['x00200032'] ? t.dataSet.string('x00200032') : undefined;
  const xyz = raw?.split('\\').map((s) => Number(s.trim()));
  if (!xyz || xyz.length !== 3 || xyz.some((n) => !Number.isFinite(n))) return undefined;
  const thickness = t.dataSet.elements['x00180050'] ? Number(t.dataSet.string('x00180050')) : NaN;
  const step = Number.isFinite(thickness) && thickness > 0 ? thickness : 1;
  const z = String(Math.round((xyz[2]! + slice * step) * 1000) / 1000);
  return z.length <= 16 ? `${raw!.split('\\').slice(0, 2).join('\\')}\\${z}` : undefined;
}

function variant(t: Template, id: Identity, rng: Rng): Uint8Array {
  const values = new Map<number, string>([
    [TAG.sop, id.sop],
    [TAG.series, id.series],
    [TAG.study, id.study],
    [TAG.patientId, id.patientId],
    [TAG.instanceNumber, String(id.slice + 1)],
  ]);
  if (t.dataSet.elements['x00200052']) values.set(TAG.frameOfReference, id.frameOfReference);
  const position = movedPosition(t, id.slice);
  if (position) values.set(TAG.imagePosition, position);
  const body = rewrite(t, t.elements, values, t.explicit, t.little, true);
  // Pixel noise, on a copy of the pixel data element.
  const pixelIndex = body.findIndex((p) => p.tag === TAG.pixelData);
  const pixelChunk = t.elements.find((c) => c.tag === TAG.pixelData);
  if (pixelIndex >= 0 && pixelChunk) {
    const copy = body[pixelIndex]!.bytes.slice();
    const valueAt = pixelChunk.element.dataOffset - pixelChunk.start;
    if (NATIVE.has(t.syntax)) addNativeNoise(copy.subarray(valueAt, valueAt + pixelChunk.element.length), t, rng);
    else if (t.syntax === RLE)
      for (const f of pixelChunk.element.fragments ?? [])
        addRleNoise(copy.subarray(f.position - pixelChunk.start, f.position - pixelChunk.start + f.length), t, rng);
    body[pixelIndex] = { tag: TAG.pixelData, bytes: copy };
  }
  let dataBytes = concat([...body.map((p) => p.bytes), t.bytes.subarray(t.tailStart)]);
  if (t.syntax === DEFLATED) dataBytes = new Uint8Array(deflateRawSync(dataBytes));
  if (!t.prefix) return dataBytes;
  const meta = rewrite(t, t.meta, new Map([[TAG.mediaStorageSop, id.sop]]), true, true, false);
  return concat([t.bytes.subarray(0, t.prefix), ...meta.map((p) => p.bytes), dataBytes]);
}

/** −1, 0 or +1 on every sample (0 half the time), clamped to the Bits Stored range; bits above it are kept. */
function addNativeNoise(value: Uint8Array, t: Template, rng: Rng): void {
  const { bitsAllocated, bitsStored, signed } = t.pixel;
  const size = bitsAllocated / 8;
  if (![1, 2, 4].includes(size) || bitsStored < 1 || bitsStored > bitsAllocated) return;
  const dv = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const mask = bitsStored === 32 ? 0xffffffff : 2 ** bitsStored - 1;
  const lo = signed ? -(2 ** (bitsStored - 1)) : 0;
  const hi = signed ? 2 ** (bitsStored - 1) - 1 : mask;
  const get = size === 1 ? (i: number) => dv.getUint8(i) : size === 2 ? (i: number) => dv.getUint16(i, t.little) : (i: number) => dv.getUint32(i, t.little);
  const set =
    size === 1
      ? (i: number, v: number) => dv.setUint8(i, v)
      : size === 2
        ? (i: number, v: number) => dv.setUint16(i, v, t.little)
        : (i: number, v: number) => dv.setUint32(i, v >>> 0, t.little);
  const n = Math.floor(value.length / size);
  let bits = 0,
    left = 0;
  for (let k = 0; k < n; k++) {
    if (left === 0) {
      bits = rng.int(2 ** 32);
      left = 16;
    }
    const r = bits & 3;
    bits >>>= 2;
    left--;
    if (r === 0 || r === 3) continue;
    const at = k * size;
    const raw = get(at);
    let v = bitsStored === 32 ? raw >>> 0 : raw & mask;
    if (signed && v > hi) v -= 2 ** bitsStored;
    const next = Math.min(hi, Math.max(lo, v + (r === 1 ? -1 : 1)));
    if (next === v) continue;
    const stored = (next < 0 ? next + 2 ** bitsStored : next) & mask;
    set(at, bitsStored === 32 ? stored : raw - (raw & mask) + stored);
  }
}

/**
 * ±1 on bytes of each sample's low-order segment of one RLE frame (PS3.5 G.3): half the literal-run bytes, one in eight
 * replicate-run bytes. Lengths are unchanged, and the low byte never wraps (0 only goes up, 255 only down), so a value
 * never leaves its Bits Stored range (Bits Stored ≥ 8).
 */
function addRleNoise(frame: Uint8Array, t: Template, rng: Rng): void {
  if (frame.length < 64) return;
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = dv.getUint32(0, true);
  if (segments < 1 || segments > 15) return;
  const offsets = Array.from({ length: segments }, (_, i) => dv.getUint32(4 + 4 * i, true));
  const bytesPerSample = Math.max(1, t.pixel.bitsAllocated / 8);
  for (let s = 0; s < segments; s++) {
    if (s % bytesPerSample !== bytesPerSample - 1) continue;
    const end = Math.min(frame.length, offsets[s + 1] ?? frame.length);
    let at = offsets[s]!;
    while (at < end) {
      const h = frame[at++]!;
      if (h < 128) {
        for (let k = 0; k <= h && at < end; k++, at++) {
          const r = rng.int(4);
          if (r === 1) frame[at] = frame[at]! === 0 ? 1 : frame[at]! - 1;
          else if (r === 2) frame[at] = frame[at]! === 255 ? 254 : frame[at]! + 1;
        }
      } else if (h > 128 && at < end) {
        // A replicate run: its one byte, less often (it changes the whole run), so flat images differ too.
        const r = rng.int(16);
        if (r === 1) frame[at] = frame[at]! === 0 ? 1 : frame[at]! - 1;
        else if (r === 2) frame[at] = frame[at]! === 255 ? 254 : frame[at]! + 1;
        at++;
      }
    }
  }
}
