// What the data side records in and asks of the blobs table: the images an import stores (PNG) and the manifests
// dataset versions freeze (JSON). The files themselves are in the blob store (storage/blob-store.ts).
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export function recordImageBlob(tx: WriteDb, hash: string, size: number, createdAt: string): void {
  tx.run("INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, 'image/png', ?)", hash, size, createdAt);
}

export function recordManifestBlob(tx: WriteDb, hash: string, size: number, createdAt: string): void {
  tx.run("INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, 'application/json', ?)", hash, size, createdAt);
}

/** Whether the workspace holds a PNG image under this hash. */
export function isStoredImage(db: ReadDb, hash: string): boolean {
  return db.value<string>("SELECT media_type FROM blobs WHERE hash = ? AND media_type = 'image/png'", hash) !== undefined;
}
