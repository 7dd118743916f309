// Runs: start diagnosis and probe jobs, read runs back (state follows their job), item drill-down in displayed
// option order, recipe recommendations stored with the numbers behind them (audited), and paired comparisons.
import type { Job } from '../../shared/api/jobs.ts';
import type { ProbeReport, RunDetail, RunItem, RunSummary, StoredRecommendation } from '../../shared/api/runs.ts';
import { DiagnoseParams, ProbeParams } from '../../shared/api/runs.ts';
import { AppError } from '../../shared/errors.ts';
import { ADAPTER_TRAINING_KINDS } from '../../shared/run-kinds.ts';
import { argmax, compareRuns, wilsonInterval, type PairedComparison } from '../../shared/metrics/index.ts';
import { recommendFromReport, type ProbeSummary, type RecipeThresholds } from '../../shared/recipe/index.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { jobState } from '../storage/repositories/run-lookups.ts';
import { appendRecommendation, cacheCounts, latestRecommendation } from '../storage/repositories/run-events.ts';
import { countRunItems, runItemDetails } from '../storage/repositories/run-items.ts';
import { packLabel } from '../storage/repositories/model-packs.ts';
import { latestDoneProbe, listRuns, runById, runIdOfJob, type Run } from '../storage/repositories/runs.ts';
import type { Workspace } from '../storage/workspace.ts';
import type { ModelsService } from './models-service.ts';

const COMPARABLE_KINDS = new Set(['diagnose', ...ADAPTER_TRAINING_KINDS]);
const JOB_TO_RUN_STATE: Record<string, RunSummary['state']> = {
  queued: 'running',
  running: 'running',
  cancelling: 'running',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  failed: 'failed',
  done: 'done',
};

export class RunsService {
  private readonly ws: Workspace;
  private readonly jobs: JobRunner;
  private readonly models: ModelsService;
  constructor(ws: Workspace, jobs: JobRunner, models: ModelsService) {
    this.ws = ws;
    this.jobs = jobs;
    this.models = models;
  }

  async diagnose(input: Omit<DiagnoseParams, 'pack'> & { model: string }, actor: string): Promise<{ run: string; pack: string; job: Job }> {
    const { model, ...rest } = input;
    const pack = await this.models.resolve(model, actor);
    return this.start('diagnose', DiagnoseParams.parse({ ...rest, pack }), pack, actor);
  }

  async probe(input: Omit<ProbeParams, 'pack'> & { model: string }, actor: string): Promise<{ run: string; pack: string; job: Job }> {
    const { model, ...rest } = input;
    const pack = await this.models.resolve(model, actor);
    return this.start('probe', ProbeParams.parse({ ...rest, pack }), pack, actor);
  }

  private start(kind: 'diagnose' | 'probe', params: DiagnoseParams | ProbeParams, pack: string, actor: string): { run: string; pack: string; job: Job } {
    const job = this.jobs.start(kind, params, actor);
    return { run: runIdOfJob(this.ws.read, job.id), pack, job };
  }

  list(f: { kind?: string | undefined; version?: string | undefined; limit: number }): RunSummary[] {
    return listRuns(this.ws.read, f).map((r) => this.summary(r));
  }

  private row(id: string): Run {
    const r = runById(this.ws.read, id);
    if (!r) throw new AppError('not-found', `There is no run ${id} in this workspace.`, { id });
    return r;
  }

  private summary(r: Run): RunSummary {
    const stateOfJob = r.state === 'running' && r.job_id ? jobState(this.ws.read, r.job_id) : undefined;
    const label = packLabel(this.ws.read, r.pack_id) ?? '';
    const n = countRunItems(this.ws.read, r.id);
    const adapter = 'adapter' in r.config ? r.config.adapter : undefined;
    return {
      id: r.id,
      kind: r.kind,
      pack: r.pack_id,
      packLabel: label,
      version: r.version_id,
      split: r.split,
      adapter: typeof adapter === 'string' && adapter.length > 0 ? adapter : null,
      state: stateOfJob ? (JOB_TO_RUN_STATE[stateOfJob] ?? r.state) : r.state,
      jobId: r.job_id,
      seed: r.seed,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
      n,
    };
  }

  get(id: string): RunDetail {
    const r = this.row(id);
    return {
      ...this.summary(r),
      config: r.config,
      environment: r.environment,
      metrics: r.metrics,
      cache: cacheCounts(this.ws.read, id),
      recommendation: latestRecommendation(this.ws.read, id),
    };
  }

  items(f: {
    id: string;
    split?: string | undefined;
    modality?: string | undefined;
    task?: string | undefined;
    right?: boolean | undefined;
    offset: number;
    limit: number;
  }): { total: number; items: RunItem[] } {
    const r = this.row(f.id);
    let items: RunItem[] = runItemDetails(this.ws.read, r.version_id, f.id, f).map((x) => {
      const original = x.options;
      const order = x.option_order;
      return {
        item: x.item_id,
        split: x.split,
        modality: x.modality,
        task: x.task,
        question: x.question,
        options: order.length === original.length ? order.map((k) => original[k] as string) : original,
        probs: x.probs,
        correct: x.correct,
        predicted: argmax(x.probs),
        imageHash: x.image_hash,
      };
    });
    if (f.right !== undefined) items = items.filter((x) => (x.predicted === x.correct) === f.right);
    return { total: items.length, items: items.slice(f.offset, f.offset + f.limit) };
  }

