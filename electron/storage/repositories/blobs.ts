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

export function deleteBlob(tx: WriteDb, hash: string): void {
  tx.run('DELETE FROM blobs WHERE hash = ?', hash);
}
