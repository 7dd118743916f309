// The worker half of this job kind (its host half: electron/jobs/host/verify-blobs.ts).
// Integrity scan: recompute every stored blob's SHA-256 and compare it with its name.
// Host side prepares the hashes after the cursor (sorted, so the cursor is simply the last hash checked);
// worker side streams each file from disk and reports results in small checkpoints.
import { setTimeout as sleep } from 'node:timers/promises';
import { VerifyBlobsParams } from '../../../shared/api/jobs.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { WorkerTask } from '../worker-task.ts';

const CHECKPOINT_EVERY_BLOBS = 10;

const CHECKPOINT_EVERY_MS = 500;

export type Cursor = { lastHash: string; done: number };

export type Input = { hashes: string[]; total: number };

export type Output = Array<{ hash: string; ok: boolean }>;

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
