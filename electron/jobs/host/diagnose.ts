// The host half of this job kind (its worker half: electron/jobs/worker/diagnose.ts).
// Diagnosis job. Host: creates the run, hands the worker the version split's items (options in displayed order, with
// any feature-cache hit), commits each batch's per-item probabilities + new cache rows with the cursor, and on done
// computes the metrics report (shared/metrics). Worker: loads the pack only if some item misses the cache, scores in
// batches, writes features as blobs. Cursor = items done, in item-id order, so resume continues where it stopped.
import { DiagnoseParams } from '../../../shared/api/runs.ts';
import { AppError } from '../../../shared/errors.ts';
import { computeMetricsReport } from '../../../shared/metrics/index.ts';
import { refuseVisionOnly } from '../../diagnosis/open-runner.ts';
import { appendRunEvent, cacheCounts, cacheLookup, insertCacheEntries, insertRun, insertRunItems, packRow, recordProvider, requireVersion, runIdForJob, runOfJob } from '../../diagnosis/run-store.ts';
import { versionWorkItems } from '../../diagnosis/version-work.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import type { JobKindHandler } from '../job-kind.ts';
import { initAdapterHash } from './adapter-run.ts';
import type { Cursor, Input, Output } from '../worker/diagnose.ts';

/** Recorded as the provider when every item came from the feature cache (no model was loaded). */
export const CACHE_ONLY_PROVIDER = { provider: 'feature-cache', reason: 'every item was served from the feature cache; no model session was opened' };

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
