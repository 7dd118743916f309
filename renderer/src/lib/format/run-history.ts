// Run history of the Bridge and Sharpen steps: which training runs belong to the step (its kinds, the study's model and
// version), newest first; one row per run (when, method, seed, label budget, steps, final validation Acc@1 and Pass@K,
// outcome); the runs chosen in the address (`run=A&compare=B`); and the side-by-side rows of a two-run comparison with
// the paired deltas of `runs:compare`. Pure: no DOM, no state; unit-tested in tests/unit/renderer/run-history.test.ts.
import type { RunDetail, RunSummary } from '../../../../shared/api/runs.ts';
import type { RunEvent } from '../../../../shared/api/training.ts';
import type { PairedComparison } from '../../../../shared/metrics/report-schema.ts';
import { TRAIN_ALGORITHM_WORD, trainAlgorithmsOfStep, type TrainStep } from '../../../../shared/training-algorithms.ts';
import { ci, deltaText, headlineK, initOf, isMetricsReport, pct, pp, trainingCurves, type ChartSeries, type Interval, type TrainingCurves } from './study.ts';

export type { TrainStep };

/** The run kinds each step trains (shared/training-algorithms.ts): SFT bridges, GRPO / GRPO-CARE sharpen. */
export const STEP_KINDS: Readonly<Record<TrainStep, readonly string[]>> = {
  bridge: trainAlgorithmsOfStep('bridge'),
  sharpen: trainAlgorithmsOfStep('sharpen'),
};
/** The word for each training run kind. */
export const METHOD_LABEL: Readonly<Record<string, string>> = TRAIN_ALGORITHM_WORD;
/** At most this many runs are chosen at once: one is shown, two are compared. */
export const MAX_CHOSEN = 2;
/** Longest run id accepted from an address (run ids are `run-` + a UUID). */
const MAX_ID_LENGTH = 100;

type Scoped = Pick<RunSummary, 'id' | 'kind' | 'pack' | 'version' | 'createdAt'>;

/**
 * The step's runs of this model and version, newest first (by start time; runs started in the same millisecond keep
 * the order given, which runs:list makes newest first). The study's own run is added when the list does not hold it
 * yet (it was just started and the list is reloaded only when a job ends).
 */
export function stepRuns<R extends Scoped>(runs: readonly R[], step: TrainStep, scope: { model: string | null; version: string | null }, own?: R): R[] {
  const all = own && !runs.some((r) => r.id === own.id) ? [own, ...runs] : [...runs];
  const kinds = STEP_KINDS[step];
  return all
    .filter((r) => kinds.includes(r.kind) && r.pack === scope.model && r.version === scope.version)
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (x.r.createdAt < y.r.createdAt ? 1 : x.r.createdAt > y.r.createdAt ? -1 : x.i - y.i))
    .map((x) => x.r);
}

/** The training settings a run was started with (its TrainParams.config), as far as the rows need them. */
interface TrainSettings {
  steps: number | null;
  passK: number | null;
  labelBudget: number | null;
}

export function trainSettings(run: Pick<RunDetail, 'config'> | undefined): TrainSettings {
  const c = (run?.config.config ?? {}) as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { steps: n(c.steps), passK: n(c.passK), labelBudget: n(c.labelBudget) };
}

/** The K a run's final Pass@K is read at: the K its guard watched when the report holds it, else the report's headline K. */
export function finalK(run: RunDetail | undefined): number | null {
  if (!run || !isMetricsReport(run.metrics)) return trainSettings(run).passK;
  const k = trainSettings(run).passK;
  return k !== null && run.metrics.overall.passAtK[String(k)] !== undefined ? k : headlineK(run.metrics.overall);
}

/** The final validation numbers of a finished run (its stored report), or nulls. */
export function finalMetrics(run: RunDetail | undefined): {
  k: number | null;
  acc1: number | null;
  acc1Ci: Interval;
  passAtK: number | null;
  passAtKCi: Interval;
  n: number | null;
} {
  const k = finalK(run);
  if (!run || !isMetricsReport(run.metrics)) return { k, acc1: null, acc1Ci: null, passAtK: null, passAtKCi: null, n: null };
  const o = run.metrics.overall;
  const key = String(k);
  return { k, acc1: o.acc1, acc1Ci: o.acc1Ci, passAtK: o.passAtK[key] ?? null, passAtKCi: o.passAtKCi[key] ?? null, n: o.n };
}

const SHORT_STOP: Readonly<Record<string, string>> = {
  completed: 'Ran all steps',
  'early-stopping': 'Stopped early',
  'support-collapse': 'Guard stopped it',
};

