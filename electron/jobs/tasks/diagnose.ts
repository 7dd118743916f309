// Diagnosis job. Host: creates the run, hands the worker the version split's items (options in displayed order, with
// any feature-cache hit), commits each batch's per-item probabilities + new cache rows with the cursor, and on done
// computes the metrics report (shared/metrics). Worker: loads the pack only if some item misses the cache, scores in
// batches, writes features as blobs. Cursor = items done, in item-id order, so resume continues where it stopped.
import { DiagnoseParams } from '../../../shared/api/runs.ts';
import { AppError } from '../../../shared/errors.ts';
import { computeMetricsReport } from '../../../shared/metrics/index.ts';
import { openRunner, refuseVisionOnly, packLoadMessage } from '../../diagnosis/open-runner.ts';
import {
  appendRunEvent, cacheCounts, cacheLookup, insertCacheEntries, insertRun, insertRunItems, packRow, recordProvider, requireVersion, runIdForJob, runOfJob,
} from '../../diagnosis/run-store.ts';
import { scoreBatch, type CacheCounts, type NewCacheEntry, type ScoredItem, type WorkItem } from '../../diagnosis/score-items.ts';
import type { CachedFeatures } from '../../diagnosis/feature-blob.ts';
import { versionWorkItems } from '../../diagnosis/version-work.ts';
import type { ModelPackRunner } from '../../models/index.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import type { JobKindHandler } from '../job-kind.ts';
import { adapterOptionLogits, deserializeAdapter } from '../../training/index.ts';
import { initAdapterHash } from './adapter-run.ts';
import type { WorkerTask } from '../worker-task.ts';

/** Recorded as the provider when every item came from the feature cache (no model was loaded). */
export const CACHE_ONLY_PROVIDER = { provider: 'feature-cache', reason: 'every item was served from the feature cache; no model session was opened' };

type Cursor = { done: number };
interface Input { packId: string; packKind: string; packDir: string; adapterHash?: string | null; temperature: number; batchSize: number; items: WorkItem[]; doneBefore: number; total: number }
interface Output { results: ScoredItem[]; cache: NewCacheEntry[]; counts: CacheCounts; ms: number; provider: unknown }

function jobParams(ws: Workspace, jobId: string): DiagnoseParams {
  return DiagnoseParams.parse(JSON.parse((ws.db.prepare('SELECT params FROM jobs WHERE id = ?').get(jobId) as { params: string }).params));
}

function environmentProvider(ws: Workspace, run: string): unknown {
  return (ws.db.prepare("SELECT json_extract(environment, '$.executionProvider') AS p FROM runs WHERE id = ?").get(run) as { p: unknown }).p;
}

