// The blobs table: one row per stored file (named by its SHA-256), with its size and media type.
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export interface NewBlob {
  hash: string;
  size: number;
  mediaType: string;
  createdAt: string;
}

export function blobCount(db: ReadDb): number {
  return db.value<number>('SELECT count(*) AS n FROM blobs') ?? 0;
}

/** Every blob's hash after `afterHash`, in hash order. */
export function blobHashesAfter(db: ReadDb, afterHash: string): string[] {
  return db.values<string>('SELECT hash FROM blobs WHERE hash > ? ORDER BY hash', afterHash);
}

/** Records a stored file; false when its row was already there (the row is left as it is). */
export function insertBlobIfAbsent(tx: WriteDb, blob: NewBlob): boolean {
  return (
    tx.run('INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, ?, ?)', blob.hash, blob.size, blob.mediaType, blob.createdAt)
      .changes === 1
  );
}

/** Records an image an import stored (PNG); a hash recorded before keeps its row. */
export function recordImageBlob(tx: WriteDb, hash: string, size: number, createdAt: string): void {
  insertBlobIfAbsent(tx, { hash, size, mediaType: 'image/png', createdAt });
}

/** Records a frozen dataset version's manifest (JSON); a hash recorded before keeps its row. */
export function recordManifestBlob(tx: WriteDb, hash: string, size: number, createdAt: string): void {
  insertBlobIfAbsent(tx, { hash, size, mediaType: 'application/json', createdAt });
}

/** Whether the workspace holds a PNG image under this hash. */
export function isStoredImage(db: ReadDb, hash: string): boolean {
  return db.value<string>("SELECT media_type FROM blobs WHERE hash = ? AND media_type = 'image/png'", hash) !== undefined;
}

export function deleteBlob(tx: WriteDb, hash: string): void {
  tx.run('DELETE FROM blobs WHERE hash = ?', hash);
}