  recommend(input: { run: string; k?: number | undefined; thresholds?: Partial<RecipeThresholds> | undefined }, actor: string): StoredRecommendation {
    const r = this.row(input.run);
    if (r.kind !== 'diagnose' || !r.metrics)
      throw new AppError('conflict', `Run ${input.run} is not a finished diagnosis; recommendations come from a diagnosis's Pass@K and Accuracy@1.`, {
        run: input.run,
      });
    const report = r.metrics;
    const probeRow = latestDoneProbe(this.ws.read, r.pack_id, r.version_id);
    const probes = probeRow ? probeSummaries(probeRow.metrics) : {};
    let recipe;
    try {
      recipe = recommendFromReport(report, {
        ...(input.k !== undefined ? { k: input.k } : {}),
        ...(input.thresholds ? { thresholds: input.thresholds } : {}),
        probes,
      });
    } catch (e) {
      if (e instanceof RangeError)
        throw new AppError('request/invalid-input', `${e.message}. Pick K from the diagnosis's K values (${report.config.ks.join(', ')}).`, {
          ks: report.config.ks,
        });
      throw e;
    }
    const stored: StoredRecommendation = { run: input.run, probeRun: probeRow?.id ?? null, createdAt: new Date().toISOString(), recipe };
    const summary = Object.fromEntries([
      ...Object.entries(recipe.byModality).map(([m, d]) => [`modality:${m}`, d.decision]),
      ...Object.entries(recipe.byTask).map(([t, d]) => [`task:${t}`, d.decision]),
    ]);
    this.ws.change(
      {
        actor,
        action: 'runs:recommend',
        subject: input.run,
        payload: { k: recipe.k, thresholds: recipe.thresholds, probeRun: stored.probeRun, overall: recipe.overall?.decision ?? null, decisions: summary },
      },
      (tx) => {
        appendRecommendation(tx, input.run, stored);
      },
    );
    return stored;
  }

  compare(input: { a: string; b: string; bootstrap?: number | undefined; seed?: number | undefined }): PairedComparison {
    const load = (id: string) => {
      const r = this.row(id);
      // Training runs keep their final validation items (transfer runs: their evaluation items), so they compare like diagnoses.
      if (!COMPARABLE_KINDS.has(r.kind))
        throw new AppError('conflict', `Run ${id} is a ${r.kind} run; only diagnoses and training runs can be compared item by item.`, { run: id });
      return {
        r,
        items: this.items({ id, offset: 0, limit: Number.MAX_SAFE_INTEGER }).items.map((x) => ({
          item: x.item,
          probs: x.probs,
          correct: x.correct,
          modality: x.modality,
          task: x.task,
          split: x.split,
        })),
      };
    };
    const a = load(input.a);
    const b = load(input.b);
    const cfg = a.r.config;
    const ks = 'ks' in cfg ? cfg.ks : undefined;
    const bootstrap = 'bootstrap' in cfg ? cfg.bootstrap : undefined;
    const seed = 'seed' in cfg ? cfg.seed : undefined;
    return compareRuns(a.items, b.items, { ...(ks ? { ks } : {}), bootstrapSamples: input.bootstrap ?? bootstrap, seed: input.seed ?? seed });
  }
}

/**
 * Probe results per task, and pooled per modality and overall (test accuracy weighted by each task's test count,
 * Wilson interval on the pooled correct count), so every scope of the recipe can weigh perception.
 */
export function probeSummaries(report: ProbeReport): {
  overall?: ProbeSummary;
  byModality: Record<string, ProbeSummary>;
  byTask: Record<string, ProbeSummary>;
} {
  const byTask: Record<string, ProbeSummary> = {};
  const pools = new Map<string, Array<{ acc: number; n: number; ref: number | null }>>();
  for (const [task, p] of Object.entries(report.byTask)) {
    if (p.accuracy === null) continue;
    byTask[task] = {
      accuracy: p.accuracy,
      ...(p.accuracyCi ? { accuracyCi: p.accuracyCi } : {}),
      ...(p.referenceAccuracy !== null ? { referenceAccuracy: p.referenceAccuracy } : {}),
    };
    for (const key of [`modality:${p.modality}`, 'overall']) {
      const list = pools.get(key) ?? [];
      list.push({ acc: p.accuracy, n: p.counts.test, ref: p.referenceAccuracy });
      pools.set(key, list);
    }
  }
  const pooled = (list: Array<{ acc: number; n: number; ref: number | null }>): ProbeSummary | undefined => {
    const n = list.reduce((a, x) => a + x.n, 0);
    if (n === 0) return undefined;
    const correct = list.reduce((a, x) => a + x.acc * x.n, 0);
    const refs = list.every((x) => x.ref !== null) ? list.reduce((a, x) => a + (x.ref as number) * x.n, 0) / n : null;
    return { accuracy: correct / n, accuracyCi: wilsonInterval(Math.round(correct), n), ...(refs !== null ? { referenceAccuracy: refs } : {}) };
  };
  const byModality: Record<string, ProbeSummary> = {};
  for (const [key, list] of pools) {
    const summary = pooled(list);
    if (summary && key.startsWith('modality:')) byModality[key.slice('modality:'.length)] = summary;
  }
  const overall = pools.get('overall') ? pooled(pools.get('overall') as Array<{ acc: number; n: number; ref: number | null }>) : undefined;
  return { ...(overall ? { overall } : {}), byModality, byTask };
}
