// Tolerant readers for attribute values: malformed numeric strings (e.g. IS "002.880000E+01" in old archives)
// are read by their numeric meaning instead of failing or silently truncating.
import type { DataSet } from './dicom-parser-lib.ts';

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** A string value (trimmed), or undefined when absent or empty. */
export function readString(ds: DataSet, tag: string, index?: number): string | undefined {
  const v = safe(() => ds.string(tag, index));
  return v === undefined || v === '' ? undefined : v;
}

/** All backslash-separated values of a string attribute, verbatim. */
export function readStrings(ds: DataSet, tag: string): string[] {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return [];
  const all = safe(() => ds.text(tag)) ?? '';
  return all.split('\\').map((s) => s.trim());
}

/** A DS or IS value as a finite number (DS and IS are decimal strings: PS3.5 Table 6.2-1). */
export function readNumberString(ds: DataSet, tag: string, index = 0): number | undefined {
  const raw = readStrings(ds, tag)[index];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** An IS value as an integer, accepting a decimal or exponent form whose value is whole. */
export function readIntegerString(ds: DataSet, tag: string, index = 0): number | undefined {
  const n = readNumberString(ds, tag, index);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

/** A US value (read with the data set's byte order), or undefined. */
export function readUint16(ds: DataSet, tag: string, index?: number): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 2 * ((index ?? 0) + 1)) return undefined;
  return safe(() => ds.uint16(tag, index));
}

/** Bytes of an element's value, or undefined when absent or running past the end of the file. */
export function readBytes(ds: DataSet, tag: string): Uint8Array | undefined {
  const el = ds.elements[tag];
  if (!el || el.length <= 0 || el.dataOffset + el.length > ds.byteArray.length) return undefined;
  return ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
}
