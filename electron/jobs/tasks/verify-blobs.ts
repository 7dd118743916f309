// Integrity scan: recompute every stored blob's SHA-256 and compare it with its name.
// Host side prepares the hashes after the cursor (sorted, so the cursor is simply the last hash checked);
// worker side streams each file from disk and reports results in small checkpoints.
import { setTimeout as sleep } from 'node:timers/promises';
import { VerifyBlobsParams } from '../../../shared/api/jobs.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { WorkerTask } from '../worker-task.ts';

const CHECKPOINT_EVERY_BLOBS = 10;
const CHECKPOINT_EVERY_MS = 500;

type Cursor = { lastHash: string; done: number };
type Input = { hashes: string[]; total: number };
type Output = Array<{ hash: string; ok: boolean }>;

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

export const verifyBlobsTask: WorkerTask<VerifyBlobsParams, Cursor, Input> = {
  kind: 'verify-blobs',
  async run(ctx) {
    const store = new BlobStore(ctx.workspaceDir);
    const minGapMs = ctx.params.maxBlobsPerSecond > 0 ? 1000 / ctx.params.maxBlobsPerSecond : 0;
    let done = ctx.cursor?.done ?? 0;
    const startedAt = done;
    let pending: Output = [];
    let lastFlush = Date.now();
    const flush = (lastHash: string) => {
      if (pending.length === 0) return;
      ctx.checkpoint({ lastHash, done }, pending, done, ctx.input.total);
      pending = [];
      lastFlush = Date.now();
    };
    let lastHash = ctx.cursor?.lastHash ?? '';
    for (const hash of ctx.input.hashes) {
      if (ctx.cancelled()) break;
      const t0 = Date.now();
      const { ok } = await store.verify(hash);
      pending.push({ hash, ok });
      done++;
      lastHash = hash;
      ctx.progress(done, ctx.input.total, `Checked ${done} of ${ctx.input.total} stored files`);
      if (pending.length >= CHECKPOINT_EVERY_BLOBS || Date.now() - lastFlush >= CHECKPOINT_EVERY_MS) flush(lastHash);
      const wait = minGapMs - (Date.now() - t0);
      if (wait > 0) await sleep(wait);
    }
    flush(lastHash);
    return { checkedThisAttempt: done - startedAt, resumedFrom: startedAt };
  },
};
