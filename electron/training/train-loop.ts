// The training worker's loop, shared by the `train` and `transfer` jobs. Pure of SQLite: it reads features and
// checkpoints from the blob store and hands everything else to the host through checkpoint messages.
//
// Determinism: minibatch k is slice (k mod E) of a permutation seeded by (seed, epoch ⌊k / E⌋), E = steps per
// epoch; GRPO sampling draws from the RNG inside the trainer state; so (state at step k, k) fixes the rest of the
// trajectory, and a run resumed from a checkpoint ends on the same bytes as one that never stopped.
// Support guard (GRPO / GRPO-CARE, design.md §6; rules in shared/recipe/support-guard.ts): the baseline is the
// starting model's val Pass@K (step 0) and the margin the larger of the configured floor and the half-width of that
// value's 95% item-bootstrap interval; when Pass@K stays below baseline − margin for `persistence` validations in a
// row, record `support-collapse` and stop — keeping the last state ('stop') or rolling back ('rollback') to the
// checkpoint with the highest val Accuracy@1 among those whose Pass@K held (sharpening kept, collapse undone; step 0
// when none gained: "no update kept"). At a K whose chance level reaches the support target in some task the guard
// is inactive (a `guard` event says so).
// SFT early stopping: `patience` validations without a new best (Pass@K or Accuracy@1) → stop, keep the best.
import type { TrainAlgorithm, TrainConfig } from '../../shared/api/training.ts';
import { defaultLearningRate } from '../../shared/training-defaults.ts';
import { exactPassAtK, top1Correct } from '../../shared/metrics/index.ts';
import { DEFAULT_SUPPORT_TARGET, bootstrapHalfWidth, chanceByTask, checksBelow, guardApplies, guardMargin, guardTrips } from '../../shared/recipe/index.ts';
import { createRng, deriveSeed, shuffled } from '../../shared/random.ts';
import type { CachedFeatures } from '../diagnosis/feature-blob.ts';
import type { NewCacheEntry } from '../diagnosis/score-items.ts';
import {
  DEFAULT_ADAM_CONFIG,
  DEFAULT_GRPO_BETA,
  DEFAULT_GRPO_CARE_CONFIG,
  TrainerScratch,
  adapterItemFromFeatures,
  createAdapter,
  forwardBatch,
  initTrainerState,
  loadAdapterFor,
  parseTrainerState,
  serializeAdapter,
  trainerStateBytes,
  trainerStep,
  wrapAdapter,
  type Adapter,
  type AdapterConfig,
  type AdapterItem,
  type StepMetrics,
  type TrainItem,
  type TrainerConfig,
  type TrainerState,
} from './index.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { TrainWorkItem } from './train-features.ts';

export const TRAINER_STATE_MEDIA_TYPE = 'application/x-medbridge-trainer-state';
export const ADAPTER_MEDIA_TYPE = 'application/x-medbridge-adapter';

export interface StoredBlob {
  hash: string;
  size: number;
}
export interface Best {
  value: number;
  acc1: number;
  passK: number;
  step: number;
  state: StoredBlob;
  adapter: StoredBlob;
}
export type StopReason = 'completed' | 'early-stopping' | 'support-collapse';

/** The support guard as set at step 0: its baseline, margin and whether it judges at this K at all. */
export interface GuardSetting {
  baseline: Best;
  margin: number;
  halfWidth: number;
  applies: boolean;
  /** Highest chance level of Pass@K over the validation tasks. */
  chanceAtK: number;
}

export interface TrainCursor {
  step: number;
  state: StoredBlob | null;
  /** The guard's baseline (the step-0 validation) and margin. */
  guard: GuardSetting | null;
  /** Consecutive validations below baseline − margin. */
  below: number;
  /** Best validation Accuracy@1 among checkpoints whose Pass@K held (≥ baseline − margin): the rollback target. */
  healthyBest: Best | null;
  /** Best early-stopping metric so far and validations since it. */
  esBest: Best | null;
  sinceBest: number;
  finished: boolean;
}

export const INITIAL_CURSOR: TrainCursor = { step: 0, state: null, guard: null, below: 0, healthyBest: null, esBest: null, sinceBest: 0, finished: false };

export interface RunEventOut {
  kind: string;
  step: number | null;
  payload: Record<string, unknown>;
}

