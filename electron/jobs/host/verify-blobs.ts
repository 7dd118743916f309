// The host half of this job kind (its worker half: electron/jobs/worker/verify-blobs.ts).
// Integrity scan: recompute every stored blob's SHA-256 and compare it with its name.
// Host side prepares the hashes after the cursor (sorted, so the cursor is simply the last hash checked);
// worker side streams each file from disk and reports results in small checkpoints.
import { VerifyBlobsParams } from '../../../shared/api/jobs.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { Cursor, Input, Output } from '../worker/verify-blobs.ts';

export const verifyBlobsHandler: JobKindHandler<VerifyBlobsParams> = {
  kind: 'verify-blobs',
  params: VerifyBlobsParams,
  prepareInput(ws, _jobId, _params, cursor): Input {
    const c = cursor as Cursor | null;
    const hashes = (ws.db.prepare('SELECT hash FROM blobs WHERE hash > ? ORDER BY hash').all(c?.lastHash ?? '') as Array<{ hash: string }>).map((r) => r.hash);
    return { hashes, total: (c?.done ?? 0) + hashes.length };
  },
  applyCheckpoint(ws, ctx, output) {
    const insert = ws.db.prepare('INSERT INTO blob_checks (job_id, hash, ok, attempt) VALUES (?, ?, ?, ?)');
    for (const r of output as Output) insert.run(ctx.jobId, r.hash, r.ok ? 1 : 0, ctx.attempt);
  },
  summarise(ws, jobId) {
    const rows = ws.db.prepare('SELECT hash FROM blob_checks WHERE job_id = ? AND ok = 0 ORDER BY hash').all(jobId) as Array<{ hash: string }>;
    const checked = (ws.db.prepare('SELECT count(*) AS n FROM blob_checks WHERE job_id = ?').get(jobId) as { n: number }).n;
    return { checked, corrupt: rows.map((r) => r.hash), ok: rows.length === 0 };
  },
};
