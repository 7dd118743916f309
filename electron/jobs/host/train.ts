// The host half of this job kind (its worker half: electron/jobs/worker/train.ts).
// `train` and `transfer` jobs. Host: creates the run (pack hash, version, init run, config, seed, environment),
// hands the worker the version's train/val items (options in display order, GRPO-CARE permutations, feature-cache
// hits), and commits each checkpoint — new cache rows, run events (loss, reward, KL, consistency, val Accuracy@1 /
// Pass@K), the trainer-state and adapter blobs (runs.adapter_hash follows the last checkpoint, so a cancelled run
// keeps it) — with the cursor in one transaction; a `support-collapse` is also an audit entry. On the final
// checkpoint it stores the validation items and the metrics report (or the transfer matrix).
// Worker: electron/jobs/worker/train.ts, with the loop in electron/training/train-loop.ts.
import { TrainParams, TransferParams, type TransferCell, type TransferRegime, type TransferReport } from '../../../shared/api/training.ts';
import { AppError } from '../../../shared/errors.ts';
import { selectWithinBudget } from '../../../shared/recipe/label-budget.ts';
import { compareRuns, computeMetricsReport } from '../../../shared/metrics/index.ts';
import { runIdForJob } from '../../../shared/run-ids.ts';
import { refuseVisionOnly } from '../../models/open-model.ts';
import { runEnvironment } from '../../environment/run-environment.ts';
import { versionWorkItems } from '../../diagnosis/version-work.ts';
import { featureCacheLookup, insertCacheEntries } from '../../storage/repositories/feature-cache.ts';
import { insertBlobIfAbsent } from '../../storage/repositories/blobs.ts';
import { appendRunEvent, latestFinalChoice } from '../../storage/repositories/run-events.ts';
import { deleteRunItems, insertRunItems } from '../../storage/repositories/run-items.ts';
import { jobKindAndParams } from '../../storage/repositories/run-lookups.ts';
import {
  executionProviderOf,
  finishRun,
  insertTrainingRun,
  recordExecutionProvider,
  runIdOfJob,
  runMetrics,
  setAdapterHash,
  setRunMetrics,
} from '../../storage/repositories/runs.ts';
import type { ReadDb, WriteDb } from '../../storage/sql-handles.ts';
import type { Workspace } from '../../storage/workspace.ts';
import type { JobKindHandler } from '../job-kind.ts';
import { CACHE_ONLY_PROVIDER } from './diagnose.ts';
import { initAdapterHash } from './adapter-run.ts';
import { requirePack, requireVersion } from './run-prerequisites.ts';
import { inSubset, permutedViews, toTrainWork } from '../../training/train-features.ts';
import { ADAPTER_MEDIA_TYPE, TRAINER_STATE_MEDIA_TYPE, type ItemProbs, type StoredBlob, type TrainOutput } from '../../training/train-loop.ts';
import type { Input } from '../worker/train.ts';

function storedParams(db: ReadDb, jobId: string): TransferParams | TrainParams {
  const job = jobKindAndParams(db, jobId);
  return job.kind === 'transfer' ? TransferParams.parse(job.params) : TrainParams.parse(job.params);
}

function workItems(ws: Workspace, p: TrainParams | TransferParams, withCache: boolean) {
  const cached = withCache ? featureCacheLookup(ws.read, p.pack) : () => null;
  const subset = 'train' in p ? p.train : p.config.subset;
  const { items } = versionWorkItems(ws, p.version, 'all', cached);
  const views = p.algorithm === 'grpo-care' ? p.config.care.views : 0;
  const trainSplit = items.filter((it) => it.split === 'train' && inSubset(it, subset));
  const budget = p.config.labelBudget;
  const labelled =
    budget === undefined
      ? null
      : selectWithinBudget(
          trainSplit.map((it) => ({ item: it.item, task: it.task, answer: it.options[it.correct] ?? '' })),
          budget,
          p.seed,
        );
  const train = trainSplit
    .filter((it) => !labelled || labelled.has(it.item))
    .map((it) => toTrainWork(it, permutedViews(it, views, p.seed, cached, p.config.care.augment)));
  const val = items.filter((it) => it.split === 'val' && inSubset(it, subset)).map((it) => toTrainWork(it, []));
  const evalSplit = 'evalSplit' in p ? p.evalSplit : null;
  const evalItems = evalSplit ? items.filter((it) => evalSplit === 'all' || it.split === evalSplit).map((it) => toTrainWork(it, [])) : [];
  return { train, val, evalItems };
}

