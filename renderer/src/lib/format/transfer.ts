// The transfer matrix as a heat map: which stored `transfer` runs make its rows, which evaluated task groups make its
// columns, the diverging colour scale (blue = gain, vermillion = loss, white = no change; the report's palette), the
// text of each cell and which cells' 95% intervals exclude zero. Pure functions, unit-tested with hand-computed values.
import type { RunDetail } from '../../../../shared/api/runs.ts';
import type { ItemSubset, TrainAlgorithm, TransferCell, TransferRegime, TransferReport } from '../../../../shared/api/training.ts';
import { TRAIN_ALGORITHM_WORD } from '../../../../shared/training-algorithms.ts';
import { pp } from './study.ts';

export type TransferMetric = 'acc1' | 'passAtK';

/** Okabe–Ito blue and vermillion (colour-blind safe), as in the report's heat map (electron/reports/svg-charts.ts). */
export const GAIN_RGB: readonly [number, number, number] = [0, 114, 178];
export const LOSS_RGB: readonly [number, number, number] = [213, 94, 0];
/** Cells of a run that kept no update: a neutral grey, outside the gain/loss scale. */
export const NO_UPDATE_COLOUR: CellColour = { t: 0, rgb: [221, 221, 221], fill: 'rgb(221, 221, 221)', ink: '#000000' };
/** The colour scale never spans less than ±5 percentage points, so noise-sized changes stay pale. */
export const MIN_LIMIT = 0.05;
/** The scale's limit is rounded up to a multiple of this (5 percentage points). */
export const LIMIT_STEP_PP = 5;

export const REGIME_LABEL: Record<TransferRegime, string> = {
  'in-domain': 'in-domain (the task it was trained on)',
  'within-modality': 'within-modality (another task, same image type)',
  'cross-modality': 'cross-modality (another image type)',
};

/** The word for each training algorithm (shared/training-algorithms.ts). */
export const ALGORITHM_LABEL: Readonly<Record<TrainAlgorithm, string>> = TRAIN_ALGORITHM_WORD;

/** A run's metrics are a transfer report (runs:get types metrics as a diagnosis or probe report; transfer runs store this). */
export function isTransferReport(m: unknown): m is TransferReport {
  return typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'transfer' && Array.isArray((m as { cells?: unknown }).cells);
}

/** One row of the matrix: a transfer run (its training subset, start and algorithm), done or not. */
export interface TransferRowSource {
  run: string;
  createdAt: string;
  state: RunDetail['state'];
  jobId: string | null;
  train: ItemSubset;
  init: string | null;
  algorithm: TrainAlgorithm;
  k: number | null;
  report: TransferReport | null;
}

/** Reads a transfer run's row from runs:get (config = the job's TransferParams; metrics = the report once done). */
export function transferSource(d: Pick<RunDetail, 'id' | 'kind' | 'createdAt' | 'state' | 'jobId' | 'config' | 'metrics'>): TransferRowSource | null {
  if (d.kind !== 'transfer') return null;
  const cfg = d.config as { train?: ItemSubset; init?: string | null; algorithm?: TrainAlgorithm; config?: { passK?: number } };
  const report = isTransferReport(d.metrics) ? d.metrics : null;
  return {
    run: d.id,
    createdAt: d.createdAt,
    state: d.state,
    jobId: d.jobId,
    train: report?.train ?? cfg.train ?? {},
    init: report ? report.init : (cfg.init ?? null),
    algorithm: report?.algorithm ?? cfg.algorithm ?? 'grpo',
    k: report?.k ?? cfg.config?.passK ?? null,
    report,
  };
}

/**
 * Whether a reload of the matrix may keep the run detail it holds rather than read runs:get again, given the run's state
 * in the new runs:list: only when the state is unchanged and settled (a running run's detail is read until it ends; a
 * done run whose detail came without its report is read again).
 */
export function canReuseDetail(have: Pick<RunDetail, 'state' | 'metrics'> | undefined, state: RunDetail['state']): boolean {
  return have !== undefined && have.state === state && state !== 'running' && (state !== 'done' || have.metrics !== null);
}

const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort();

/** Stable key of a training subset: "t:a,b|m:x". */
export function subsetKey(s: ItemSubset): string {
  return `t:${sorted(s.tasks).join(',')}|m:${sorted(s.modalities).join(',')}`;
}