/** How a run ended, in a few words: its state, and for a finished run why it stopped and which step it kept. */
export function outcomeText(state: RunSummary['state'], final: TrainingCurves['final']): string {
  if (state === 'running') return 'Running';
  if (state !== 'done') return state === 'interrupted' ? 'Interrupted (resumable)' : state === 'cancelled' ? 'Cancelled (resumable)' : 'Failed';
  if (!final) return 'Done';
  const why = SHORT_STOP[final.reason] ?? final.reason;
  if (final.noUpdateKept) return `${why}; no update kept`;
  return final.keptStep !== null ? `${why}; kept step ${final.keptStep}` : why;
}

export interface HistoryRow {
  id: string;
  kind: string;
  method: string;
  /** A sharpening run's starting run (null = the base pack). */
  init: string | null;
  createdAt: string;
  seed: number;
  state: RunSummary['state'];
  steps: number | null;
  /** Labelled train items per task (null = every train item). */
  labelBudget: number | null;
  k: number | null;
  acc1: number | null;
  passAtK: number | null;
  n: number | null;
  outcome: string;
  /** The run the study uses for this step. */
  study: boolean;
}

/** One row of the history from a run's summary, its details (config, final report) and events (how it stopped). */
export function historyRow(summary: RunSummary, detail: RunDetail | undefined, events: readonly RunEvent[] | undefined, studyRun: string | null): HistoryRow {
  const settings = trainSettings(detail);
  const m = finalMetrics(detail);
  const state = detail?.state ?? summary.state;
  return {
    id: summary.id,
    kind: summary.kind,
    method: METHOD_LABEL[summary.kind] ?? summary.kind,
    init: detail ? initOf(detail) : null,
    createdAt: summary.createdAt,
    seed: summary.seed,
    state,
    steps: settings.steps,
    labelBudget: settings.labelBudget,
    k: m.k,
    acc1: m.acc1,
    passAtK: m.passAtK,
    n: m.n,
    outcome: outcomeText(state, trainingCurves(events ?? [], null).final),
    study: summary.id === studyRun,
  };
}

/** "32 per task" / "all"; a sharpening run trains on the whole train split unless a budget was set. */
export function budgetText(labelBudget: number | null): string {
  return labelBudget === null ? 'all' : `${labelBudget} per task`;
}

// ---- the runs chosen, in the address ------------------------------------------------------------------------------

const wellFormed = (v: string | null): v is string => v !== null && v.length > 0 && v.length <= MAX_ID_LENGTH && /^[A-Za-z0-9._-]+$/.test(v);

/** The runs an address chooses (`run=A`, `run=A&compare=B`): well-formed ids only, each once. */
export function choiceFromQuery(query: string): string[] {
  const q = new URLSearchParams(query);
  const out: string[] = [];
  for (const key of ['run', 'compare']) {
    const v = q.get(key);
    if (wellFormed(v) && !out.includes(v)) out.push(v);
  }
  return out;
}

/** The query that reopens a choice ('' for none). */
export function choiceQuery(chosen: readonly string[]): string {
  const q = new URLSearchParams();
  if (chosen[0]) q.set('run', chosen[0]);
  if (chosen[1]) q.set('compare', chosen[1]);
  return q.toString();
}

/** Ticking a run adds it (the earliest chosen makes way when two are chosen already); ticking it again removes it. */
export function toggleChoice(chosen: readonly string[], id: string): string[] {
  if (chosen.includes(id)) return chosen.filter((x) => x !== id);
  return [...chosen, id].slice(-MAX_CHOSEN);
}

/** The chosen ids that name a run of the list (an address may name a run of another version, or none at all). */
export function validChoice(chosen: readonly string[], rows: readonly { id: string }[]): string[] {
  return chosen.filter((id) => rows.some((r) => r.id === id)).slice(0, MAX_CHOSEN);
}

/** Two chosen runs in compare order: A the earlier started, B the later, so a delta is later − earlier. */
export function comparePair<R extends { id: string; createdAt: string }>(chosen: readonly string[], rows: readonly R[]): { a: R; b: R } | null {
  const picked = validChoice(chosen, rows).map((id) => rows.find((r) => r.id === id) as R);
  if (picked.length !== 2) return null;
  const [x, y] = picked as [R, R];
  // rows are newest first: the one further down the list started earlier.
  return rows.indexOf(x) > rows.indexOf(y) ? { a: x, b: y } : { a: y, b: x };
}

/** "Run A (SFT, seed 1)": a run's name in the compare view. */
export function runName(letter: 'A' | 'B', row: Pick<HistoryRow, 'method' | 'seed'>): string {
  return `Run ${letter} (${row.method}, seed ${row.seed})`;
}