function recordBlob(tx: WriteDb, b: StoredBlob, mediaType: string): void {
  insertBlobIfAbsent(tx, { hash: b.hash, size: b.size, mediaType, createdAt: new Date().toISOString() });
}

/** The run's items become those of its final checkpoint. */
function replaceRunItems(tx: WriteDb, run: string, rows: readonly ItemProbs[]): void {
  deleteRunItems(tx, run);
  insertRunItems(tx, run, rows);
}

function metricKs(k: number): number[] {
  return [...new Set([1, 2, 4, 8, 16, k].filter((x) => x <= Math.max(k, 16)))].sort((a, b) => a - b);
}

/**
 * The transfer matrix row: per regime, base/init vs trained on the same items, Δ with paired bootstrap intervals;
 * `keptStep` 0 marks a run that kept no update (its cells then compare the start with itself).
 */
export function transferReport(p: TransferParams, before: ItemProbs[], after: ItemProbs[], keptStep: number): TransferReport {
  const trainTasks = new Set(after.filter((r) => inSubset(r, p.train)).map((r) => r.task));
  const trainModalities = new Set(after.filter((r) => inSubset(r, p.train)).map((r) => r.modality));
  const regimeOf = (r: ItemProbs): TransferRegime =>
    inSubset(r, p.train) ? 'in-domain' : trainModalities.has(r.modality) ? 'within-modality' : 'cross-modality';
  const K = p.config.passK;
  const cells: TransferCell[] = [];
  const missing: TransferRegime[] = [];
  for (const regime of ['in-domain', 'within-modality', 'cross-modality'] as const) {
    const a = before.filter((r) => regimeOf(r) === regime);
    const b = after.filter((r) => regimeOf(r) === regime);
    if (a.length === 0) {
      missing.push(regime);
      continue;
    }
    const cmp = compareRuns(a, b, { ks: [1, K], bootstrapSamples: p.config.bootstrap, seed: p.seed });
    const o = cmp.overall;
    cells.push({
      regime,
      tasks: [...new Set(a.map((r) => r.task))].sort(),
      modalities: [...new Set(a.map((r) => r.modality))].sort(),
      n: o.n,
      k: K,
      before: { acc1: o.acc1A, passAtK: o.passAtKA[String(K)] ?? 0 },
      after: { acc1: o.acc1B, passAtK: o.passAtKB[String(K)] ?? 0 },
      deltaAcc1: o.deltaAcc1,
      deltaAcc1Ci: o.deltaAcc1Ci,
      deltaPassAtK: o.deltaPassAtK[String(K)] ?? 0,
      deltaPassAtKCi: o.deltaPassAtKCi[String(K)] ?? null,
    });
  }
  void trainTasks;
  return { kind: 'transfer', train: p.train, init: p.init, algorithm: p.algorithm, k: K, cells, missing, keptStep, noUpdateKept: keptStep === 0 };
}

