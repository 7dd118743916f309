// The blob record of a report version's frozen data (the bytes are already in the blob store).
import type { WriteDb } from '../sql-handles.ts';

/** Records a stored blob holding report data; a blob recorded before (same hash) is left as it is. */
export function recordReportDataBlob(tx: WriteDb, blob: { hash: string; size: number }, mediaType: string, createdAt: string): void {
  tx.run('INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, ?, ?)', blob.hash, blob.size, mediaType, createdAt);
}
