// The host half of this job kind (its worker half: electron/jobs/worker/probe.ts).
// Linear-probe job (design.md §1 "Perception vs alignment"). Any pack kind, vision-only packs included (only the
// image encoder is opened). Worker: frozen image embeddings of every item of the
// version (feature cache first, keyed by the image-embedding template), then one multinomial logistic regression per
// task (shared/probe: train → fit, val → L2, test → accuracy with a Wilson interval). Host: commits cache rows with
// the cursor; on done stores the probe report beside the VLM's numbers from the latest diagnosis of the same pack
// and version. Resume re-reads embeddings already committed from the cache.
import { ProbeParams, type ProbeReport, type ProbeTaskResult } from '../../../shared/api/runs.ts';
import type { MetricsReport } from '../../../shared/metrics/index.ts';
import { appendRunEvent, cacheLookup, insertCacheEntries, insertRun, packRow, recordProvider, requireVersion, runIdForJob, runOfJob } from '../../diagnosis/run-store.ts';
import { IMAGE_EMBEDDING_TEMPLATE_HASH } from '../../diagnosis/template-hash.ts';
import { versionWorkItems } from '../../diagnosis/version-work.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { Input, Output, TaskResult } from '../worker/probe.ts';

function jobParams(ws: Workspace, jobId: string): ProbeParams {
  return ProbeParams.parse(JSON.parse((ws.db.prepare('SELECT params FROM jobs WHERE id = ?').get(jobId) as { params: string }).params));
}

export const probeHandler: JobKindHandler<ProbeParams> = {
  kind: 'probe',
  params: ProbeParams,
  create(ws, jobId, params) {
    packRow(ws, params.pack);
    requireVersion(ws, params.version);
    const run = runIdForJob(jobId);
    insertRun(ws, { id: run, kind: 'probe', packId: params.pack, versionId: params.version, split: 'all', config: { ...params }, seed: params.seed, jobId });
    return { run };
  },
  prepareInput(ws, _jobId, params): Input {
    const pack = packRow(ws, params.pack);
    const lookup = cacheLookup(ws, params.pack);
    const { items } = versionWorkItems(ws, params.version, 'all', lookup, () => IMAGE_EMBEDDING_TEMPLATE_HASH);
    const rows = items.map((it) => ({ imageHash: it.imageHash, cached: it.cached, answer: it.options[it.correct] as string, options: it.options, split: it.split, task: it.task, modality: it.modality }));
    return { packId: pack.id, packKind: pack.kind, packDir: pack.path, rows, seed: params.seed };
  },
  applyCheckpoint(ws, ctx, raw) {
    const out = raw as Output;
    const run = runOfJob(ws, ctx.jobId);
    insertCacheEntries(ws, jobParams(ws, ctx.jobId).pack, out.cache);
    appendRunEvent(ws, run, 'batch', { items: out.counts.hits + out.counts.misses, hits: out.counts.hits, misses: out.counts.misses, attempt: ctx.attempt });
    if (out.provider) recordProvider(ws, run, out.provider);
  },
  summarise(ws, jobId, workerResult) {
    const run = runOfJob(ws, jobId);
    const params = jobParams(ws, jobId);
    const probe = workerResult.probe as { dim: number; byTask: Record<string, TaskResult> };
    const diag = ws.db.prepare("SELECT id, metrics FROM runs WHERE kind = 'diagnose' AND state = 'done' AND pack_id = ? AND version_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1").get(params.pack, params.version) as { id: string; metrics: string } | undefined;
    const vlmReport = diag ? (JSON.parse(diag.metrics) as MetricsReport) : null;
    const byTask: Record<string, ProbeTaskResult> = {};
    for (const [task, r] of Object.entries(probe.byTask)) {
      const g = vlmReport?.byTask[task];
      byTask[task] = { ...r, vlm: g && diag ? { run: diag.id, acc1: g.acc1, passAtK: g.passAtK } : null, referenceAccuracy: params.referenceAccuracy ?? null };
    }
    const report: ProbeReport = { kind: 'probe', dim: probe.dim, byTask };
    if (!(ws.db.prepare("SELECT json_extract(environment, '$.executionProvider') AS p FROM runs WHERE id = ?").get(run) as { p: unknown }).p) {
      recordProvider(ws, run, { provider: 'feature-cache', reason: 'every embedding was served from the feature cache; no model session was opened' });
    }
    ws.db.prepare("UPDATE runs SET metrics = ?, state = 'done', finished_at = ? WHERE id = ?").run(JSON.stringify(report), new Date().toISOString(), run);
    return { run, tasks: Object.fromEntries(Object.entries(byTask).map(([t, r]) => [t, { accuracy: r.accuracy, accuracyCi: r.accuracyCi }])) };
  },
};