export const diagnoseHandler: JobKindHandler<DiagnoseParams> = {
  kind: 'diagnose',
  params: DiagnoseParams,
  create(ws, jobId, params) {
    refuseVisionOnly(packRow(ws, params.pack), 'diagnosis');
    requireVersion(ws, params.version);
    const adapterHash = initAdapterHash(ws, params.adapter ?? null, params.pack);
    const { items, excluded } = versionWorkItems(ws, params.version, params.split, () => null);
    if (items.length === 0) throw new AppError('conflict', `Dataset version ${params.version} has no multiple-choice items with an image in split "${params.split}"; pick another split.`, { version: params.version, split: params.split });
    const run = runIdForJob(jobId);
    insertRun(ws, { id: run, kind: 'diagnose', packId: params.pack, versionId: params.version, split: params.split, config: { ...params }, seed: params.seed, jobId });
    if (adapterHash) ws.db.prepare('UPDATE runs SET adapter_hash = ?, init_run = ? WHERE id = ?').run(adapterHash, params.adapter, run);
    appendRunEvent(ws, run, 'items', { items: items.length, excludedNotMultipleChoiceWithImage: excluded });
    return { run, items: items.length, excluded };
  },
  prepareInput(ws, _jobId, params, cursor): Input {
    const pack = packRow(ws, params.pack);
    const { items } = versionWorkItems(ws, params.version, params.split, cacheLookup(ws, params.pack));
    const done = (cursor as Cursor | null)?.done ?? 0;
    return { packId: pack.id, packKind: pack.kind, packDir: pack.path, adapterHash: initAdapterHash(ws, params.adapter ?? null, params.pack), temperature: params.temperature, batchSize: params.batchSize, items: items.slice(done), doneBefore: done, total: items.length };
  },
  applyCheckpoint(ws, ctx, raw) {
    const out = raw as Output;
    const run = runOfJob(ws, ctx.jobId);
    const params = jobParams(ws, ctx.jobId);
    insertCacheEntries(ws, params.pack, out.cache);
    insertRunItems(ws, run, out.results);
    appendRunEvent(ws, run, 'batch', { items: out.results.length, hits: out.counts.hits, misses: out.counts.misses, ms: out.ms, attempt: ctx.attempt });
    if (out.provider) recordProvider(ws, run, out.provider);
  },
  summarise(ws, jobId) {
    const run = runOfJob(ws, jobId);
    const params = jobParams(ws, jobId);
    const rows = ws.db.prepare(`SELECT r.item_id AS item, r.probs, r.correct, v.modality, i.task, r.split FROM run_items r
      JOIN items i ON i.id = r.item_id JOIN version_items v ON v.item_id = r.item_id AND v.version_id = ? WHERE r.run_id = ? ORDER BY r.item_id`).all(params.version, run) as Array<{ item: string; probs: string; correct: number; modality: string; task: string; split: string }>;
    const report = computeMetricsReport(rows.map((r) => ({ ...r, probs: JSON.parse(r.probs) as number[] })), { ks: params.ks, bootstrapSamples: params.bootstrap, seed: params.seed });
    if (!environmentProvider(ws, run)) recordProvider(ws, run, CACHE_ONLY_PROVIDER);
    ws.db.prepare("UPDATE runs SET metrics = ?, state = 'done', finished_at = ? WHERE id = ?").run(JSON.stringify(report), new Date().toISOString(), run);
    const k = String(Math.max(...params.ks));
    return { run, n: report.overall.n, acc1: report.overall.acc1, [`passAt${k}`]: report.overall.passAtK[k] ?? null, cache: cacheCounts(ws, run) };
  },
};

export const diagnoseTask: WorkerTask<DiagnoseParams, Cursor, Input> = {
  kind: 'diagnose',
  async run(ctx) {
    const { input } = ctx;
    const store = new BlobStore(ctx.workspaceDir);
    let runner: ModelPackRunner | null = null;
    let provider: unknown = null;
    let providerSent = false;
    const getRunner = async () => {
      if (!runner) {
        ctx.progress(input.doneBefore, input.total, 'Loading the model pack (checking its files)…');
        runner = await openRunner(input.packKind, input.packDir, ctx.workspaceDir, packLoadMessage((m) => ctx.progress(input.doneBefore, input.total, m)));
        if (runner.packId !== input.packId) throw new AppError('model/hash-mismatch', `The model pack folder ${input.packDir} changed since it was registered (its files no longer match pack ${input.packId.slice(0, 12)}…). Register it again with "models add".`, { path: input.packDir });
        provider = runner.executionProvider;
      }
      return runner;
    };
    // A trained adapter (diagnose --adapter RUN) re-scores the cached features through the same function training validated with.
    const adapter = input.adapterHash ? deserializeAdapter(store.get(input.adapterHash)) : null;
    let done = input.doneBefore;
    const counts: CacheCounts = { hits: 0, misses: 0 };
    try {
      for (let start = 0; start < input.items.length; start += input.batchSize) {
        if (ctx.cancelled()) break;
        const t0 = performance.now();
        const batch = input.items.slice(start, start + input.batchSize);
        const out = await scoreBatch(batch, store, getRunner, { temperature: input.temperature, ...(adapter ? { logitsOf: (f: CachedFeatures) => adapterOptionLogits(adapter, f) } : {}) });
        done += batch.length;
        counts.hits += out.counts.hits;
        counts.misses += out.counts.misses;
        const output: Output = { ...out, ms: performance.now() - t0, provider: providerSent ? null : provider };
        if (provider !== null) providerSent = true;
        ctx.checkpoint({ done }, output, done, input.total);
        ctx.progress(done, input.total, `Scored ${done} of ${input.total} items (${counts.hits} from the feature cache)`);
      }
    } finally {
      if (runner) await (runner as ModelPackRunner).dispose();
    }
    return { scoredThisAttempt: done - input.doneBefore, resumedFrom: input.doneBefore, cacheHitsThisAttempt: counts.hits, cacheMissesThisAttempt: counts.misses };
  },
};