// ---- the compare view ----------------------------------------------------------------------------------------------

/** The K the comparison's Pass@K is shown at: the K both runs' guards watched when the comparison holds it, else its headline K. */
export function compareK(a: RunDetail, b: RunDetail, cmp: PairedComparison): number {
  const ka = trainSettings(a).passK;
  const kb = trainSettings(b).passK;
  if (ka !== null && ka === kb && cmp.overall.deltaPassAtK[String(ka)] !== undefined) return ka;
  return headlineK({ passAtK: cmp.overall.deltaPassAtK });
}

export interface SideBySideRow {
  metric: string;
  label: string;
  a: string;
  b: string;
  /** Paired B − A with its bootstrap interval, for the rows that have one. */
  delta: { value: string; interval: string; raw: number | null; ci: Interval } | null;
}

/** The two runs' final validation numbers and settings side by side, with the paired deltas of `cmp` (B − A). */
export function sideBySideRows(a: RunDetail, b: RunDetail, ra: HistoryRow, rb: HistoryRow, cmp: PairedComparison, k: number): SideBySideRow[] {
  const key = String(k);
  const metric = (r: RunDetail) => (isMetricsReport(r.metrics) ? r.metrics.overall : null);
  const ma = metric(a);
  const mb = metric(b);
  const withCi = (v: number | null | undefined, interval: Interval) => `${pct(v)} ${ci(interval)}`.trim();
  const o = cmp.overall;
  return [
    {
      metric: 'acc1',
      label: 'Val Acc@1 [Wilson 95%]',
      a: withCi(ma?.acc1, ma?.acc1Ci),
      b: withCi(mb?.acc1, mb?.acc1Ci),
      delta: { ...deltaText(o, 'acc1'), ci: o.deltaAcc1Ci },
    },
    {
      metric: 'passk',
      label: `Val Pass@${k} [bootstrap 95%]`,
      a: withCi(ma?.passAtK[key], ma?.passAtKCi[key]),
      b: withCi(mb?.passAtK[key], mb?.passAtKCi[key]),
      delta: { ...deltaText(o, k), ci: o.deltaPassAtKCi[key] ?? null },
    },
    { metric: 'gap', label: `Support gap (Pass@${k} − Acc@1)`, a: pp(ma?.supportGapAtK[key]), b: pp(mb?.supportGapAtK[key]), delta: null },
    { metric: 'n', label: 'Validation items', a: String(ma?.n ?? '—'), b: String(mb?.n ?? '—'), delta: null },
    { metric: 'seed', label: 'Seed', a: String(ra.seed), b: String(rb.seed), delta: null },
    { metric: 'steps', label: 'Steps', a: String(ra.steps ?? '—'), b: String(rb.steps ?? '—'), delta: null },
    { metric: 'budget', label: 'Labelled items', a: budgetText(ra.labelBudget), b: budgetText(rb.labelBudget), delta: null },
    { metric: 'outcome', label: 'Outcome', a: ra.outcome, b: rb.outcome, delta: null },
  ];
}

/** Step ticks of a training-curve axis from 0 to xMax: about six, on multiples of 5. */
export function stepTicks(xMax: number): number[] {
  const step = Math.max(1, Math.ceil(xMax / 6 / 5) * 5);
  const out: number[] = [];
  for (let x = 0; x <= xMax; x += step) out.push(x);
  return out;
}

/** Both runs' validation curves on one chart: Acc@1 and Pass@K of A in the first two tones, of B in the other two. */
export function compareValidationSeries(a: TrainingCurves, b: TrainingCurves): ChartSeries[] {
  return [
    { name: `A val Acc@1`, tone: 'a', points: a.valAcc1 },
    { name: `A val Pass@${a.k}`, tone: 'b', points: a.valPassAtK },
    { name: `B val Acc@1`, tone: 'c', points: b.valAcc1 },
    { name: `B val Pass@${b.k}`, tone: 'd', points: b.valPassAtK },
  ];
}

/** Both runs' objective per step: the loss for SFT, the mean reward for GRPO. */
export function compareObjectiveSeries(a: TrainingCurves, b: TrainingCurves, grpo: boolean): ChartSeries[] {
  const pick = (c: TrainingCurves) => (grpo ? c.reward : c.loss);
  const what = grpo ? 'mean reward' : 'loss';
  return [
    { name: `A ${what}`, tone: 'a', points: pick(a) },
    { name: `B ${what}`, tone: 'c', points: pick(b) },
  ];
}
