// Pure helpers for the Diagnose, Bridge, Sharpen and Report steps: numbers as people read them, the chart series
// made from stored reports and run events, and "where the study stands". No DOM, no state; unit-tested in
// tests/unit/renderer/study-format.test.ts. Types come from the contract; default values come from shared/ files that
// do not import zod, and the few defaults that live only beside a zod schema are mirrored here so the renderer bundle
// does not pull zod in — a unit test keeps them equal to shared/.
import type { RunDetail, RunSummary, StoredRecommendation } from '../../../../shared/api/runs.ts';
import type { RunEvent, TrainAlgorithm } from '../../../../shared/api/training.ts';
import { DEFAULT_RUN_SEED } from '../../../../shared/api/run-seed.ts';
import { DEFAULT_PASS_AT_K } from '../../../../shared/metrics/constants.ts';
import type { GroupMetrics, MetricsReport, PairedGroup } from '../../../../shared/metrics/report-schema.ts';
import type { RecipeDecisionKind, RecipeDecision } from '../../../../shared/recipe/decision.ts';
import { DEFAULT_CONSISTENCY_BONUS, DEFAULT_GROUP_SIZE, defaultBeta } from '../../../../shared/recipe/grpo-defaults.ts';
import { DEFAULT_BRIDGE_LABEL_BUDGET } from '../../../../shared/recipe/label-budget.ts';
import type { RecipeThresholds } from '../../../../shared/recipe/thresholds.ts';
import {
  DEFAULT_EVAL_EVERY,
  DEFAULT_GUARD_K,
  DEFAULT_GUARD_MARGIN,
  DEFAULT_TRAIN_BATCH,
  DEFAULT_TRAIN_STEPS,
  defaultLearningRate,
} from '../../../../shared/training-defaults.ts';

/** shared/metrics/constants.ts DEFAULT_PASS_AT_K. */
export const DEFAULT_KS: readonly number[] = DEFAULT_PASS_AT_K;
/** shared/recipe/thresholds.ts DEFAULT_RECIPE_K and DEFAULT_RECIPE_THRESHOLDS (mirrored: thresholds.ts imports zod). */
export const DEFAULT_RECIPE_K = 8;
/** DEFAULT_GUARD_K: the guard's K before a diagnosis says which K is informative; DEFAULT_GUARD_MARGIN: the guard's smallest margin (the bootstrap half-width may widen it); DEFAULT_BRIDGE_LABEL_BUDGET: labelled train items per task the wizard bridges on. */
export { DEFAULT_BRIDGE_LABEL_BUDGET, DEFAULT_GUARD_K, DEFAULT_GUARD_MARGIN };
export const DEFAULT_THRESHOLDS: RecipeThresholds = { perceptionMargin: 0.1, supportTarget: 0.8, sharpenGap: 0.1 };

export type Interval = readonly [number, number] | null | undefined;

/** 0.6071 → "60.7%"; null → "—". */
export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

/** A signed difference in percentage points: +12.3 pp. */
export function pp(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = (Math.abs(v) < 0.5 * 10 ** -(digits + 2) ? 0 : v * 100).toFixed(digits);
  return `${v > 0 && s !== (0).toFixed(digits) ? '+' : ''}${s} pp`;
}

/** "[42.4%, 76.4%]" or "" when there is no interval. */
export function ci(interval: Interval, unit: 'pct' | 'pp' = 'pct'): string {
  if (!interval) return '';
  const f = unit === 'pct' ? (x: number) => pct(x) : (x: number) => pp(x);
  return `[${f(interval[0])}, ${f(interval[1])}]`;
}

/** Three decimals for calibration numbers (ECE, Brier, entropy). */
export function num3(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3);
}

export const DECISION_LABEL: Record<RecipeDecisionKind, string> = {
  'bridge-sft': 'Bridge with SFT',
  'sharpen-rl': 'Sharpen with GRPO',
  'improve-vision': 'Improve vision first',
  done: 'No training needed',
};

