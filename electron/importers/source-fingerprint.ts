// The content id of an import: SHA-256 of the canonical JSON of what the import reads and how — the source kind, its
// options (seed, task, question, split told by the file name, …) and the SHA-256 of every byte it reads (the file; each
// file of a folder by its path inside the folder). Not in it: where the files are, their names, --name, the workspace or
// earlier attempts. So the same bytes imported under another name, or on another machine, get the same dataset id, and
// item and version ids follow (item id = hash of dataset id and the item's key inside the source).
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { ImportSource } from '../../shared/api/datasets.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { walkFolder } from '../formats/folder-walk.ts';
import { sha256File } from '../models/file-hash.ts';
import { slakeAnswerTypeFromName } from '../formats/slake.ts';
import { splitFromFileName } from '../formats/source-bytes.ts';

export const IMPORT_CONTENT_FORMAT = 'medbridge-import-content/1';

type FileDigest = { sha256: string; size: number };
type FolderDigest = Array<{ path: string; sha256?: string; size?: number; refused?: string }>;

export async function fileDigest(path: string): Promise<FileDigest> {
  let size = 0;
  const sha256 = await sha256File(path, (n) => (size += n));
  return { sha256, size };
}

/** Every file of the folder (hidden names skipped, as the readers skip them) by its path inside it; refused links by code. */
export async function folderDigest(dir: string): Promise<FolderDigest> {
  const out: FolderDigest = [];
  for await (const e of walkFolder(dir, { skipHidden: true })) {
    out.push(e.type === 'file' ? { path: e.rel, ...(await fileDigest(e.path)) } : { path: e.rel, refused: e.code });
  }
  return out;
}

/**
 * What the readers take from file names, which therefore is an option of the import: the split (train…/val…/test…),
 * SLAKE's JSON vs CSV, and a SLAKE CSV's closed/open answer type.
 */
function nameDerivedOptions(params: ImportSource): Record<string, unknown> {
  const name = basename(params.path).toLowerCase();
  switch (params.source) {
    case 'pmc-vqa':
      return { split: params.split === undefined ? splitFromFileName(name) : params.split };
    case 'vqa-rad':
      return { split: splitFromFileName(name) };
    case 'slake': {
      const csv = name.endsWith('.csv');
      return { split: splitFromFileName(name), format: csv ? 'csv' : 'json', ...(csv ? { answerType: slakeAnswerTypeFromName(name) ?? null } : {}) };
    }
    default:
      return {};
  }
}

/** The content id (64 hex) of a preflighted import request. */
export async function importContentId(params: ImportSource): Promise<string> {
  const { path, name: _name, ...options } = params;
  const content: Record<string, unknown> = {};
  if (params.source === 'image-folder' || params.source === 'dicom') content['folder'] = await folderDigest(path);
  else content['file'] = await fileDigest(path);
  if ('images' in params && params.images !== undefined) {
    delete (options as Record<string, unknown>)['images'];
    content['images'] = params.images.toLowerCase().endsWith('.zip') ? await fileDigest(params.images) : await folderDigest(params.images);
  }
  if ('labels' in params && params.labels !== undefined) {
    delete (options as Record<string, unknown>)['labels'];
    content['labels'] = await fileDigest(params.labels);
  }
  const identity = { format: IMPORT_CONTENT_FORMAT, options: { ...options, ...nameDerivedOptions(params) }, content };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex');
}
