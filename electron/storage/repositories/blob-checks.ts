// blob_checks: what a verify-blobs job found for each blob it recomputed (one row per blob per attempt).
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export interface NewBlobCheck {
  jobId: string;
  hash: string;
  ok: boolean;
  attempt: number;
}

export function insertBlobCheck(tx: WriteDb, check: NewBlobCheck): void {
  tx.run('INSERT INTO blob_checks (job_id, hash, ok, attempt) VALUES (?, ?, ?, ?)', check.jobId, check.hash, check.ok ? 1 : 0, check.attempt);
}

/** Hashes the job found corrupt, in hash order. */
export function corruptBlobHashes(db: ReadDb, jobId: string): string[] {
  return db.values<string>('SELECT hash FROM blob_checks WHERE job_id = ? AND ok = 0 ORDER BY hash', jobId);
}

export function blobCheckCount(db: ReadDb, jobId: string): number {
  return db.value<number>('SELECT count(*) AS n FROM blob_checks WHERE job_id = ?', jobId) ?? 0;
}
