// Grey-level rendering: modality rescale, then one VOI transform to 8 bits, then MONOCHROME1 inversion.
// Rules, in order: first Window Center/Width pair (PS3.3 C.11.2.1.2); else the first VOI LUT (C.11.2.1.1);
// else the frame's own minimum–maximum.
import { readNumberString, readString, readBytes, readUint16 } from './attribute-values.ts';
import { toByte } from './colour.ts';
import { dicomParser, type DataSet } from './dicom-parser-lib.ts';
import { TAG } from './tags.ts';

export const OUTPUT_MAX = 255;
const ZERO_MEANS_ENTRIES = 65536;
/** Largest span of stored values rendered through a lookup table (16-bit data fits). */
const MAX_TABLE_ENTRIES = 65536;

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export type Voi =
  | { kind: 'window'; center: number; width: number; function: VoiFunction }
  | { kind: 'lut'; firstMapped: number; bits: number; entries: number }
  | { kind: 'min-max'; min: number; max: number };

export interface Rescale {
  slope: number;
  intercept: number;
}

export interface VoiLut {
  firstMapped: number;
  bits: number;
  data: Uint16Array;
}

/** Rescale Slope/Intercept (C.11.1.1.2); identity when absent or unreadable. */
export function readRescale(ds: DataSet): Rescale {
  const slope = readNumberString(ds, TAG.rescaleSlope);
  const intercept = readNumberString(ds, TAG.rescaleIntercept);
  return { slope: slope !== undefined && slope !== 0 ? slope : 1, intercept: intercept ?? 0 };
}

/** The first window, if both centre and width are readable and the width is usable for its function. */
export function readWindow(ds: DataSet): Extract<Voi, { kind: 'window' }> | undefined {
  const center = readNumberString(ds, TAG.windowCenter, 0);
  const width = readNumberString(ds, TAG.windowWidth, 0);
  if (center === undefined || width === undefined) return undefined;
  const fnRaw = readString(ds, TAG.voiLutFunction)?.toUpperCase();
  const fn: VoiFunction = fnRaw === 'LINEAR_EXACT' || fnRaw === 'SIGMOID' ? fnRaw : 'LINEAR';
  // C.11.2.1.2.1: width ≥ 1 for LINEAR; C.11.2.1.3.2: width > 0 for LINEAR_EXACT and SIGMOID.
  if (fn === 'LINEAR' ? width < 1 : width <= 0) return undefined;
  return { kind: 'window', center, width, function: fn };
}

/** The first item of the VOI LUT Sequence (0028,3010), if complete. */
export function readVoiLut(ds: DataSet): VoiLut | undefined {
  const item = ds.elements[TAG.voiLutSequence]?.items?.[0]?.dataSet;
  if (!item) return undefined;
  const n = readUint16(item, TAG.lutDescriptor, 0);
  const first = readUint16(item, TAG.lutDescriptor, 1);
  const bits = readUint16(item, TAG.lutDescriptor, 2);
  const bytes = readBytes(item, TAG.lutData);
  if (n === undefined || first === undefined || !bits || bits > 16 || !bytes) return undefined;
  const entries = n === 0 ? ZERO_MEANS_ENTRIES : n;
  const wide = bytes.length >= 2 * entries;
  if (!wide && bytes.length < entries) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = item.byteArrayParser !== dicomParser.bigEndianByteArrayParser;
  const data = new Uint16Array(entries);
  for (let i = 0; i < entries; i++) data[i] = wide ? view.getUint16(2 * i, little) : view.getUint8(i);
  return { firstMapped: first, bits, data };
}

/** The window functions of PS3.3 C.11.2.1.2.1 (LINEAR) and C.11.2.1.3.2 (LINEAR_EXACT, SIGMOID), to 0..255. */
export function windowValue(x: number, w: Extract<Voi, { kind: 'window' }>): number {
  const { center: c, width } = w;
  switch (w.function) {
    case 'LINEAR': {
      if (x <= c - 0.5 - (width - 1) / 2) return 0;
      if (x > c - 0.5 + (width - 1) / 2) return OUTPUT_MAX;
      return ((x - (c - 0.5)) / (width - 1) + 0.5) * OUTPUT_MAX;
    }
    case 'LINEAR_EXACT': {
      if (x <= c - width / 2) return 0;
      if (x > c + width / 2) return OUTPUT_MAX;
      return ((x - c) / width + 0.5) * OUTPUT_MAX;
    }
    case 'SIGMOID':
      return OUTPUT_MAX / (1 + Math.exp((-4 * (x - c)) / width));
  }
}

