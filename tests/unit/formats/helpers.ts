// Test helpers for the format readers: fixture paths, a tiny .npy writer and a zip builder that can write hostile archives.
import { deflateSync, zipSync } from 'fflate';
import { fileURLToPath } from 'node:url';
import { crc32Update } from '../../../electron/formats/crc32.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/formats/', import.meta.url));
export const fixture = (rel: string): string => FIXTURES + rel;

const enc = new TextEncoder();

/** A v1.0 .npy file for `data` (already laid out in C order, little-endian). */
export function npyBytes(descr: string, shape: number[], data: Uint8Array, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(enc.encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** An .npz (deflated zip) from named arrays. */
export function npzBytes(arrays: Record<string, Uint8Array>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(arrays)) files[`${k}.npy`] = v;
  return zipSync(files, { level: 6, mtime: new Date('2024-01-01T00:00:00Z') });
}

export interface RawZipEntry {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** Override the declared uncompressed size (to lie like a bomb). */
  declaredSize?: number;
  /** Point this entry's central record at another entry's local header (overlap bomb). */
  shareLocalWith?: number;
}

const u16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];
const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** Builds a zip byte by byte, without any of the name checks real tools apply (APPNOTE 4.3.7, 4.3.12, 4.3.16). */
export function buildZip(entries: RawZipEntry[]): Uint8Array {
  const parts: number[] = [];
  const central: number[] = [];
  const offsets: number[] = [];
  for (const e of entries) {
    const name = enc.encode(e.name);
    const body = e.deflate ? deflateSync(e.data) : e.data;
    const crc = crc32Update(0, e.data);
    const usize = e.declaredSize ?? e.data.length;
    const method = e.deflate ? 8 : 0;
    const offset = e.shareLocalWith !== undefined ? (offsets[e.shareLocalWith] as number) : parts.length;
    offsets.push(offset);
    if (e.shareLocalWith === undefined) {
      parts.push(
        ...u32(0x04034b50),
        ...u16(20),
        ...u16(0x0800),
        ...u16(method),
        ...u16(0),
        ...u16(0x21),
        ...u32(crc),
        ...u32(body.length),
        ...u32(usize),
        ...u16(name.length),
        ...u16(0),
        ...name,
      );
      for (const b of body) parts.push(b);
    }
    central.push(
      ...u32(0x02014b50),
      ...u16(20),
      ...u16(20),
      ...u16(0x0800),
      ...u16(method),
      ...u16(0),
      ...u16(0x21),
      ...u32(crc),
      ...u32(body.length),
      ...u32(usize),
      ...u16(name.length),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(0),
      ...u32(offset),
      ...name,
    );
  }
  const cdOffset = parts.length;
  const eocd = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length), ...u32(central.length), ...u32(cdOffset), ...u16(0)];
  return Uint8Array.from([...parts, ...central, ...eocd]);
}

export const utf8 = (s: string): Uint8Array => enc.encode(s);
