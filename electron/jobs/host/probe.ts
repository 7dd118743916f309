// The host half of this job kind (its worker half: electron/jobs/worker/probe.ts).
// Linear-probe job (design.md §1 "Perception vs alignment"). Any pack kind, vision-only packs included (only the
// image encoder is opened). Worker: frozen image embeddings of every item of the
// version (feature cache first, keyed by the image-embedding template), then one multinomial logistic regression per
// task (shared/probe: train → fit, val → L2, test → accuracy with a Wilson interval). Host: commits cache rows with
// the cursor; on done stores the probe report beside the VLM's numbers from the latest diagnosis of the same pack
// and version. Resume re-reads embeddings already committed from the cache.
import { ProbeParams, type ProbeReport, type ProbeTaskResult } from '../../../shared/api/runs.ts';
import { runIdForJob } from '../../../shared/run-ids.ts';
import { runEnvironment } from '../../environment/run-environment.ts';
import { IMAGE_EMBEDDING_TEMPLATE_HASH } from '../../diagnosis/template-hash.ts';
import { versionWorkItems } from '../../diagnosis/version-work.ts';
import { featureCacheLookup, insertCacheEntries } from '../../storage/repositories/feature-cache.ts';
import { appendRunEvent } from '../../storage/repositories/run-events.ts';
import { jobParams } from '../../storage/repositories/run-lookups.ts';
import {
  executionProviderOf,
  finishRunWithMetrics,
  insertJobRun,
  latestDoneDiagnosis,
  recordExecutionProvider,
  runIdOfJob,
} from '../../storage/repositories/runs.ts';
import type { ReadDb } from '../../storage/sql-handles.ts';
import type { JobKindHandler } from '../job-kind.ts';
import { requirePack, requireVersion } from './run-prerequisites.ts';
import type { Input, Output, TaskResult } from '../worker/probe.ts';

function probeParams(db: ReadDb, jobId: string): ProbeParams {
  return ProbeParams.parse(jobParams(db, jobId));
}

export const probeHandler: JobKindHandler<ProbeParams> = {
  kind: 'probe',
  params: ProbeParams,
  create(_ws, jobId, params, tx) {
    requirePack(tx, params.pack);
    requireVersion(tx, params.version);
    const run = runIdForJob(jobId);
    insertJobRun(tx, {
      id: run,
      kind: 'probe',
      packId: params.pack,
      versionId: params.version,
      split: 'all',
      config: { ...params },
      seed: params.seed,
      jobId,
      environment: runEnvironment(),
      createdAt: new Date().toISOString(),
    });
    return { run };
  },
  prepareInput(ws, _jobId, params): Input {
    const pack = requirePack(ws.read, params.pack);
    const lookup = featureCacheLookup(ws.read, params.pack);
    const { items } = versionWorkItems(ws, params.version, 'all', lookup, () => IMAGE_EMBEDDING_TEMPLATE_HASH);
    const rows = items.map((it) => ({
      imageHash: it.imageHash,
      cached: it.cached,
      answer: it.options[it.correct] as string,
      options: it.options,
      split: it.split,
      task: it.task,
      modality: it.modality,
    }));
    return { packId: pack.id, packKind: pack.kind, packDir: pack.path, rows, seed: params.seed };
  },
  applyCheckpoint(_ws, ctx, raw, tx) {
    const out = raw as Output;
    const run = runIdOfJob(tx, ctx.jobId);
    insertCacheEntries(tx, probeParams(tx, ctx.jobId).pack, out.cache);
    appendRunEvent(tx, run, 'batch', { items: out.counts.hits + out.counts.misses, hits: out.counts.hits, misses: out.counts.misses, attempt: ctx.attempt });
    if (out.provider) recordExecutionProvider(tx, run, out.provider);
  },
  summarise(_ws, jobId, workerResult, tx) {
    const run = runIdOfJob(tx, jobId);
    const params = probeParams(tx, jobId);
    const probe = workerResult.probe as { dim: number; byTask: Record<string, TaskResult> };
    const diag = latestDoneDiagnosis(tx, params.pack, params.version);
    const vlmReport = diag ? diag.metrics : null;
    const byTask: Record<string, ProbeTaskResult> = {};
    for (const [task, r] of Object.entries(probe.byTask)) {
      const g = vlmReport?.byTask[task];
      byTask[task] = { ...r, vlm: g && diag ? { run: diag.id, acc1: g.acc1, passAtK: g.passAtK } : null, referenceAccuracy: params.referenceAccuracy ?? null };
    }
    const report: ProbeReport = { kind: 'probe', dim: probe.dim, byTask };
    if (!executionProviderOf(tx, run)) {
      recordExecutionProvider(tx, run, { provider: 'feature-cache', reason: 'every embedding was served from the feature cache; no model session was opened' });
    }
    finishRunWithMetrics(tx, run, report, new Date().toISOString());
    return { run, tasks: Object.fromEntries(Object.entries(byTask).map(([t, r]) => [t, { accuracy: r.accuracy, accuracyCi: r.accuracyCi }])) };
  },
};
