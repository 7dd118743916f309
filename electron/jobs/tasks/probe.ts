// Linear-probe job (design.md §1 "Perception vs alignment"). Any pack kind, vision-only packs included (only the
// image encoder is opened). Worker: frozen image embeddings of every item of the
// version (feature cache first, keyed by the image-embedding template), then one multinomial logistic regression per
// task (shared/probe: train → fit, val → L2, test → accuracy with a Wilson interval). Host: commits cache rows with
// the cursor; on done stores the probe report beside the VLM's numbers from the latest diagnosis of the same pack
// and version. Resume re-reads embeddings already committed from the cache.
import { ProbeParams, type ProbeReport, type ProbeTaskResult } from '../../../shared/api/runs.ts';
import { AppError } from '../../../shared/errors.ts';
import type { MetricsReport } from '../../../shared/metrics/index.ts';
import { trainLinearProbe } from '../../../shared/probe/index.ts';
import { openImageEncoder, packLoadMessage } from '../../diagnosis/open-runner.ts';
import { appendRunEvent, cacheLookup, insertCacheEntries, insertRun, packRow, recordProvider, requireVersion, runIdForJob, runOfJob } from '../../diagnosis/run-store.ts';
import { embedBatch, type CacheCounts, type NewCacheEntry } from '../../diagnosis/score-items.ts';
import { IMAGE_EMBEDDING_TEMPLATE_HASH } from '../../diagnosis/template-hash.ts';
import { versionWorkItems } from '../../diagnosis/version-work.ts';
import type { ImageEncoder } from '../../models/index.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { WorkerTask } from '../worker-task.ts';

export const PROBE_BATCH_IMAGES = 64;

/** `answer` is the right option's text: importers may shuffle option lists per item, so classes are texts, not indices. */
interface ProbeRow { imageHash: string; cached: string | null; answer: string; options: string[]; split: string; task: string; modality: string }
type Cursor = { done: number };
interface Input { packId: string; packKind: string; packDir: string; rows: ProbeRow[]; seed: number }
interface Output { cache: NewCacheEntry[]; counts: CacheCounts; provider: unknown }
type TaskResult = Omit<ProbeTaskResult, 'vlm' | 'referenceAccuracy'>;

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

/** One probe per task: its classes are the task's option texts, sorted. */
export function probeTasks(rows: readonly ProbeRow[], features: readonly Float32Array[], seed: number): Record<string, TaskResult> {
  const byTask = new Map<string, number[]>();
  rows.forEach((r, i) => byTask.set(r.task, [...(byTask.get(r.task) ?? []), i]));
  const out: Record<string, TaskResult> = {};
  for (const [task, idx] of [...byTask].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const first = rows[idx[0] as number] as ProbeRow;
    const classNames = [...new Set(idx.flatMap((i) => (rows[i] as ProbeRow).options))].sort();
    const classOf = new Map(classNames.map((name, c) => [name, c]));
    const count = (s: string) => idx.filter((i) => (rows[i] as ProbeRow).split === s).length;
    const base: TaskResult = { task, modality: first.modality, classes: classNames.length, counts: { train: count('train'), val: count('val'), test: count('test'), valCarvedFromTrain: false }, l2: null, accuracy: null, accuracyCi: null, valAccuracy: null, note: null };
    try {
      const r = trainLinearProbe(
        { features: idx.map((i) => features[i] as Float32Array), labels: idx.map((i) => classOf.get((rows[i] as ProbeRow).answer) as number), splits: idx.map((i) => (rows[i] as ProbeRow).split), classes: classNames.length },
        { seed },
      );
      out[task] = {
        ...base, classes: r.classes, counts: r.counts, l2: r.l2, valAccuracy: r.val.accuracy,
        accuracy: r.test?.accuracy ?? null, accuracyCi: r.test?.accuracyCi ?? null,
        note: r.test ? null : 'No test items in this task, so no test accuracy.',
      };
    } catch (e) {
      out[task] = { ...base, note: `No probe for this task: ${(e as Error).message}.` };
    }
  }
  return out;
}

export const probeTask: WorkerTask<ProbeParams, Cursor, Input> = {
  kind: 'probe',
  async run(ctx) {
    const { rows } = ctx.input;
    const store = new BlobStore(ctx.workspaceDir);
    let runner: ImageEncoder | null = null;
    let provider: unknown = null;
    const getRunner = async () => {
      if (!runner) {
        ctx.progress(0, rows.length, 'Loading the model pack (checking its files)…');
        runner = await openImageEncoder(ctx.input.packKind, ctx.input.packDir, ctx.workspaceDir, packLoadMessage((m) => ctx.progress(0, rows.length, m)));
        if (runner.packId !== ctx.input.packId) throw new AppError('model/hash-mismatch', `The model pack folder ${ctx.input.packDir} changed since it was registered (its files no longer match pack ${ctx.input.packId.slice(0, 12)}…). Register it again with "models add".`, { path: ctx.input.packDir });
        provider = runner.executionProvider;
      }
      return runner;
    };
    const features: Float32Array[] = [];
    try {
      for (let start = 0; start < rows.length; start += PROBE_BATCH_IMAGES) {
        if (ctx.cancelled()) return { cancelled: true };
        const out = await embedBatch(rows.slice(start, start + PROBE_BATCH_IMAGES), IMAGE_EMBEDDING_TEMPLATE_HASH, store, getRunner);
        features.push(...out.features);
        ctx.checkpoint({ done: features.length }, { cache: out.cache, counts: out.counts, provider } satisfies Output, features.length, rows.length);
        provider = null;
        ctx.progress(features.length, rows.length, `Embedded ${features.length} of ${rows.length} images`);
      }
    } finally {
      if (runner) await (runner as ImageEncoder).dispose();
    }
    ctx.progress(rows.length, rows.length, 'Fitting one linear probe per task…');
    return { probe: { dim: features[0]?.length ?? 0, byTask: probeTasks(rows, features, ctx.input.seed) } };
  },
};
