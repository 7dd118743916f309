// The blob rows a run records for the files it writes into the blob store: feature vectors, trainer states and
// adapters. A blob already known keeps its row.
import type { WriteDb } from '../sql-handles.ts';

export interface NewRunBlob {
  hash: string;
  size: number;
  mediaType: string;
  createdAt: string;
}

export function recordRunBlob(tx: WriteDb, b: NewRunBlob): void {
  tx.run('INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, ?, ?)', b.hash, b.size, b.mediaType, b.createdAt);
}
