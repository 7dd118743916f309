// blob_replacements: each stored file a compact-images job replaced, with the file that replaced it and its role.
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export type ReplacementRole = 'image' | 'thumbnail';

export interface ReplacementCounts {
  images: number;
  thumbnails: number;
}

export interface ReplacedBlob {
  hash: string;
  size: number;
}

/** Records one replacement (a replacement already recorded for this job is left as it is). */
export function recordBlobReplacement(tx: WriteDb, jobId: string, oldHash: string, newHash: string, role: ReplacementRole): void {
  tx.run('INSERT OR IGNORE INTO blob_replacements (job_id, old_hash, new_hash, role) VALUES (?, ?, ?, ?)', jobId, oldHash, newHash, role);
}

export function replacementCounts(db: ReadDb, jobId: string): ReplacementCounts {
  return (
    db.get<ReplacementCounts>(
      "SELECT count(*) FILTER (WHERE role = 'image') AS images, count(*) FILTER (WHERE role = 'thumbnail') AS thumbnails FROM blob_replacements WHERE job_id = ?",
      jobId,
    ) ?? { images: 0, thumbnails: 0 }
  );
}

/** Bytes of the distinct new files the job wrote. */
export function replacementFileBytes(db: ReadDb, jobId: string): number {
  return (
    db.value<number>(
      `SELECT coalesce(sum(b.size), 0) AS n FROM blobs b WHERE b.hash IN (SELECT DISTINCT new_hash FROM blob_replacements WHERE job_id = ?)`,
      jobId,
    ) ?? 0
  );
}

/** The old blobs the job replaced that still have their row, with their size, in hash order. */
export function replacedBlobsStillStored(db: ReadDb, jobId: string): ReplacedBlob[] {
  return db.all<ReplacedBlob>(
    'SELECT r.old_hash AS hash, b.size AS size FROM blob_replacements r JOIN blobs b ON b.hash = r.old_hash WHERE r.job_id = ? ORDER BY r.old_hash',
    jobId,
  );
}

/** The old blobs the job replaced whose row is gone (their files can go too). */
export function replacedBlobsRemoved(db: ReadDb, jobId: string): string[] {
  return db.values<string>('SELECT old_hash AS hash FROM blob_replacements WHERE job_id = ? AND old_hash NOT IN (SELECT hash FROM blobs)', jobId);
}
