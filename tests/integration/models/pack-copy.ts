// Copies a model folder to a temp dir so a test can break it without touching the committed fixture.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '../../../electron/models/index.ts';

export interface TempCopy {
  dir: string;
  cleanup(): void;
}

export function copyPack(src: string, name = 'pack'): TempCopy {
  const root = mkdtempSync(join(tmpdir(), 'medbridge-models-'));
  const dir = join(root, name);
  cpSync(src, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Rewrites the manifest entry of `file` so its hash matches the file's current bytes. */
export async function rehashInManifest(dir: string, file: string): Promise<void> {
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8')) as { files: Array<{ path: string; sha256: string; bytes: number }> };
  const entry = m.files.find((f) => f.path === file);
  if (!entry) throw new Error(`${file} not in manifest`);
  entry.sha256 = await sha256File(join(dir, file));
  entry.bytes = readFileSync(join(dir, file)).length;
  writeFileSync(path, JSON.stringify(m, null, 2));
}