/** "breastmnist", "all ultrasound", "breastmnist; all ultrasound", "all items". */
export function subsetLabel(s: ItemSubset): string {
  const parts = [...sorted(s.tasks), ...sorted(s.modalities).map((m) => `all ${m}`)];
  return parts.length ? parts.join('; ') : 'all items';
}

/** A row is one (training subset, start, algorithm); a newer run with the same key replaces an older one. */
export function rowKey(r: Pick<TransferRowSource, 'train' | 'init' | 'algorithm'>): string {
  return `${subsetKey(r.train)}|init:${r.init ?? 'base'}|${r.algorithm}`;
}

/** The newest run per row key (ties: the later run id), in no particular order. */
export function latestPerRow(sources: readonly TransferRowSource[]): TransferRowSource[] {
  const best = new Map<string, TransferRowSource>();
  for (const s of sources) {
    const k = rowKey(s);
    const have = best.get(k);
    if (!have || s.createdAt > have.createdAt || (s.createdAt === have.createdAt && s.run > have.run)) best.set(k, s);
  }
  return [...best.values()];
}

/** Tasks a matrix still needs for these settings: those with no row (of any state but failed/cancelled) yet. */
export function missingTasks(tasks: readonly string[], sources: readonly TransferRowSource[], init: string | null, algorithm: TrainAlgorithm): string[] {
  const have = new Set(
    latestPerRow(sources)
      .filter((s) => s.state === 'done' || s.state === 'running')
      .map((s) => rowKey(s)),
  );
  return tasks.filter((t) => !have.has(rowKey({ train: { tasks: [t] }, init, algorithm })));
}

// ---- colour scale ------------------------------------------------------------------------------------------------

/** Symmetric limit of the colour scale: the largest |Δ| rounded up to 5 pp, at least MIN_LIMIT. */
export function scaleLimit(values: readonly number[]): number {
  const maxPp = Math.max(0, ...values.filter(Number.isFinite).map((v) => Math.abs(v) * 100));
  // 1e-9 absorbs float noise (0.1 * 100 = 10.000000000000002 must stay 10, not become 15).
  const steps = Math.ceil(maxPp / LIMIT_STEP_PP - 1e-9);
  return Math.max(MIN_LIMIT, (steps * LIMIT_STEP_PP) / 100);
}

/** WCAG relative luminance of an sRGB colour (0–255 channels). */
export function luminance(rgb: readonly [number, number, number]): number {
  const ch = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(rgb[0]) + 0.7152 * ch(rgb[1]) + 0.0722 * ch(rgb[2]);
}

