// The host half of this job kind (its worker half: electron/jobs/worker/diagnose.ts).
// Diagnosis job. Host: creates the run, hands the worker the version split's items (options in displayed order, with
// any feature-cache hit), commits each batch's per-item probabilities + new cache rows with the cursor, and on done
// computes the metrics report (shared/metrics). Worker: loads the pack only if some item misses the cache, scores in
// batches, writes features as blobs. Cursor = items done, in item-id order, so resume continues where it stopped.
import { DiagnoseParams } from '../../../shared/api/runs.ts';
import { AppError } from '../../../shared/errors.ts';
import { computeMetricsReport } from '../../../shared/metrics/index.ts';
import { runIdForJob } from '../../../shared/run-ids.ts';
import { refuseVisionOnly } from '../../models/open-model.ts';
import { runEnvironment } from '../../environment/run-environment.ts';
import { versionWorkItems } from '../../diagnosis/version-work.ts';
import { featureCacheLookup, insertCacheEntries } from '../../storage/repositories/feature-cache.ts';
import { appendRunEvent, cacheCounts } from '../../storage/repositories/run-events.ts';
import { insertRunItems, scoredRunItems } from '../../storage/repositories/run-items.ts';
import { jobParams } from '../../storage/repositories/run-lookups.ts';
import {
  executionProviderOf,
  finishRunWithMetrics,
  insertJobRun,
  recordExecutionProvider,
  runIdOfJob,
  setAppliedAdapter,
} from '../../storage/repositories/runs.ts';
import type { ReadDb } from '../../storage/sql-handles.ts';
import type { JobKindHandler } from '../job-kind.ts';
import { initAdapterHash } from './adapter-run.ts';
import { requirePack, requireVersion } from './run-prerequisites.ts';
import type { Cursor, Input, Output } from '../worker/diagnose.ts';

/** Recorded as the provider when every item came from the feature cache (no model was loaded). */
export const CACHE_ONLY_PROVIDER = { provider: 'feature-cache', reason: 'every item was served from the feature cache; no model session was opened' };

function diagnoseParams(db: ReadDb, jobId: string): DiagnoseParams {
  return DiagnoseParams.parse(jobParams(db, jobId));
}

export const diagnoseHandler: JobKindHandler<DiagnoseParams> = {
  kind: 'diagnose',
  params: DiagnoseParams,
  create(ws, jobId, params, tx) {
    refuseVisionOnly(requirePack(tx, params.pack), 'diagnosis');
    requireVersion(tx, params.version);
    const adapterHash = initAdapterHash(tx, params.adapter ?? null, params.pack);
    const { items, excluded } = versionWorkItems(ws, params.version, params.split, () => null);
    if (items.length === 0)
      throw new AppError(
        'conflict',
        `Dataset version ${params.version} has no multiple-choice items with an image in split "${params.split}"; pick another split.`,
        { version: params.version, split: params.split },
      );
    const run = runIdForJob(jobId);
    insertJobRun(tx, {
      id: run,
      kind: 'diagnose',
      packId: params.pack,
      versionId: params.version,
      split: params.split,
      config: { ...params },
      seed: params.seed,
      jobId,
      environment: runEnvironment(),
      createdAt: new Date().toISOString(),
    });
    if (adapterHash) setAppliedAdapter(tx, run, adapterHash, params.adapter);
    appendRunEvent(tx, run, 'items', { items: items.length, excludedNotMultipleChoiceWithImage: excluded });
    return { run, items: items.length, excluded };
  },
  prepareInput(ws, _jobId, params, cursor): Input {
    const pack = requirePack(ws.read, params.pack);
    const { items } = versionWorkItems(ws, params.version, params.split, featureCacheLookup(ws.read, params.pack));
    const done = (cursor as Cursor | null)?.done ?? 0;
    return {
      packId: pack.id,
      packKind: pack.kind,
      packDir: pack.path,
      adapterHash: initAdapterHash(ws.read, params.adapter ?? null, params.pack),
      temperature: params.temperature,
      batchSize: params.batchSize,
      items: items.slice(done),
      doneBefore: done,
      total: items.length,
    };
  },
  applyCheckpoint(_ws, ctx, raw, tx) {
    const out = raw as Output;
    const run = runIdOfJob(tx, ctx.jobId);
    const params = diagnoseParams(tx, ctx.jobId);
    insertCacheEntries(tx, params.pack, out.cache);
    insertRunItems(tx, run, out.results);
    appendRunEvent(tx, run, 'batch', { items: out.results.length, hits: out.counts.hits, misses: out.counts.misses, ms: out.ms, attempt: ctx.attempt });
    if (out.provider) recordExecutionProvider(tx, run, out.provider);
  },
  summarise(_ws, jobId, _workerResult, tx) {
    const run = runIdOfJob(tx, jobId);
    const params = diagnoseParams(tx, jobId);
    const report = computeMetricsReport(scoredRunItems(tx, params.version, run), { ks: params.ks, bootstrapSamples: params.bootstrap, seed: params.seed });
    if (!executionProviderOf(tx, run)) recordExecutionProvider(tx, run, CACHE_ONLY_PROVIDER);
    finishRunWithMetrics(tx, run, report, new Date().toISOString());
    const k = String(Math.max(...params.ks));
    return { run, n: report.overall.n, acc1: report.overall.acc1, [`passAt${k}`]: report.overall.passAtK[k] ?? null, cache: cacheCounts(tx, run) };
  },
};
