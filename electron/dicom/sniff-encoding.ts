// Finds where the data set starts and how it is encoded, for Part 10 files and for bare data sets
// (no 128-byte preamble, no "DICM", no File Meta), which older archives still hold.
import { EXPLICIT_VR_BIG_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes.ts';

/** PS3.10 Section 7.1: 128-byte preamble then the 4-byte prefix "DICM". */
export const PREAMBLE_LENGTH = 128;
const PREFIX = 'DICM';
export const PART10_HEADER_LENGTH = PREAMBLE_LENGTH + PREFIX.length;

const META_GROUP = 0x0002;
/** A bare data set starts with one of the low standard groups (identifying, patient, acquisition, relationship). */
const FIRST_GROUP_MAX = 0x0028;
/** Two-letter value representations (PS3.5 Table 6.2-1). */
const KNOWN_VRS = new Set([
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FL',
  'FD',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
]);
/** Longest plausible value of a single element in the first position of a bare data set. */
const MAX_FIRST_ELEMENT_LENGTH = 0x10000;

export function hasPart10Prefix(bytes: Uint8Array): boolean {
  if (bytes.length < PART10_HEADER_LENGTH) return false;
  for (let i = 0; i < PREFIX.length; i++) if (bytes[PREAMBLE_LENGTH + i] !== PREFIX.charCodeAt(i)) return false;
  return true;
}

function vrAt(bytes: Uint8Array, pos: number): string | undefined {
  const a = bytes[pos],
    b = bytes[pos + 1];
  if (a === undefined || b === undefined) return undefined;
  const vr = String.fromCharCode(a, b);
  return KNOWN_VRS.has(vr) ? vr : undefined;
}

export interface SniffedEncoding {
  transferSyntaxUid: string;
  /** True when the bare data set starts with File Meta elements (group 0002) that must be skipped. */
  startsWithMeta: boolean;
}

/**
 * Guesses the encoding of a data set that starts at `pos` from its first element: an explicit VR shows two
 * letters after the tag; the byte order shows in which reading of the group number is plausible.
 * Returns undefined when the bytes do not look like a DICOM data set.
 */
export function sniffEncoding(bytes: Uint8Array, pos: number): SniffedEncoding | undefined {
  if (bytes.length < pos + 8) return undefined;
  const b = (i: number): number => bytes[pos + i] ?? 0;
  const groupLe = b(0) | (b(1) << 8);
  const groupBe = (b(0) << 8) | b(1);
  const vr = vrAt(bytes, pos + 4);
  const plausible = (g: number): boolean => g % 2 === 0 && g >= META_GROUP && g <= FIRST_GROUP_MAX;
  if (plausible(groupLe)) {
    if (vr) return { transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, startsWithMeta: groupLe === META_GROUP };
    const length = (b(4) | (b(5) << 8) | (b(6) << 16) | (b(7) << 24)) >>> 0;
    if (length <= MAX_FIRST_ELEMENT_LENGTH || length === 0xffffffff) {
      return { transferSyntaxUid: IMPLICIT_VR_LITTLE_ENDIAN, startsWithMeta: groupLe === META_GROUP };
    }
    return undefined;
  }
  if (plausible(groupBe) && vr) return { transferSyntaxUid: EXPLICIT_VR_BIG_ENDIAN, startsWithMeta: false };
  return undefined;
}

/** How far into a bare file a data set start is searched for (some writers leave a stray byte or a short header). */
export const MAX_LEADING_GARBAGE = 256;
const IDENTIFYING_GROUP = 0x0008;

/**
 * Finds the start of a bare data set: at 0, or else at the first offset (up to MAX_LEADING_GARBAGE) where a
 * File Meta or Identifying group element (0002,xxxx)/(0008,xxxx) begins.
 */
export function findBareDataSetStart(bytes: Uint8Array): { position: number; sniff: SniffedEncoding } | undefined {
  const atZero = sniffEncoding(bytes, 0);
  if (atZero) return { position: 0, sniff: atZero };
  const limit = Math.min(MAX_LEADING_GARBAGE, bytes.length - 8);
  for (let p = 1; p < limit; p++) {
    const g = (bytes[p] ?? 0) | ((bytes[p + 1] ?? 0) << 8);
    if (g !== META_GROUP && g !== IDENTIFYING_GROUP) continue;
    const s = sniffEncoding(bytes, p);
    if (s) return { position: p, sniff: s };
  }
  return undefined;
}
