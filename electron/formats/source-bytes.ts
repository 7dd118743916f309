// Opens a reader's main file as a chunk stream (or uses bytes given in memory), turning open errors into a coded issue.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { FormatError } from './issues.ts';

/** Annotation files (JSON lists) are parsed whole; beyond this they are refused rather than exhausting memory. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

export async function fileChunks(path: string): Promise<AsyncIterable<Uint8Array>> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new FormatError('file-not-found', 'file not found');
  if (!st.isFile()) throw new FormatError('file-unreadable', 'not a regular file');
  return createReadStream(path) as AsyncIterable<Uint8Array>;
}

export async function readWholeFile(path: string, maxBytes: number): Promise<Uint8Array> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new FormatError('file-not-found', 'file not found');
  if (!st.isFile()) throw new FormatError('file-unreadable', 'not a regular file');
  if (st.size > maxBytes) throw new FormatError('file-too-large', `file is ${st.size} bytes (limit ${maxBytes})`);
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new FormatError('file-unreadable', `cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Parses JSON bytes strictly as UTF-8; a BOM is tolerated. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new FormatError('json-invalid', 'file is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FormatError('json-invalid', `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Split named by a file name: train…, val…/valid…/validate…, test…. */
export function splitFromFileName(name: string): 'train' | 'val' | 'test' | null {
  const base = (name.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (base.startsWith('train')) return 'train';
  if (base.startsWith('val')) return 'val';
  if (base.startsWith('test')) return 'test';
  return null;
}