export const DECISION_WHY: Record<RecipeDecisionKind, string> = {
  'bridge-sft': 'The right answer is rarely among the model’s samples: the knowledge is missing and has to be taught with labelled data.',
  'sharpen-rl': 'The right answer is often among the samples but not picked first: reinforcement can move it to the top.',
  'improve-vision': 'The vision features do not separate the classes well: neither fine-tuning on answers nor RL will fix that.',
  done: 'First answers are already close to what the model can reach: more training is unlikely to help.',
};

export type DecisionTone = 'active' | 'warning' | 'success' | 'neutral';
export const DECISION_TONE: Record<RecipeDecisionKind, DecisionTone> = {
  'bridge-sft': 'active',
  'sharpen-rl': 'active',
  'improve-vision': 'warning',
  done: 'success',
};

/** "x-ray" → "X-ray", "ultrasound" → "Ultrasound". */
export function groupLabel(key: string): string {
  if (!key) return key;
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** The Ks a report holds, ascending. */
export function reportKs(g: Pick<GroupMetrics, 'passAtK'>): number[] {
  return Object.keys(g.passAtK)
    .map(Number)
    .filter((k) => Number.isInteger(k) && k > 0)
    .sort((a, b) => a - b);
}

/** The K shown as "the" Pass@K: the recipe K when present, else the largest. */
export function headlineK(g: Pick<GroupMetrics, 'passAtK'>, preferred = DEFAULT_RECIPE_K): number {
  const ks = reportKs(g);
  return ks.includes(preferred) ? preferred : (ks[ks.length - 1] ?? 1);
}

export interface ChartPoint {
  x: number;
  y: number;
  lo?: number | undefined;
  hi?: number | undefined;
}

export type SeriesTone = 'a' | 'b' | 'c' | 'd' | 'chance' | 'muted';

export interface ChartSeries {
  name: string;
  tone: SeriesTone;
  points: ChartPoint[];
  dashed?: boolean;
  /** Draw the lo/hi band. */
  band?: boolean;
}

const GROUP_TONES: readonly SeriesTone[] = ['a', 'b', 'c', 'd'];

/** Pass@K per group (modality) with its bootstrap band, and each group's chance curve dashed in the same tone. */
export function passAtKSeries(groups: Readonly<Record<string, GroupMetrics>>): ChartSeries[] {
  const out: ChartSeries[] = [];
  Object.entries(groups).forEach(([key, g], i) => {
    const tone = GROUP_TONES[i % GROUP_TONES.length] as SeriesTone;
    const ks = reportKs(g);
    const points: ChartPoint[] = [];
    const chance: ChartPoint[] = [];
    for (const k of ks) {
      const v = g.passAtK[String(k)];
      const band = g.passAtKCi[String(k)];
      if (v !== null && v !== undefined) points.push({ x: k, y: v, lo: band?.[0], hi: band?.[1] });
      const c = g.chanceAtK[String(k)];
      if (c !== null && c !== undefined) chance.push({ x: k, y: c });
    }
    out.push({ name: `${groupLabel(key)} Pass@K (n = ${g.n})`, tone, points, band: true });
    if (chance.length > 0) out.push({ name: `${groupLabel(key)} chance`, tone, points: chance, dashed: true });
  });
  return out;
}

/**
 * Modalities whose chance curve is identical to an earlier one are drawn once, named "Chance (random guessing)"; when
 * the curves differ (e.g. 2 options in one modality, 8 in another) each is named by its number of options (1 / chance
 * at K = 1), so every series keeps a distinct name.
 */
export function dedupeChance(series: ChartSeries[]): ChartSeries[] {
  const seen = new Set<string>();
  const out: ChartSeries[] = [];
  const chance: { copy: ChartSeries; group: string }[] = [];
  for (const s of series) {
    if (!s.dashed) {
      out.push(s);
      continue;
    }
    const key = s.points.map((p) => p.y.toFixed(6)).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const copy: ChartSeries = { ...s, tone: 'chance', name: 'Chance (random guessing)' };
    chance.push({ copy, group: s.name });
    out.push(copy);
  }
  if (chance.length > 1) {
    const options = chance.map(({ copy }) => {
      const y1 = copy.points.find((p) => p.x === 1)?.y;
      return y1 !== undefined && y1 > 0 ? Math.round(1 / y1) : null;
    });
    const distinct = options.every((m, i) => m !== null && options.indexOf(m) === i);
    chance.forEach(({ copy, group }, i) => {
      copy.name = distinct ? `Chance, ${options[i]} options` : group;
    });
  }
  return out;
}

// ---- training curves ---------------------------------------------------------------------------------------

export interface TrainingCurves {
  k: number;
  /** Per trainer step. */
  loss: ChartPoint[];
  reward: ChartPoint[];
  kl: ChartPoint[];
  consistency: ChartPoint[];
  /** Per validation. */
  valAcc1: ChartPoint[];
  valPassAtK: ChartPoint[];
  collapses: { step: number; passAtK: number; baseline: number; action: string; rollbackToStep: number | null }[];
  final: { reason: string; keptStep: number | null; endedAtStep: number | null; noUpdateKept: boolean } | null;
  lastStep: number;
  /** The support-guard line: the starting model's val Pass@K minus the margin the run's guard set (its `guard` event). */
  guardLine: number | null;
  /** The guard as set at step 0; `applies` false = inactive at this K (chance level at or above the support target). */
  guard: { applies: boolean; baseline: number; margin: number; persistence: number; chanceAtK: number } | null;
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}
function numOr(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Turns a training run's events into its curves. The guard line comes from the run's `guard` event; runs recorded
 * before it existed draw it at their best val Pass@K minus `margin` (the config's), as their guard judged then.
 */
export function trainingCurves(events: readonly RunEvent[], margin: number | null): TrainingCurves {
  const c: TrainingCurves = {
    k: DEFAULT_RECIPE_K,
    loss: [],
    reward: [],
    kl: [],
    consistency: [],
    valAcc1: [],
    valPassAtK: [],
    collapses: [],
    final: null,
    lastStep: 0,
    guardLine: null,
    guard: null,
  };
  let best: number | null = null;
  for (const e of events) {
    const p = rec(e.payload);
    const step = e.step ?? 0;
    if (e.kind === 'train') {
      c.lastStep = Math.max(c.lastStep, step);
      const loss = numOr(p.loss);
      if (loss !== null) c.loss.push({ x: step, y: loss });
      const reward = numOr(p.reward);
      if (reward !== null) c.reward.push({ x: step, y: reward });
      const kl = numOr(p.kl);
      if (kl !== null) c.kl.push({ x: step, y: kl });
      const cons = numOr(p.consistency);
      if (cons !== null) c.consistency.push({ x: step, y: cons });
    } else if (e.kind === 'eval') {
      c.lastStep = Math.max(c.lastStep, step);
      const k = numOr(p.k);
      if (k !== null) c.k = k;
      const acc1 = numOr(p.acc1);
      if (acc1 !== null) c.valAcc1.push({ x: step, y: acc1 });
      const pk = numOr(rec(p.passAtK)[String(c.k)]);
      if (pk !== null) {
        c.valPassAtK.push({ x: step, y: pk });
        best = best === null ? pk : Math.max(best, pk);
      }
    } else if (e.kind === 'guard') {
      const baseline = numOr(p.baselinePassAtK);
      const m = numOr(p.margin);
      if (baseline !== null && m !== null) {
        c.guard = { applies: p.applies !== false, baseline, margin: m, persistence: numOr(p.persistence) ?? 1, chanceAtK: numOr(p.chanceAtK) ?? 0 };
      }
    } else if (e.kind === 'support-collapse') {
      c.collapses.push({
        step,
        passAtK: numOr(p.passAtK) ?? 0,
        baseline: numOr(p.baselinePassAtK) ?? numOr(p.bestPassAtK) ?? 0,
        action: typeof p.action === 'string' ? p.action : 'stop',
        rollbackToStep: numOr(p.rollbackToStep),
      });
    } else if (e.kind === 'final') {
      const keptStep = numOr(p.keptStep);
      c.final = {
        reason: typeof p.reason === 'string' ? p.reason : 'completed',
        keptStep,
        endedAtStep: numOr(p.endedAtStep),
        noUpdateKept: p.noUpdateKept === true || keptStep === 0,
      };
    }
  }
  c.guardLine = c.guard
    ? c.guard.applies
      ? Math.max(0, c.guard.baseline - c.guard.margin)
      : null
    : best !== null && margin !== null
      ? Math.max(0, best - margin)
      : null;
  return c;
}

export const STOP_REASON_TEXT: Record<string, string> = {
  completed: 'Ran all its steps.',
  'early-stopping': 'Stopped early: validation stopped improving, the best checkpoint was kept.',
  'support-collapse': "The support guard stopped it: validation Pass@K stayed more than the margin below the starting model's for consecutive checks.",
};

// ---- training configuration ----------------------------------------------------------------------------------

/** The form a person edits; every field has a default and a one-line explanation in the view. */
export interface TrainForm {
  steps: number;
  learningRate: number;
  batchSize: number;
  evalEvery: number;
  passK: number;
  groupSize: number;
  beta: number;
  consistencyBonus: number;
  guardMargin: number;
  onCollapse: 'stop' | 'rollback';
  seed: number;
  /** Bridge only: labelled train items per task (0 = every train item). */
  labelBudget: number;
}

/**
 * The defaults of shared/training-defaults.ts and shared/recipe/grpo-defaults.ts: 120 steps, batch 32, eval every 10,
 * K 8 (replaced by the recipe's informative K once a diagnosis is recommended), lr 0.01 (SFT) / 1e-4 (GRPO), G 8,
 * β 0.04 (0 for GRPO-CARE), consistency bonus 0.5, margin floor 0.02, rollback, the run seed; the bridge labels at most
 * DEFAULT_BRIDGE_LABEL_BUDGET train items per task (bridge data ≠ sharpen data).
 */
export function defaultTrainForm(algorithm: TrainAlgorithm): TrainForm {
  return {
    steps: DEFAULT_TRAIN_STEPS,
    learningRate: defaultLearningRate(algorithm),
    batchSize: DEFAULT_TRAIN_BATCH,
    evalEvery: DEFAULT_EVAL_EVERY,
    passK: DEFAULT_GUARD_K,
    groupSize: DEFAULT_GROUP_SIZE,
    beta: defaultBeta(algorithm),
    consistencyBonus: DEFAULT_CONSISTENCY_BONUS,
    guardMargin: DEFAULT_GUARD_MARGIN,
    onCollapse: 'rollback',
    seed: DEFAULT_RUN_SEED,
    labelBudget: algorithm === 'sft' ? DEFAULT_BRIDGE_LABEL_BUDGET : 0,
  };
}

export type TrainField = keyof TrainForm;

/** Validates the form and builds the contract's config; errors name the field. */
export function buildTrainConfig(
  f: TrainForm,
  algorithm: TrainAlgorithm,
): { ok: true; config: Record<string, unknown>; seed: number } | { ok: false; errors: Partial<Record<TrainField, string>> } {
  const errors: Partial<Record<TrainField, string>> = {};
  const int = (k: TrainField, min: number, max: number) => {
    const v = f[k] as number;
    if (!Number.isInteger(v) || v < min || v > max) errors[k] = `A whole number from ${min} to ${max}.`;
  };
  const real = (k: TrainField, min: number, max: number, open = false) => {
    const v = f[k] as number;
    if (!Number.isFinite(v) || v > max || (open ? v <= min : v < min))
      errors[k] = `A number ${open ? 'above' : 'from'} ${min}${open ? ' and at most' : ' to'} ${max}.`;
  };
  int('steps', 1, 100_000);
  int('batchSize', 1, 4096);
  int('evalEvery', 1, 100_000);
  int('passK', 1, 64);
  int('seed', 0, 2 ** 32 - 1);
  real('learningRate', 0, 10, true);
  real('guardMargin', 0, 1);
  if (algorithm === 'sft') int('labelBudget', 0, 1_000_000);
  if (algorithm !== 'sft') {
    int('groupSize', 2, 256);
    real('beta', 0, 10);
    if (algorithm === 'grpo-care') real('consistencyBonus', 0, 100);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const config: Record<string, unknown> = {
    steps: f.steps,
    batchSize: f.batchSize,
    evalEvery: f.evalEvery,
    passK: f.passK,
    learningRate: f.learningRate,
    guard: { enabled: true, margin: f.guardMargin, onCollapse: f.onCollapse },
  };
  if (algorithm === 'sft' && f.labelBudget > 0) config.labelBudget = f.labelBudget;
  if (algorithm !== 'sft') config.grpo = { groupSize: f.groupSize, beta: f.beta };
  if (algorithm === 'grpo-care') config.care = { consistencyBonus: f.consistencyBonus };
  return { ok: true, config, seed: f.seed };
}

// ---- runs and where the study stands --------------------------------------------------------------------------

/** The runs one study is made of, in recipe order. Any may be missing. */
export interface StudyRuns {
  diagnosis: string | null;
  probe: string | null;
  sft: string | null;
  sftDiagnosis: string | null;
  grpo: string | null;
  grpoDiagnosis: string | null;
}

export const EMPTY_STUDY_RUNS: StudyRuns = { diagnosis: null, probe: null, sft: null, sftDiagnosis: null, grpo: null, grpoDiagnosis: null };

export const STUDY_RUN_LABEL: Record<keyof StudyRuns, string> = {
  diagnosis: 'Diagnosis of the base model',
  probe: 'Linear probe of the vision tower',
  sft: 'Bridge (SFT)',
  sftDiagnosis: 'Diagnosis after bridging',
  grpo: 'Sharpen (GRPO)',
  grpoDiagnosis: 'Diagnosis after sharpening',
};

/** The ordered run ids of a study (for studies:create), skipping the ones not made. */
export function studyRunIds(r: StudyRuns): string[] {
  return (['diagnosis', 'probe', 'sft', 'sftDiagnosis', 'grpo', 'grpoDiagnosis'] as const).map((k) => r[k]).filter((id): id is string => id !== null);
}

/**
 * Rebuilding a study without a stored one (`runs` newest first): the VLM's probe is the newest probe of the diagnosed
 * pack on the diagnosed version (without a diagnosis: of any pack that is not vision-only); the vision-only pack's probe
 * is the newest probe of such a pack on that same version.
 */
export function studyProbes<R extends Pick<RunSummary, 'kind' | 'pack' | 'version'>>(
  runs: readonly R[],
  base: Pick<RunSummary, 'pack' | 'version'> | undefined,
  visionPacks: ReadonlySet<string>,
): { probe: R | undefined; vision: R | undefined } {
  const onVersion = (r: R) => !base || r.version === base.version;
  return {
    probe: runs.find((r) => r.kind === 'probe' && (base ? r.pack === base.pack : !visionPacks.has(r.pack)) && onVersion(r)),
    vision: runs.find((r) => r.kind === 'probe' && visionPacks.has(r.pack) && onVersion(r)),
  };
}

export interface NextAction {
  text: string;
  href: string;
  label: string;
}

/** What to do next, given which runs exist (done) and the stored recommendation. */
export function nextAction(
  done: Readonly<Record<keyof StudyRuns, boolean>>,
  decision: RecipeDecisionKind | null,
  hasVersion: boolean,
  reportSigned: boolean,
): NextAction {
  if (!hasVersion) return { text: 'Import data and freeze a balanced dataset version.', href: '#/data', label: 'Go to Data' };
  if (!done.diagnosis) return { text: 'Diagnose the model on the validation split.', href: '#/diagnose', label: 'Go to Diagnose' };
  if (decision === 'bridge-sft' && !done.sft)
    return { text: 'The diagnosis recommends bridging: fine-tune with SFT.', href: '#/bridge', label: 'Go to Bridge' };
  if (done.sft && !done.sftDiagnosis) return { text: 'Diagnose the bridged model to see what SFT changed.', href: '#/bridge', label: 'Go to Bridge' };
  if ((decision === 'sharpen-rl' || done.sft) && !done.grpo)
    return { text: 'Sharpen with GRPO, watching Pass@K with the support guard.', href: '#/sharpen', label: 'Go to Sharpen' };
  if (done.grpo && !done.grpoDiagnosis) return { text: 'Diagnose the sharpened model to compare before and after.', href: '#/sharpen', label: 'Go to Sharpen' };
  if (!reportSigned) return { text: 'Generate the report for the review board and sign it.', href: '#/report', label: 'Go to Report' };
  return { text: 'The report is signed. A new run makes a new report version.', href: '#/report', label: 'Open the report' };
}

/** The run's adapter (a diagnosis of a trained policy), from its config. */
export function adapterOf(run: Pick<RunDetail, 'config'>): string | null {
  const a = run.config.adapter;
  return typeof a === 'string' && a.length > 0 ? a : null;
}

/** The run a training run started from, from its config. */
export function initOf(run: Pick<RunDetail, 'config'>): string | null {
  const a = run.config.init;
  return typeof a === 'string' && a.length > 0 ? a : null;
}

export function isMetricsReport(m: RunDetail['metrics']): m is MetricsReport {
  return m !== null && 'overall' in m;
}

/** A probe run's report (a run's metrics are a metrics report, a probe report or a transfer report). */
export function isProbeReport(m: RunDetail['metrics'] | undefined): m is Extract<NonNullable<RunDetail['metrics']>, { kind: 'probe' }> {
  return !!m && 'kind' in m && m.kind === 'probe';
}

/** The overall decision of a stored recommendation, or null. */
export function overallDecision(rec: StoredRecommendation | null | undefined): RecipeDecision | null {
  return rec?.recipe.overall ?? null;
}

/** Newest-first list → the newest run of a kind that is done. */
export function newestDone(runs: readonly RunSummary[], kind: string): RunSummary | undefined {
  return runs.find((r) => r.kind === kind && r.state === 'done');
}

/** The Δ line of a paired comparison at K: "+12.3 pp [+4.0 pp, +20.1 pp]". */
export function deltaText(g: PairedGroup, k: number | 'acc1'): { value: string; interval: string; raw: number | null } {
  if (k === 'acc1') return { value: pp(g.deltaAcc1), interval: ci(g.deltaAcc1Ci, 'pp'), raw: g.deltaAcc1 };
  const v = g.deltaPassAtK[String(k)] ?? null;
  return { value: pp(v), interval: ci(g.deltaPassAtKCi[String(k)] ?? null, 'pp'), raw: v };
}

/** How a paired difference reads: 'up' when its 95% interval lies above zero, 'down' below, 'flat' across it. */
export function deltaTone(raw: number | null, ci: readonly [number, number] | null | undefined): 'up' | 'down' | 'flat' | '' {
  if (raw === null || !ci) return '';
  return ci[0] > 0 ? 'up' : ci[1] < 0 ? 'down' : 'flat';
}

/** Letter bias rows: pick rate vs how often that letter is correct. */
export function letterRows(g: GroupMetrics): { letter: string; pickRate: number; correctRate: number; accWhenCorrect: number | null }[] {
  return Object.entries(g.letterBias)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([letter, s]) => ({ letter, pickRate: s.pickRate, correctRate: s.correctRate, accWhenCorrect: s.accWhenCorrect }));
}

export const OPTION_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const SPLIT_NAME: Record<string, string> = { train: 'training', val: 'validation', test: 'test' };

/** "validation split", "all splits": how a split is named beside a number. */
export function splitPhrase(split: string | null): string {
  if (split === null || split === 'all') return 'all splits';
  return `${SPLIT_NAME[split] ?? split} split`;
}

/**
 * One line about a run for the study summary: its headline numbers (at the recipe's K `k` when the run holds it, so
 * the summary and the Diagnose headline speak of the same Pass@K, with the split its n counts), or its state.
 */
export function runLine(run: RunDetail | undefined, k?: number): string {
  if (!run) return 'Not run yet';
  if (run.state !== 'done') return run.state === 'running' ? 'Running…' : `${groupLabel(run.state)}`;
  const m = run.metrics;
  if (m && 'overall' in m) {
    const shownK = headlineK(m.overall, k);
    return `Acc@1 ${pct(m.overall.acc1)} · Pass@${shownK} ${pct(m.overall.passAtK[String(shownK)])} · ${splitPhrase(run.split)}, n = ${m.overall.n}`;
  }
  if (m && m.kind === 'probe') {
    const accs = Object.values(m.byTask).map((t) => `${t.task} ${pct(t.accuracy)}`);
    return `Probe accuracy ${accs.join(' · ')}`;
  }
  return 'Done';
}
