// PALETTE COLOR lookup (PS3.3 C.7.6.3.1.5–6): each stored value indexes red, green and blue tables.
import { readBytes, readUint16 } from './attribute-values.ts';
import { toByte } from './colour.ts';
import { DecodeFailure } from './decode-failure.ts';
import { dicomParser, type DataSet } from './dicom-parser-lib.ts';
import { TAG } from './tags.ts';

/** A descriptor's first value 0 means 2^16 entries (PS3.3 C.7.6.3.1.5). */
const ZERO_MEANS_ENTRIES = 65536;

export interface Palette {
  firstMapped: number;
  entries: number;
  /** Nominal bits per entry from the descriptor (8 or 16). */
  bits: number;
  /** 8-bit tables. */
  red: Uint8Array;
  green: Uint8Array;
  blue: Uint8Array;
}

function readTable(ds: DataSet, descriptorTag: string, dataTag: string, name: string): { first: number; bits: number; table: Uint8Array } {
  const n = readUint16(ds, descriptorTag, 0);
  const first = readUint16(ds, descriptorTag, 1);
  const bits = readUint16(ds, descriptorTag, 2);
  const data = readBytes(ds, dataTag);
  if (n === undefined || first === undefined || bits === undefined || !data) {
    throw new DecodeFailure('dicom/unsupported-image', `the ${name} palette table is missing (segmented palettes are not supported)`);
  }
  const entries = n === 0 ? ZERO_MEANS_ENTRIES : n;
  // The entry width is taken from the data length (8-bit tables are sometimes stored one entry per byte).
  const bytesPerEntry = data.length >= 2 * entries ? 2 : data.length >= entries ? 1 : 0;
  if (bytesPerEntry === 0) throw new DecodeFailure('dicom/unsupported-image', `the ${name} palette table is shorter than its descriptor says`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const little = ds.byteArrayParser !== dicomParser.bigEndianByteArrayParser;
  const maxValue = 2 ** (bytesPerEntry === 2 ? bits : 8) - 1;
  const table = new Uint8Array(entries);
  for (let i = 0; i < entries; i++) {
    const v = bytesPerEntry === 2 ? view.getUint16(2 * i, little) : view.getUint8(i);
    table[i] = toByte((Math.min(v, maxValue) * 255) / maxValue);
  }
  return { first, bits, table };
}

export function readPalette(ds: DataSet): Palette {
  const r = readTable(ds, TAG.redPaletteDescriptor, TAG.redPaletteData, 'red');
  const g = readTable(ds, TAG.greenPaletteDescriptor, TAG.greenPaletteData, 'green');
  const b = readTable(ds, TAG.bluePaletteDescriptor, TAG.bluePaletteData, 'blue');
  if (r.table.length !== g.table.length || r.table.length !== b.table.length) {
    throw new DecodeFailure('dicom/unsupported-image', 'the red, green and blue palette tables differ in length');
  }
  return { firstMapped: r.first, entries: r.table.length, bits: r.bits, red: r.table, green: g.table, blue: b.table };
}

/** Values below the first mapped value take the first entry, above the last take the last. */
export function applyPalette(values: Float64Array, p: Palette): Uint8Array {
  const out = new Uint8Array(values.length * 3);
  const last = p.entries - 1;
  for (let i = 0; i < values.length; i++) {
    const k = Math.min(last, Math.max(0, values[i]! - p.firstMapped));
    out[3 * i] = p.red[k]!;
    out[3 * i + 1] = p.green[k]!;
    out[3 * i + 2] = p.blue[k]!;
  }
  return out;
}
