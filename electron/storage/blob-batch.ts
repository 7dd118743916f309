// Blobs written as a batch and made durable together, for jobs that store many small files between checkpoints
// (imports: a PNG and a thumbnail per item). Per-file durability costs four fsyncs per item, one after another; here
// new blobs wait in memory, and `commit()` — called before the checkpoint that records the batch's items — writes and
// syncs them all at once (in parallel on libuv's threads, so the filesystem groups the syncs), renames each to its
// content name, then syncs the shard folders that received a name.
//
// What a crash can do: before `commit()` ends, the checkpoint has not been sent, so no committed item names a blob of
// this batch (the resumed job stores them again). A blob's final name appears only after its bytes were synced, so a
// name never points at a torn file; a name whose folder sync was cut short is simply absent and written again.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex, type BlobStore } from './blob-store.ts';

/** fsyncs in flight at once: enough to let the filesystem group them into few journal commits. */
const SYNC_PARALLELISM = 16;

/** Writes a new file and syncs it before closing. */
async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a folder; renames are still atomic there.
  } finally {
    await handle?.close();
  }
}

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) await run(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export class BlobBatch {
  private readonly staged = new Map<string, Uint8Array>();
  private readonly tempDir: string;

  constructor(private readonly store: BlobStore) {
    this.tempDir = join(store.root, 'tmp');
  }

  /** Stages the bytes (unless the blob is already stored or staged) and returns their content name. */
  put(data: Uint8Array): { hash: string; size: number; existed: boolean } {
    const hash = sha256Hex(data);
    if (this.staged.has(hash)) return { hash, size: data.length, existed: false };
    if (existsSync(this.store.pathOf(hash))) return { hash, size: data.length, existed: true };
    this.staged.set(hash, data);
    return { hash, size: data.length, existed: false };
  }

  /** How many blobs wait for `commit()`. */
  get size(): number {
    return this.staged.size;
  }

  /** Writes and syncs the staged blobs, gives each its content name, syncs the folders that gained a name. */
  async commit(): Promise<void> {
    if (this.staged.size === 0) return;
    const entries = [...this.staged].map(([hash, data]) => ({
      hash,
      data,
      temp: join(this.tempDir, `.batch-${process.pid}-${randomBytes(6).toString('hex')}`),
    }));
    this.staged.clear();
    mkdirSync(this.tempDir, { recursive: true });
    try {
      await inParallel(entries, SYNC_PARALLELISM, (e) => writeSynced(e.temp, e.data));
    } catch (e) {
      for (const { temp } of entries) rmSync(temp, { force: true });
      throw e;
    }
    const folders = new Set<string>();
    for (const { hash, temp } of entries) {
      const target = this.store.pathOf(hash);
      mkdirSync(dirname(target), { recursive: true });
      await rename(temp, target);
      folders.add(dirname(target));
    }
    await inParallel([...folders], SYNC_PARALLELISM, syncFolder);
  }

  /** Drops what was staged and never committed (a job stopping with an error). */
  discard(): void {
    this.staged.clear();
  }
}
