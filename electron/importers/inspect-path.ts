// `paths:inspect`: what is at a local path, read-only, so a form can refuse a misspelt path or a folder of the wrong
// kind before a job starts. A folder is judged from a bounded sample of its files (the first few of each top-level
// sub-folder and of the folder itself, walked as every import walks: folder-walk.ts), each file from its first bytes
// with the readers' own sniffers (sniffImageType, the DICOM Part 10 prefix and bare data-set test). A FIFO, socket or
// device is reported and never opened.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { PathContent, PathInspection } from '../../shared/api/paths.ts';
import { findBareDataSetStart, hasPart10Prefix } from '../dicom/sniff-encoding.ts';
import { walkFolder } from '../formats/folder-walk.ts';
import { sniffImageType } from '../formats/image-normalise.ts';

/** Bytes read from the start of each sampled file: the DICOM preamble and prefix, image magic and a JSON start. */
const HEAD_BYTES = 4096;
/** Files sampled from the folder itself and from each top-level sub-folder. */
const FILES_PER_FOLDER = 8;
/** Top-level sub-folders looked into (an image folder has at most 26 classes, one per option letter). */
const MAX_SUBFOLDERS = 40;
/** Class folder names returned. */
export const MAX_LISTED_CLASSES = 30;
/** A folder with this file at its root is a model pack (electron/models/manifest.ts MANIFEST_FILE). */
const PACK_MANIFEST = 'manifest.json';
/** A transformers.js VLM folder: config.json beside an onnx/ folder (electron/models/vlm-folder.ts). */
const VLM_CONFIG = 'config.json';
const VLM_ONNX_FOLDER = 'onnx';
/** Names a bare DICOM data set (no "DICM" prefix) may carry; other files are not tested for one, which would find
 *  a plausible group number in many binary files. */
const BARE_DICOM_NAME = /^(?:[^.]*|.*\.(?:dcm|dicom|dic|ima))$/i;

type FileContent = 'npz' | 'zip' | 'csv' | 'json' | 'dicom-file' | 'image-file' | 'other-file';

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP_MAGIC = [0x50, 0x4b, 0x05, 0x06];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** What a file is, from its first bytes; the text formats CSV and JSON also from their name. */
export function classifyFileHead(name: string, head: Uint8Array): FileContent {
  // "DICM" first: a DICOM preamble may itself be a TIFF header (PS3.10 7.5, dual-personality files).
  if (hasPart10Prefix(head)) return 'dicom-file';
  if (sniffImageType(head)) return 'image-file';
  if (startsWith(head, ZIP_MAGIC) || startsWith(head, EMPTY_ZIP_MAGIC)) return extname(name).toLowerCase() === '.npz' ? 'npz' : 'zip';
  const ext = extname(name).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.json') return 'json';
  if (BARE_DICOM_NAME.test(name) && head.length > 0 && findBareDataSetStart(head)) return 'dicom-file';
  return 'other-file';
}

async function exists(path: string, want: 'file' | 'folder'): Promise<boolean> {
  const st = await stat(path).catch(() => null);
  return st !== null && (want === 'file' ? st.isFile() : st.isDirectory());
}

interface Sample {
  dicom: number;
  images: number;
  other: number;
  complete: boolean;
}

/** Reads the first bytes of up to FILES_PER_FOLDER files under `dir` (recursively, hidden names skipped). */
async function sampleFolder(dir: string, within: string, sample: Sample, directFilesOnly: boolean): Promise<number> {
  let images = 0;
  let seen = 0;
  if (directFilesOnly) {
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      if (seen === FILES_PER_FOLDER) {
        sample.complete = false;
        break;
      }
      seen++;
      images += await count(join(dir, name), name, sample);
    }
    return images;
  }
  for await (const entry of walkFolder(dir, { skipHidden: true, within })) {
    if (entry.type !== 'file') continue;
    if (seen === FILES_PER_FOLDER) {
      sample.complete = false;
      break;
    }
    seen++;
    images += await count(entry.path, entry.rel.split('/').pop() ?? entry.rel, sample);
  }
  return images;
}

/** Adds one file to the sample; returns 1 when it is an image. */
async function count(path: string, name: string, sample: Sample): Promise<number> {
  const head = await readHead(path).catch(() => new Uint8Array(0));
  const c = classifyFileHead(name, head);
  if (c === 'image-file') {
    sample.images++;
    return 1;
  }
  if (c === 'dicom-file') sample.dicom++;
  else sample.other++;
  return 0;
}

async function inspectFolder(path: string): Promise<PathInspection> {
  const base = { path, kind: 'folder' as const };
  if (
    (await exists(join(path, PACK_MANIFEST), 'file')) ||
    ((await exists(join(path, VLM_CONFIG), 'file')) && (await exists(join(path, VLM_ONNX_FOLDER), 'folder')))
  ) {
    return { ...base, content: 'model-pack', sampled: 0, dicom: 0, images: 0, other: 0, classFolders: [], complete: false };
  }
  const entries = (await readdir(path, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const sample: Sample = { dicom: 0, images: 0, other: 0, complete: true };
  const classFolders: string[] = [];
  const rootImages = await sampleFolder(path, path, sample, true);
  const folders = entries.filter((e) => e.isDirectory());
  if (folders.length > MAX_SUBFOLDERS) sample.complete = false;
  for (const folder of folders.slice(0, MAX_SUBFOLDERS)) {
    const images = await sampleFolder(join(path, folder.name), path, sample, false);
    if (images > 0) classFolders.push(folder.name);
  }
  const sampled = sample.dicom + sample.images + sample.other;
  let content: PathContent;
  if (sampled === 0) content = 'empty-folder';
  else if (sample.dicom > 0 && sample.dicom >= sample.images) content = 'dicom-folder';
  else if (classFolders.length > 0) content = 'class-image-folder';
  else if (rootImages > 0) content = 'flat-image-folder';
  else content = 'other-folder';
  return {
    ...base,
    content,
    sampled,
    dicom: sample.dicom,
    images: sample.images,
    other: sample.other,
    classFolders: classFolders.slice(0, MAX_LISTED_CLASSES),
    complete: sample.complete,
  };
}

/** What is at `path` (absolute): missing, a file and its kind, a folder and the kind of source it holds. */
export async function inspectPath(path: string): Promise<PathInspection> {
  const none = { path, content: null, sampled: 0, dicom: 0, images: 0, other: 0, classFolders: [], complete: true };
  const st = await stat(path).catch(() => null);
  if (!st) return { ...none, kind: 'missing' };
  if (st.isDirectory()) {
    try {
      return await inspectFolder(path);
    } catch {
      // an unreadable folder: say what it is; the import names the reason
      return { ...none, kind: 'folder', content: 'other-folder', complete: false };
    }
  }
  if (!st.isFile()) return { ...none, kind: 'special' };
  const head = await readHead(path).catch(() => new Uint8Array(0));
  const content = classifyFileHead(basename(path), head);
  return {
    ...none,
    kind: 'file',
    content,
    sampled: 1,
    dicom: content === 'dicom-file' ? 1 : 0,
    images: content === 'image-file' ? 1 : 0,
    other: content === 'dicom-file' || content === 'image-file' ? 0 : 1,
  };
}
