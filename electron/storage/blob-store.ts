// Content-addressed files named by their SHA-256, sharded by the first two hex digits: blobs/ab/abcdef…
// Writing is idempotent (same bytes → same name), so workers may write blobs; only the main process records them in SQLite.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { writeFileAtomic } from './atomic-file.ts';

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export class BlobStore {
  readonly root: string;
  constructor(workspaceDir: string) {
    this.root = join(workspaceDir, 'blobs');
  }

  pathOf(hash: string): string {
    if (!HASH_PATTERN.test(hash)) throw new AppError('blob/not-found', `Not a blob name: ${hash}`, { hash });
    return join(this.root, hash.slice(0, 2), hash);
  }

  /**
   * Stores bytes and returns their SHA-256 name. `durable: false` (derived, recomputable data such as cached
   * features, read back with `getVerified`) skips the fsyncs, which dominate the cost of many small writes.
   */
  put(data: Uint8Array, options: { durable?: boolean } = {}): { hash: string; size: number; existed: boolean } {
    const hash = sha256Hex(data);
    const target = this.pathOf(hash);
    const existed = existsSync(target);
    if (!existed) writeFileAtomic(target, data, join(this.root, 'tmp'), options.durable ?? true);
    return { hash, size: data.length, existed };
  }

  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  get(hash: string): Buffer {
    const p = this.pathOf(hash);
    if (!existsSync(p)) throw new AppError('blob/not-found', `The stored file ${hash.slice(0, 12)}… is missing from the workspace.`, { hash });
    return readFileSync(p);
  }

  /** The blob's bytes only if they still hash to its name (null when missing or damaged). */
  getVerified(hash: string): Buffer | null {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.pathOf(hash));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return sha256Hex(bytes) === hash ? bytes : null;
  }

  /** Deletes a blob's file (nothing when it is already gone). Only for blobs the database no longer names. */
  remove(hash: string): void {
    rmSync(this.pathOf(hash), { force: true });
  }

  size(hash: string): number {
    return statSync(this.pathOf(hash)).size;
  }

  /** Recomputes a blob's hash by streaming it from disk. */
  async verify(hash: string): Promise<{ ok: boolean; actual: string | null }> {
    const p = this.pathOf(hash);
    if (!existsSync(p)) return { ok: false, actual: null };
    const h = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      createReadStream(p)
        .on('data', (c) => h.update(c))
        .on('end', () => resolve())
        .on('error', reject);
    });
    const actual = h.digest('hex');
    return { ok: actual === hash, actual };
  }
}
