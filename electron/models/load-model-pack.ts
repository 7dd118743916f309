// Opens a model-pack folder: reads and validates manifest.json, checks every listed file exists and
// matches its SHA-256, and computes the pack id. Errors are coded and name the file at fault.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File, type BytesHashed } from './file-hash.ts';
import { MANIFEST_FILE, ModelPackManifest } from './manifest.ts';
import { ModelError } from './model-error.ts';
import { computePackId } from './pack-identity.ts';
import { isFile } from './is-file.ts';

export interface LoadedModelPack {
  dir: string;
  manifest: ModelPackManifest;
  /** SHA-256 over the sorted (path, hash) list: see pack-identity.ts. */
  packId: string;
}

export interface LoadModelPackOptions {
  /** Recompute every file's SHA-256 (default true). Set false only when a cache already vouches for the files. */
  verifyHashes?: boolean;
  /** Progress while hashing: bytes just hashed and the pack-relative file they belong to. */
  onHashed?: (bytes: number, file: string) => void;
}

export async function readManifest(dir: string): Promise<ModelPackManifest> {
  const path = join(dir, MANIFEST_FILE);
  if (!(await isFile(path))) throw new ModelError('model/missing-file', `model pack has no ${MANIFEST_FILE}`, { file: MANIFEST_FILE });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new ModelError('model/invalid-manifest', 'manifest is not valid JSON', { file: MANIFEST_FILE, cause });
  }
  const parsed = ModelPackManifest.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid';
    throw new ModelError('model/invalid-manifest', `manifest does not match the schema — ${where}`, { file: MANIFEST_FILE, cause: parsed.error });
  }
  return parsed.data;
}

export async function loadModelPack(dir: string, options: LoadModelPackOptions = {}): Promise<LoadedModelPack> {
  const manifest = await readManifest(dir);
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    if (!(await isFile(path))) throw new ModelError('model/missing-file', 'model pack file is missing', { file: f.path });
    if (options.verifyHashes !== false) {
      const onBytes: BytesHashed | undefined = options.onHashed ? (n) => options.onHashed?.(n, f.path) : undefined;
      const actual = await sha256File(path, onBytes);
      if (actual !== f.sha256) {
        throw new ModelError('model/hash-mismatch', `SHA-256 is ${actual}, manifest says ${f.sha256}`, { file: f.path });
      }
    }
  }
  return { dir, manifest, packId: computePackId(manifest.files) };
}