/** Per-item probabilities in displayed order, as diagnosis records them. */
export interface ItemProbs {
  item: string;
  split: string;
  task: string;
  modality: string;
  probs: number[];
  correct: number;
}

export interface TrainFinal {
  reason: StopReason;
  /** Trainer-state blob the run ends on (the best checkpoint after a rollback or early stop). */
  checkpoint: StoredBlob;
  adapter: StoredBlob;
  step: number;
  val: ItemProbs[];
  transfer: { before: ItemProbs[]; after: ItemProbs[] } | null;
}

export interface TrainOutput {
  cache: NewCacheEntry[];
  events: RunEventOut[];
  /** Trainer state and adapter at this checkpoint (cancel keeps them). */
  state: StoredBlob | null;
  adapter: StoredBlob | null;
  collapse: Record<string, unknown> | null;
  final: TrainFinal | null;
  provider: unknown;
}

export interface PreparedItems {
  train: TrainItem[];
  val: AdapterItem[];
  valWork: TrainWorkItem[];
  evalItems: AdapterItem[];
  evalWork: TrainWorkItem[];
}

/** Joins worker-loaded features (main presentation then views, in `order`) back into training items. */
export function buildItems(
  work: { train: TrainWorkItem[]; val: TrainWorkItem[]; evalItems: TrainWorkItem[] },
  features: Map<string, CachedFeatures>,
): PreparedItems {
  const f = (imageHash: string, templateHash: string) => features.get(`${imageHash}:${templateHash}`)!;
  const train: TrainItem[] = work.train.map((w) => ({
    ...adapterItemFromFeatures(f(w.main.imageHash, w.main.templateHash)),
    correct: w.correct,
    ...(w.views.length > 0
      ? { views: w.views.map((v) => ({ ...adapterItemFromFeatures(f(v.imageHash, v.templateHash)), originalIndex: v.originalIndex })) }
      : {}),
  }));
  const view = (w: TrainWorkItem) => adapterItemFromFeatures(f(w.main.imageHash, w.main.templateHash));
  return { train, val: work.val.map(view), valWork: work.val, evalItems: work.evalItems.map(view), evalWork: work.evalItems };
}

export function trainerConfigOf(algorithm: TrainAlgorithm, c: TrainConfig): TrainerConfig {
  const adam = { ...DEFAULT_ADAM_CONFIG, learningRate: c.learningRate ?? defaultLearningRate(algorithm), weightDecay: c.weightDecay };
  const maxGradNorm = c.maxGradNorm === 0 ? Infinity : c.maxGradNorm;
  const g = c.grpo;
  const grpo = {
    groupSize: g.groupSize,
    epsilonLow: g.epsilonLow,
    epsilonHigh: g.epsilonHigh,
    advantageScale: g.advantageScale,
    innerIterations: g.innerIterations,
  };
  if (algorithm === 'sft') return { algorithm, adam, maxGradNorm };
  if (algorithm === 'grpo') return { algorithm, adam, maxGradNorm, grpo: { ...grpo, beta: g.beta ?? DEFAULT_GRPO_BETA } };
  return {
    algorithm,
    adam,
    maxGradNorm,
    grpo: {
      ...DEFAULT_GRPO_CARE_CONFIG,
      ...grpo,
      beta: g.beta ?? DEFAULT_GRPO_CARE_CONFIG.beta,
      emaDecay: c.care.emaDecay,
      emaInterval: c.care.emaInterval,
      consistencyBonus: c.care.consistencyBonus,
      consistencyMargin: c.care.consistencyMargin,
      agreement: c.care.agreement,
      sampleAcrossViews: c.care.views > 0,
    },
  };
}

/** Probabilities of every item under `adapter` (null = the base pack) at the adapter temperature. */
export function itemProbs(adapter: Adapter, items: readonly AdapterItem[], work: readonly TrainWorkItem[]): ItemProbs[] {
  const out = forwardBatch(adapter, items);
  return work.map((w, i) => ({
    item: w.item,
    split: w.split,
    task: w.task,
    modality: w.modality,
    correct: w.correct,
    probs: Array.from(out.probs.subarray(out.offsets[i]!, out.offsets[i + 1]!)),
  }));
}

