// What registering a model-pack folder needs to know, computed by reading every file once: the pack id (SHA-256
// over the files), its kind, name, label and file list. Either a manifest.json pack (any kind; each file checked
// against the SHA-256 the manifest lists) or a bare transformers.js VLM folder (hashed as found). Reports hashing
// progress in bytes, so a multi-gigabyte pack can show how far it has got.
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ModelPackKind } from '../../shared/api/models.ts';
import { sha256File } from './file-hash.ts';
import { loadModelPack, readManifest } from './load-model-pack.ts';
import { MANIFEST_FILE } from './manifest.ts';
import { computePackId } from './pack-identity.ts';
import { inspectVlmFolder } from './vlm-folder.ts';
import { isFile } from './is-file.ts';

export interface PackFileRecord {
  path: string;
  sha256: string;
  bytes: number;
}

/** The manifest as stored with the registered pack. */
export interface StoredPackManifest {
  label: string;
  architecture?: string;
  files: PackFileRecord[];
}

export interface InspectedPack {
  id: string;
  name: string;
  kind: ModelPackKind;
  manifest: StoredPackManifest;
}

export interface HashProgress {
  /** Bytes hashed so far, over all files. */
  done: number;
  total: number;
  /** Pack-relative file being hashed. */
  file: string;
}

async function sizeOf(dir: string, files: readonly string[]): Promise<number> {
  let total = 0;
  for (const f of files)
    total += await stat(join(dir, f)).then(
      (s) => s.size,
      () => 0,
    );
  return total;
}

export async function inspectPack(dir: string, onProgress?: (p: HashProgress) => void): Promise<InspectedPack> {
  if (await isFile(join(dir, MANIFEST_FILE))) {
    const listed = await readManifest(dir);
    const total = await sizeOf(
      dir,
      listed.files.map((f) => f.path),
    );
    let done = 0;
    const pack = await loadModelPack(dir, {
      verifyHashes: true,
      onHashed: (bytes, file) => {
        done += bytes;
        onProgress?.({ done, total, file });
      },
    });
    if (pack.manifest.kind === 'vlm') await inspectVlmFolder(dir);
    const m = pack.manifest;
    return {
      id: pack.packId,
      name: m.name,
      kind: m.kind,
      manifest: { label: m.label, ...(m.architecture ? { architecture: m.architecture } : {}), files: m.files },
    };
  }
  const folder = await inspectVlmFolder(dir);
  const total = await sizeOf(dir, folder.files);
  let done = 0;
  const files: PackFileRecord[] = [];
  for (const f of folder.files) {
    const path = join(dir, f);
    const sha256 = await sha256File(path, (bytes) => {
      done += bytes;
      onProgress?.({ done, total, file: f });
    });
    files.push({ path: f, sha256, bytes: (await stat(path)).size });
  }
  const name = basename(dir) || 'vlm';
  return { id: computePackId(files), name, kind: 'vlm', manifest: { label: `${name} (VLM) - not a medical device`, architecture: folder.architecture, files } };
}