/** One modality value (already rescaled) to its byte under the chosen VOI; `range` is the frame's min–max for 'min-max'. */
function greyByte(v: number, window: Extract<Voi, { kind: 'window' }> | undefined, lut: VoiLut | undefined, range: { min: number; max: number }): number {
  if (window) return toByte(windowValue(v, window));
  if (lut) {
    // C.11.2.1.1: inputs below the first mapped value take the first entry, above the last the last entry; the
    // output range is 0..2^bits−1.
    const k = Math.min(lut.data.length - 1, Math.max(0, Math.round(v - lut.firstMapped)));
    return toByte(lut.data[k]! * (OUTPUT_MAX / (2 ** lut.bits - 1)));
  }
  const span = range.max - range.min;
  return span > 0 ? toByte(((v - range.min) / span) * OUTPUT_MAX) : 0;
}

/**
 * The same bytes as rescaling every stored value and calling renderGrey, computed once per distinct stored value: a
 * table over [min, max] of the frame's stored values, then one lookup per pixel. Used when the values are integers
 * spanning no more than the pixel count (and 65,536): every stored value in the table is rescaled with the same
 * float64 expression as in renderFrame, and rounding is monotonic, so the frame's rescaled min–max is the rescale of
 * its stored min or max. Null when the frame does not qualify (the caller takes the per-pixel path).
 */
export function renderGreyByTable(
  stored: Float64Array,
  rescale: Rescale,
  window: Extract<Voi, { kind: 'window' }> | undefined,
  lut: VoiLut | undefined,
  invert: boolean,
): { bytes: Uint8Array; voi: Voi } | null {
  const n = stored.length;
  if (n === 0) return null;
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = stored[i]!;
    if ((v | 0) !== v) return null; // not an integer, or outside int32: per pixel
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const entries = max - min + 1;
  if (entries > MAX_TABLE_ENTRIES || entries > n) return null;
  const { slope, intercept } = rescale;
  const a = min * slope + intercept,
    b = max * slope + intercept;
  const range = { min: Math.min(a, b), max: Math.max(a, b) };
  const table = new Uint8Array(entries);
  for (let k = 0; k < entries; k++) {
    const byte = greyByte((min + k) * slope + intercept, window, lut, range);
    table[k] = invert ? OUTPUT_MAX - byte : byte;
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = table[(stored[i]! | 0) - min]!;
  return { bytes: out, voi: usedVoi(window, lut, range) };
}

/** The VOI a frame is rendered with, as reported: the window, the VOI LUT's shape, or the frame's min–max. */
function usedVoi(window: Extract<Voi, { kind: 'window' }> | undefined, lut: VoiLut | undefined, range: { min: number; max: number }): Voi {
  return window ? window : lut ? { kind: 'lut', firstMapped: lut.firstMapped, bits: lut.bits, entries: lut.data.length } : { kind: 'min-max', ...range };
}

/** Renders modality values (already rescaled) to bytes, one pixel at a time; returns the VOI actually used. */
export function renderGrey(
  values: Float64Array,
  window: Extract<Voi, { kind: 'window' }> | undefined,
  lut: VoiLut | undefined,
  invert: boolean,
): { bytes: Uint8Array; voi: Voi } {
  let min = 0,
    max = 0;
  if (!window && !lut) {
    min = Infinity;
    max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!Number.isFinite(min)) min = max = 0;
  }
  const range = { min, max };
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const byte = greyByte(values[i]!, window, lut, range);
    out[i] = invert ? OUTPUT_MAX - byte : byte;
  }
  return { bytes: out, voi: usedVoi(window, lut, range) };
}