export function contrast(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export interface CellColour {
  /** Position on the scale, −1 (full loss colour) … +1 (full gain colour). */
  t: number;
  rgb: [number, number, number];
  fill: string;
  /** Black or white, whichever contrasts more with the fill (always ≥ 4.58:1). */
  ink: '#000000' | '#ffffff';
}

/** White at 0, blended linearly toward blue (gain) or vermillion (loss), saturated at ±limit. */
export function cellColour(v: number, limit: number): CellColour {
  const t = Math.max(-1, Math.min(1, v / (limit > 0 ? limit : MIN_LIMIT)));
  const end = t >= 0 ? GAIN_RGB : LOSS_RGB;
  const a = Math.abs(t);
  const mix = (c: number) => Math.round(255 + (c - 255) * a);
  const rgb: [number, number, number] = [mix(end[0]), mix(end[1]), mix(end[2])];
  const ink = contrast(rgb, [0, 0, 0]) >= contrast(rgb, [255, 255, 255]) ? '#000000' : '#ffffff';
  return { t, rgb, fill: `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`, ink };
}

// ---- cells, rows and columns -------------------------------------------------------------------------------------

/** The 95% interval excludes zero (strictly: an interval touching 0 does not). */
export function excludesZero(ci: readonly [number, number] | null | undefined): boolean {
  return !!ci && Number.isFinite(ci[0]) && Number.isFinite(ci[1]) && (ci[0] > 0 || ci[1] < 0);
}

/** "[−3.0, +5.0]" (percentage points, the unit is in the value above it); "no interval" without one. */
export function intervalText(ci: readonly [number, number] | null | undefined): string {
  if (!ci) return 'no interval';
  const f = (x: number) => pp(x).replace(/ pp$/, '').replace(/^-/, '−');
  return `[${f(ci[0])}, ${f(ci[1])}]`;
}

/** "+12.3 pp", "−4.0 pp", "0.0 pp" (a true minus sign). */
export function deltaText(v: number): string {
  return pp(v).replace(/^-/, '−');
}

export function metricValue(c: TransferCell, metric: TransferMetric): { value: number; ci: [number, number] | null; before: number; after: number } {
  return metric === 'acc1'
    ? { value: c.deltaAcc1, ci: c.deltaAcc1Ci, before: c.before.acc1, after: c.after.acc1 }
    : { value: c.deltaPassAtK, ci: c.deltaPassAtKCi, before: c.before.passAtK, after: c.after.passAtK };
}

export function metricName(metric: TransferMetric, k: number | null): string {
  return metric === 'acc1' ? 'Accuracy@1' : `Pass@${k ?? 'K'}`;
}

export interface HeatRow {
  key: string;
  run: string;
  /** What the adapter was trained on. */
  label: string;
  /** How: "GRPO from the bridged model (SFT)". */
  detail: string;
}

export interface HeatCol {
  key: string;
  tasks: string[];
  modalities: string[];
  label: string;
  detail: string;
}

export interface HeatCell {
  row: number;
  col: number;
  run: string;
  regime: TransferRegime;
  inDomain: boolean;
  n: number;
  k: number;
  value: number;
  ci: [number, number] | null;
  before: number;
  after: number;
  significant: boolean;
  colour: CellColour;
  text: string;
  ciText: string;
  /** One sentence for assistive technology and the tooltip. */
  description: string;
  /** The row's run kept its starting adapter: the cell shows "no update kept", not a change. */
  noUpdateKept: boolean;
}

export interface HeatMatrix {
  metric: TransferMetric;
  metricName: string;
  rows: HeatRow[];
  cols: HeatCol[];
  /** cells[row][col]; null = that row's run has no items in that column's group. */
  cells: (HeatCell | null)[][];
  limit: number;
}

const colKey = (c: Pick<TransferCell, 'tasks'>) => sorted(c.tasks).join(' + ');

/** How a row was trained, in words; `initName` names a start run (e.g. "the bridged model (SFT)"). */
export function rowDetail(s: Pick<TransferRowSource, 'init' | 'algorithm'>, initName: (run: string) => string): string {
  return `${ALGORITHM_LABEL[s.algorithm]} from ${s.init ? initName(s.init) : 'the base model'}`;
}

/**
 * Rows: the done runs with a report, newest per (subset, start, algorithm), sorted by what they trained on, base start
 * first. Columns: each evaluated task group; the rows' in-domain groups first in row order (so in-domain cells fall on
 * the diagonal when each row trains one task), then the others by name.
 */
export function buildMatrix(sources: readonly TransferRowSource[], metric: TransferMetric, initName: (run: string) => string = (r) => `run ${r}`): HeatMatrix {
  const done = latestPerRow(sources.filter((s) => s.report !== null && s.state === 'done'));
  const rowsSrc = done
    .map((s) => ({ s, label: subsetLabel(s.train), detail: rowDetail(s, initName) }))
    .sort(
      (a, b) =>
        a.label.localeCompare(b.label) ||
        (a.s.init === null ? 0 : 1) - (b.s.init === null ? 0 : 1) ||
        a.detail.localeCompare(b.detail) ||
        a.s.run.localeCompare(b.s.run),
    );
  const cols = new Map<string, HeatCol>();
  const addCol = (c: TransferCell) => {
    const key = colKey(c);
    if (!cols.has(key))
      cols.set(key, {
        key,
        tasks: sorted(c.tasks),
        modalities: sorted(c.modalities),
        label: sorted(c.tasks).join(' + '),
        detail: sorted(c.modalities).join(', '),
      });
  };
  for (const { s } of rowsSrc) for (const c of s.report!.cells) if (c.regime === 'in-domain') addCol(c);
  const rest: TransferCell[] = [];
  for (const { s } of rowsSrc) for (const c of s.report!.cells) if (!cols.has(colKey(c))) rest.push(c);
  rest.sort((a, b) => colKey(a).localeCompare(colKey(b)));
  for (const c of rest) addCol(c);
  const colList = [...cols.values()];

  const values = rowsSrc.filter(({ s }) => !s.report!.noUpdateKept).flatMap(({ s }) => s.report!.cells.map((c) => metricValue(c, metric).value));
  const limit = scaleLimit(values);
  const ks = new Set(rowsSrc.map(({ s }) => s.report!.k));
  const name = metricName(metric, ks.size === 1 ? [...ks][0]! : null);
  const rows: HeatRow[] = rowsSrc.map(({ s, label, detail }) => ({ key: rowKey(s), run: s.run, label, detail }));
  const cells = rowsSrc.map(({ s, label, detail }, ri) =>
    colList.map((col, ci): HeatCell | null => {
      const c = s.report!.cells.find((x) => colKey(x) === col.key);
      if (!c) return null;
      const m = metricValue(c, metric);
      const cellName = metricName(metric, c.k);
      if (s.report!.noUpdateKept) {
        return {
          row: ri,
          col: ci,
          run: s.run,
          regime: c.regime,
          inDomain: c.regime === 'in-domain',
          n: c.n,
          k: c.k,
          value: 0,
          ci: null,
          before: m.before,
          after: m.after,
          significant: false,
          colour: NO_UPDATE_COLOUR,
          text: 'no update',
          ciText: 'kept',
          description: `Trained on ${label} (${detail}), tested on ${col.label}${col.detail ? ` (${col.detail})` : ''}, ${c.regime}: no update kept — the run ended on its starting adapter (step 0), so this cell measures nothing about training.`,
          noUpdateKept: true,
        };
      }
      const significant = excludesZero(m.ci);
      const text = deltaText(m.value);
      const description =
        `Trained on ${label} (${detail}), tested on ${col.label}${col.detail ? ` (${col.detail})` : ''}, ${c.regime}: ` +
        `${cellName} ${pctPlain(m.before)} → ${pctPlain(m.after)}, change ${text}` +
        `${m.ci ? `, 95% interval ${deltaText(m.ci[0])} to ${deltaText(m.ci[1])}` : ', no interval'}` +
        `, n = ${c.n}; ${significant ? 'the interval excludes 0' : 'the interval includes 0 (could be chance)'}.`;
      return {
        row: ri,
        col: ci,
        run: s.run,
        regime: c.regime,
        inDomain: c.regime === 'in-domain',
        n: c.n,
        k: c.k,
        value: m.value,
        ci: m.ci,
        before: m.before,
        after: m.after,
        significant,
        colour: cellColour(m.value, limit),
        text,
        ciText: intervalText(m.ci),
        description,
        noUpdateKept: false,
      };
    }),
  );
  return { metric, metricName: name, rows, cols: colList, cells, limit };
}

function pctPlain(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—';
}

/** Legend ticks of the colour scale: −limit, −limit/2, 0, +limit/2, +limit, as "−10 pp" … "+10 pp". */
export function legendTicks(limit: number): { value: number; label: string }[] {
  return [-1, -0.5, 0, 0.5, 1].map((f) => {
    const value = f * limit;
    const p = Math.round(value * 1000) / 10;
    const label = `${p > 0 ? '+' : p < 0 ? '−' : ''}${Number.isInteger(p) ? Math.abs(p).toFixed(0) : Math.abs(p).toFixed(1)} pp`;
    return { value, label };
  });
}

// ---- where the matrix stands ---------------------------------------------------------------------------------------

export type MatrixState = 'not-computed' | 'running' | 'failed' | 'done';

export interface MatrixStatus {
  state: MatrixState;
  /** Rows whose job is still running. */
  running: TransferRowSource[];
  /** Rows whose newest run failed, was cancelled or interrupted (resumable from the job). */
  stopped: TransferRowSource[];
  done: number;
  /** Tasks with no row yet for the chosen settings. */
  missing: string[];
}

/** Running wins over stopped, stopped over done; nothing at all is "not computed". */
export function matrixStatus(sources: readonly TransferRowSource[], tasks: readonly string[], init: string | null, algorithm: TrainAlgorithm): MatrixStatus {
  const latest = latestPerRow(sources);
  const running = latest.filter((s) => s.state === 'running');
  const stopped = latest.filter((s) => s.state === 'failed' || s.state === 'cancelled' || s.state === 'interrupted');
  const done = latest.filter((s) => s.state === 'done' && s.report !== null).length;
  const state: MatrixState = running.length ? 'running' : stopped.length ? 'failed' : done ? 'done' : 'not-computed';
  return { state, running, stopped, done, missing: missingTasks(tasks, sources, init, algorithm) };
}

/** Splits a label into at most `lines` lines of about `width` characters at spaces; the last line ends in "…" if cut. */
export function wrapWords(text: string, width: number, lines = 2): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && (line + ' ' + word).length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  if (out.length <= lines) return out.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
  const kept = out.slice(0, lines);
  const last = kept[lines - 1] as string;
  kept[lines - 1] = last.length + 1 > width ? `${last.slice(0, width - 1)}…` : `${last}…`;
  return kept;
}