function makeHandler<P extends TrainParams | TransferParams>(
  kind: 'train' | 'transfer',
  schema: typeof TrainParams | typeof TransferParams,
): JobKindHandler<P> {
  return {
    kind,
    params: schema as unknown as JobKindHandler<P>['params'],
    create(ws, jobId, params, tx) {
      refuseVisionOnly(requirePack(tx, params.pack), kind === 'transfer' ? 'transfer training' : 'training');
      requireVersion(tx, params.version);
      initAdapterHash(tx, params.init, params.pack);
      const { train, val, evalItems } = workItems(ws, params, false);
      if (train.length === 0)
        throw new AppError(
          'train/no-items',
          `Dataset version ${params.version} has no multiple-choice items with an image in its train split${kind === 'transfer' ? ' for the chosen training subset' : ''}; pick another version or subset.`,
          { version: params.version },
        );
      if (val.length === 0)
        throw new AppError(
          'train/no-validation',
          `Dataset version ${params.version} has no validation items${kind === 'transfer' ? ' in the chosen training subset' : ''}; the support guard and early stopping need a val split. Re-balance with a val share.`,
          { version: params.version },
        );
      const run = runIdForJob(jobId);
      const runKind = kind === 'transfer' ? 'transfer' : params.algorithm;
      insertTrainingRun(tx, { id: run, kind: runKind, config: params, jobId, environment: runEnvironment(), createdAt: new Date().toISOString() });
      appendRunEvent(tx, run, 'items', { train: train.length, val: val.length, eval: evalItems.length, views: train.reduce((s, w) => s + w.views.length, 0) });
      return { run, train: train.length, val: val.length };
    },
    prepareInput(ws, _jobId, params): Input {
      const pack = requirePack(ws.read, params.pack);
      return {
        packId: pack.id,
        packKind: pack.kind,
        packDir: pack.path,
        initAdapter: initAdapterHash(ws.read, params.init, params.pack),
        ...workItems(ws, params, true),
      };
    },
    applyCheckpoint(ws, ctx, raw, tx) {
      const out = raw as TrainOutput;
      const run = runIdOfJob(tx, ctx.jobId);
      const params = storedParams(tx, ctx.jobId);
      insertCacheEntries(tx, params.pack, out.cache);
      if (out.provider) recordExecutionProvider(tx, run, out.provider);
      for (const e of out.events) appendRunEvent(tx, run, e.kind, { ...e.payload, attempt: ctx.attempt }, e.step);
      if (out.state) {
        recordBlob(tx, out.state, TRAINER_STATE_MEDIA_TYPE);
        appendRunEvent(tx, run, 'checkpoint', { state: out.state.hash, adapter: out.adapter?.hash ?? null }, out.final?.step ?? null);
      }
      if (out.adapter) {
        recordBlob(tx, out.adapter, ADAPTER_MEDIA_TYPE);
        setAdapterHash(tx, run, out.adapter.hash);
      }
      if (out.collapse) ws.audit.append(tx, { actor: 'medbridge', action: 'training:support-collapse', subject: run, payload: out.collapse });
      if (out.final) {
        const f = out.final;
        if (kind === 'transfer' && f.transfer) {
          replaceRunItems(tx, run, f.transfer.after);
          setRunMetrics(tx, run, transferReport(params as TransferParams, f.transfer.before, f.transfer.after, f.step));
        } else {
          replaceRunItems(tx, run, f.val);
          const report = computeMetricsReport(f.val, { ks: metricKs(params.config.passK), bootstrapSamples: params.config.bootstrap, seed: params.seed });
          setRunMetrics(tx, run, report);
        }
      }
    },
    summarise(_ws, jobId, _workerResult, tx) {
      const run = runIdOfJob(tx, jobId);
      const params = storedParams(tx, jobId);
      const f = latestFinalChoice(tx, run);
      finishRun(tx, run, new Date().toISOString());
      if (!executionProviderOf(tx, run)) recordExecutionProvider(tx, run, CACHE_ONLY_PROVIDER);
      const metrics = runMetrics(tx, run);
      // the final checkpoint stores the metrics; a run that finished without one is an internal error
      if (!metrics) throw new AppError('internal', `Training run ${run} finished without metrics.`, { run });
      const overall = 'overall' in metrics ? metrics.overall : undefined;
      return {
        run,
        checkpoint: f?.checkpoint ?? null,
        adapter: f?.adapter ?? null,
        stopReason: f?.reason ?? null,
        keptStep: f?.keptStep ?? null,
        k: params.config.passK,
        ...(overall ? { acc1: overall.acc1 } : {}),
      };
    },
  };
}

export const trainHandler = makeHandler<TrainParams>('train', TrainParams);

export const transferHandler = makeHandler<TransferParams>('transfer', TransferParams);
