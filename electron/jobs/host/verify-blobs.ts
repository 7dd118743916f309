// The host half of this job kind (its worker half: electron/jobs/worker/verify-blobs.ts).
// Integrity scan: recompute every stored blob's SHA-256 and compare it with its name.
// Host side prepares the hashes after the cursor (sorted, so the cursor is simply the last hash checked);
// worker side streams each file from disk and reports results in small checkpoints.
import { VerifyBlobsParams } from '../../../shared/api/jobs.ts';
import { blobHashesAfter } from '../../storage/repositories/blobs.ts';
import { blobCheckCount, corruptBlobHashes, insertBlobCheck } from '../../storage/repositories/blob-checks.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { Cursor, Input, Output } from '../worker/verify-blobs.ts';

export const verifyBlobsHandler: JobKindHandler<VerifyBlobsParams> = {
  kind: 'verify-blobs',
  params: VerifyBlobsParams,
  prepareInput(ws, _jobId, _params, cursor): Input {
    const c = cursor as Cursor | null;
    const hashes = blobHashesAfter(ws.read, c?.lastHash ?? '');
    return { hashes, total: (c?.done ?? 0) + hashes.length };
  },
  applyCheckpoint(_ws, ctx, output, tx) {
    for (const r of output as Output) insertBlobCheck(tx, { jobId: ctx.jobId, hash: r.hash, ok: r.ok, attempt: ctx.attempt });
  },
  summarise(_ws, jobId, _workerResult, tx) {
    const corrupt = corruptBlobHashes(tx, jobId);
    const checked = blobCheckCount(tx, jobId);
    return { checked, corrupt, ok: corrupt.length === 0 };
  },
};