/** Validation Accuracy@1 and exact Pass@K (design.md §3) as shared/metrics defines them, and each item's Pass@K. */
export function validationMetrics(probs: readonly ItemProbs[], k: number): { n: number; acc1: number; pass1: number; passK: number; itemPassK: number[] } {
  let acc = 0;
  let p1 = 0;
  let pk = 0;
  const itemPassK: number[] = [];
  for (const r of probs) {
    acc += top1Correct(r.probs, r.correct);
    p1 += exactPassAtK(r.probs[r.correct]!, 1);
    const v = exactPassAtK(r.probs[r.correct]!, k);
    itemPassK.push(v);
    pk += v;
  }
  const n = Math.max(1, probs.length);
  return { n: probs.length, acc1: acc / n, pass1: p1 / n, passK: pk / n, itemPassK };
}

/** Highest chance level of Pass@K over the tasks of the validation items (each task: mean over its items' option counts). */
export function validationChanceAtK(work: readonly TrainWorkItem[], items: readonly AdapterItem[], k: number): number {
  return Math.max(
    0,
    ...chanceByTask(
      work.map((w, i) => ({ task: w.task, m: items[i]!.baseLogits.length, n: 1 })),
      k,
    ).values(),
  );
}

/** Minibatch of step k: slice of the (seed, epoch)-seeded permutation. */
export class BatchSchedule {
  private epoch = -1;
  private order: number[] = [];
  private readonly perEpoch: number;
  constructor(
    private readonly n: number,
    private readonly batchSize: number,
    private readonly seed: number,
  ) {
    this.perEpoch = Math.max(1, Math.ceil(n / batchSize));
  }
  indices(step: number): number[] {
    const e = Math.floor(step / this.perEpoch);
    if (e !== this.epoch) {
      this.epoch = e;
      this.order = shuffled([...Array(this.n).keys()], createRng(deriveSeed(this.seed, `epoch:${e}`)));
    }
    const pos = step % this.perEpoch;
    return this.order.slice(pos * this.batchSize, (pos + 1) * this.batchSize);
  }
}

export interface LoopContext {
  algorithm: TrainAlgorithm;
  config: TrainConfig;
  seed: number;
  initAdapter: Uint8Array | null;
  items: PreparedItems;
  store: BlobStore;
  cursor: TrainCursor;
  /** Cache entries and provider still to hand to the host with the first checkpoint. */
  pending: { cache: NewCacheEntry[]; provider: unknown };
  cancelled(): boolean;
  checkpoint(cursor: TrainCursor, output: TrainOutput): void;
  progress(step: number, total: number, message: string): void;
  wantTransfer: boolean;
}

function stepPayload(m: StepMetrics): Record<string, unknown> {
  return {
    loss: m.loss,
    accuracy: m.accuracy,
    reward: m.meanReward,
    kl: m.meanKl,
    consistency: m.meanConsistency,
    bonusFraction: m.bonusFraction,
    clipFraction: m.clipFraction,
    gradNorm: m.gradNorm,
  };
}

/**
 * Hands the worker's event loop one turn, so a message from the host (a cancel) is read before the next step. The
 * steps themselves are synchronous: without this the cancel waited in the IPC pipe until the whole loop ended (or the
 * host's grace timer killed the worker ten seconds later, while the step counter kept climbing).
 */
function letHostMessagesIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs (or resumes) the loop to its end or a cancel (seen before the next step); returns the final checkpoint when it finished. */
export async function runTrainingLoop(ctx: LoopContext): Promise<{ final: TrainFinal | null; cursor: TrainCursor }> {
  const { algorithm, config, seed, store, items } = ctx;
  const first = items.train[0] ?? items.val[0];
  if (!first) throw new RangeError('no items to train on');
  const imageDim = first.image.length;
  const textDim = first.optionText.length / first.baseLogits.length;
  const init: Adapter = ctx.initAdapter
    ? loadAdapterFor(ctx.initAdapter, imageDim, textDim)
    : createAdapter(
        { imageDim, textDim, rank: config.adapter.rank, scale: config.adapter.scale, temperature: config.adapter.temperature },
        deriveSeed(seed, 'adapter'),
      );
  // An init run's adapter keeps its own shape; the run's temperature still applies.
  const adapterConfig: AdapterConfig = { ...init.config, temperature: config.adapter.temperature };
  const trainer = trainerConfigOf(algorithm, config);
  const rl = algorithm !== 'sft';
  const K = config.passK;

  const putBlob = (bytes: Uint8Array): StoredBlob => {
    const p = store.put(bytes);
    return { hash: p.hash, size: p.size };
  };
  const saveState = (s: TrainerState) => putBlob(trainerStateBytes(s));
  const saveAdapter = (s: TrainerState) => putBlob(serializeAdapter(wrapAdapter(adapterConfig, s.params)));
  const policy = (s: TrainerState) => wrapAdapter(adapterConfig, s.params);

  let cursor: TrainCursor = ctx.cursor;
  let state: TrainerState = cursor.state
    ? parseTrainerState(store.get(cursor.state.hash))
    : initTrainerState(init.params.slice(), deriveSeed(seed, 'trainer'), rl);
  const schedule = new BatchSchedule(items.train.length, config.batchSize, seed);
  const scratch = new TrainerScratch(adapterConfig, state.params);
  let events: RunEventOut[] = [];
  // Set from inside the closures below; held in an object so the type checker does not take it for the null it starts as.
  const stop: { current: { reason: StopReason; collapse: Record<string, unknown> | null } | null } = { current: null };

  const evaluate = (): ReturnType<typeof validationMetrics> => validationMetrics(itemProbs(policy(state), items.val, items.valWork), K);
  const consider = (m: ReturnType<typeof validationMetrics>, st: StoredBlob, ad: StoredBlob) => {
    const step = state.step;
    events.push({ kind: 'eval', step, payload: { n: m.n, acc1: m.acc1, pass1: m.pass1, passAtK: { [String(K)]: m.passK }, k: K, gap: m.passK - m.acc1 } });
    const here = (value: number): Best => ({ value, acc1: m.acc1, passK: m.passK, step, state: st, adapter: ad });
    let collapse: Record<string, unknown> | null = null;
    if (!cursor.guard) {
      // the first validation (step 0) sets the guard: baseline, bootstrap margin, whether this K can be judged
      const halfWidth = bootstrapHalfWidth(m.itemPassK, config.bootstrap, createRng(deriveSeed(seed, 'guard-bootstrap')));
      const chanceAtK = validationChanceAtK(items.valWork, items.val, K);
      const guard: GuardSetting = {
        baseline: here(m.passK),
        margin: guardMargin(config.guard.margin, halfWidth),
        halfWidth,
        applies: guardApplies([chanceAtK], DEFAULT_SUPPORT_TARGET),
        chanceAtK,
      };
      cursor = { ...cursor, guard };
      if (rl) {
        events.push({
          kind: 'guard',
          step,
          payload: {
            enabled: config.guard.enabled,
            applies: guard.applies,
            k: K,
            baselinePassAtK: m.passK,
            margin: guard.margin,
            marginFloor: config.guard.margin,
            bootstrapHalfWidth: halfWidth,
            persistence: config.guard.persistence,
            chanceAtK,
            supportTarget: DEFAULT_SUPPORT_TARGET,
          },
        });
      }
    }
    const guard = cursor.guard!;
    const held = m.passK >= guard.baseline.passK - guard.margin;
    if (held && (!cursor.healthyBest || m.acc1 > cursor.healthyBest.acc1)) cursor = { ...cursor, healthyBest: here(m.acc1) };
    cursor = { ...cursor, below: checksBelow(cursor.below ?? 0, m.passK, guard.baseline.passK, guard.margin) };
    if (rl && config.guard.enabled && guard.applies && guardTrips(cursor.below, config.guard.persistence)) {
      const back = cursor.healthyBest ?? guard.baseline;
      collapse = {
        k: K,
        baselinePassAtK: guard.baseline.passK,
        baselineStep: guard.baseline.step,
        passAtK: m.passK,
        acc1: m.acc1,
        margin: guard.margin,
        bootstrapHalfWidth: guard.halfWidth,
        checksBelow: cursor.below,
        action: config.guard.onCollapse,
        drop: guard.baseline.passK - m.passK,
        ...(config.guard.onCollapse === 'rollback' ? { rollbackToStep: back.step, rollbackAcc1: back.acc1, rollbackPassAtK: back.passK } : {}),
      };
      events.push({ kind: 'support-collapse', step, payload: collapse });
      stop.current = { reason: 'support-collapse', collapse };
    }
    if (!rl && config.earlyStopping.enabled) {
      const v = config.earlyStopping.metric === 'acc1' ? m.acc1 : m.passK;
      if (!cursor.esBest || v > cursor.esBest.value) cursor = { ...cursor, esBest: here(v), sinceBest: 0 };
      else {
        cursor = { ...cursor, sinceBest: cursor.sinceBest + 1 };
        if (cursor.sinceBest >= config.earlyStopping.patience && !stop.current) {
          stop.current = { reason: 'early-stopping', collapse: null };
          events.push({
            kind: 'early-stopping',
            step,
            payload: {
              metric: config.earlyStopping.metric,
              best: cursor.esBest?.value ?? null,
              bestStep: cursor.esBest?.step ?? null,
              patience: config.earlyStopping.patience,
            },
          });
        }
      }
    }
    return collapse;
  };
  const flush = (collapse: Record<string, unknown> | null, st: StoredBlob, ad: StoredBlob, final: TrainFinal | null) => {
    cursor = { ...cursor, step: state.step, state: st, finished: final !== null };
    ctx.checkpoint(cursor, { cache: ctx.pending.cache, events, state: st, adapter: ad, collapse, final, provider: ctx.pending.provider });
    ctx.pending = { cache: [], provider: null };
    events = [];
  };

  if (cursor.state === null) {
    const st = saveState(state);
    const ad = saveAdapter(state);
    events.push({
      kind: 'start',
      step: 0,
      payload: {
        algorithm,
        trainItems: items.train.length,
        valItems: items.val.length,
        adapter: { ...adapterConfig },
        trainer: { ...trainer, maxGradNorm: String(trainer.maxGradNorm) },
      },
    });
    flush(consider(evaluate(), st, ad), st, ad, null);
  }

  while (!stop.current && state.step < config.steps) {
    await letHostMessagesIn();
    if (ctx.cancelled()) return { final: null, cursor };
    const batch = schedule.indices(state.step).map((i) => items.train[i]!);
    const r = trainerStep(adapterConfig, state, batch, trainer, scratch);
    state = r.state;
    events.push({ kind: 'train', step: state.step, payload: stepPayload(r.metrics) });
    if (state.step % config.evalEvery === 0 || state.step === config.steps) {
      const st = saveState(state);
      const ad = saveAdapter(state);
      const collapse = consider(evaluate(), st, ad);
      flush(collapse, st, ad, null);
      ctx.progress(state.step, config.steps, `Step ${state.step} of ${config.steps}`);
    }
  }

  // Where the run ends: the best checkpoint after a rollback or SFT early stopping / end, else the last state.
  const reason: StopReason = stop.current?.reason ?? 'completed';
  const useBest =
    reason === 'support-collapse'
      ? config.guard.onCollapse === 'rollback'
        ? (cursor.healthyBest ?? cursor.guard?.baseline ?? null)
        : null
      : !rl && config.earlyStopping.enabled
        ? cursor.esBest
        : null;
  const endState = useBest ? parseTrainerState(store.get(useBest.state.hash)) : state;
  const checkpoint = useBest ? useBest.state : saveState(state);
  const adapter = useBest ? useBest.adapter : saveAdapter(state);
  const endPolicy = policy(endState);
  const val = itemProbs(endPolicy, items.val, items.valWork);
  let transfer: TrainFinal['transfer'] = null;
  if (ctx.wantTransfer) {
    const before = wrapAdapter(adapterConfig, init.params);
    transfer = { before: itemProbs(before, items.evalItems, items.evalWork), after: itemProbs(endPolicy, items.evalItems, items.evalWork) };
  }
  const final: TrainFinal = { reason, checkpoint, adapter, step: endState.step, val, transfer };
  // kept step 0 = the run changed nothing (rolled back or early-stopped to its start): not a measured zero effect
  events.push({
    kind: 'final',
    step: endState.step,
    payload: {
      reason,
      checkpoint: checkpoint.hash,
      adapter: adapter.hash,
      endedAtStep: state.step,
      keptStep: endState.step,
      noUpdateKept: endState.step === 0,
    },
  });
  state = endState;
  flush(null, checkpoint, adapter, final);
  return { final, cursor };
}
