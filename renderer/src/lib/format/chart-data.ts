// The numbers behind a line chart, for its readout, its hidden table and its CSV: the steps (x values) of all series,
// each series' point at a step, a summary of the steps for the table (a training run of 6,000 steps must not put
// 12,000 rows in the page), and the CSV text with every row. Pure; unit-tested in tests/unit/renderer/chart-data.test.ts.
import type { ChartPoint, ChartSeries } from './study.ts';

/** The hidden table shows at most this many steps (plus the first, the last and the marked ones). */
export const DEFAULT_TABLE_STEPS = 100;

/** Every x value of any series, ascending, once. */
export function chartSteps(series: readonly Pick<ChartSeries, 'points'>[]): number[] {
  const xs = new Set<number>();
  for (const s of series) for (const p of s.points) if (Number.isFinite(p.x)) xs.add(p.x);
  return [...xs].sort((a, b) => a - b);
}

/** Each series' points by x, for lookups at a step. */
export function pointsByStep(series: readonly Pick<ChartSeries, 'points'>[]): Map<number, ChartPoint>[] {
  return series.map((s) => new Map(s.points.map((p) => [p.x, p])));
}

/** Index of the step nearest to x in ascending `steps` (−1 when there are none). */
export function nearestIndex(steps: readonly number[], x: number): number {
  if (steps.length === 0) return -1;
  let lo = 0;
  let hi = steps.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs((steps[hi] as number) - x) < Math.abs(x - (steps[lo] as number)) ? hi : lo;
}

/** Strides 1, 2, 5, 10, 20, 50 … : "every 100th step" reads better than "every 61st". */
function* strides(): Generator<number> {
  for (let e = 0; e < 16; e++) for (const m of [1, 2, 5]) yield m * 10 ** e;
}

export interface ThinnedSteps {
  /** The steps the table shows, ascending. */
  steps: number[];
  /** Every how many steps (by value for whole-number steps, by position otherwise); 1 = all of them. */
  every: number;
}

/**
 * The steps a summary table shows: all of them when there are at most `maxRows`; else every S-th (S the smallest of
 * 1, 2, 5, 10, 20 … that leaves at most maxRows − 2 rows: for whole-number steps, the steps divisible by S, so a run of
 * 6,000 steps shows 0, 100, 200 …; otherwise every S-th position), plus the first and the last step and each of
 * `keep` (e.g. where the support guard acted) that is a step. At most maxRows + keep.length rows.
 */
export function thinSteps(steps: readonly number[], maxRows = DEFAULT_TABLE_STEPS, keep: readonly number[] = []): ThinnedSteps {
  if (steps.length <= maxRows) return { steps: [...steps], every: 1 };
  const room = Math.max(1, maxRows - 2);
  let picked: number[] = [];
  let every = 1;
  if (steps.every(Number.isInteger)) {
    for (const s of strides()) {
      const on = steps.filter((x) => x % s === 0);
      if (on.length <= room) {
        picked = on;
        every = s;
        break;
      }
    }
  }
  if (picked.length < 2) {
    for (const s of strides()) {
      if (Math.ceil(steps.length / s) <= room) {
        picked = steps.filter((_, i) => i % s === 0);
        every = s;
        break;
      }
    }
  }
  const all = new Set(steps);
  const out = new Set([steps[0] as number, ...picked, steps[steps.length - 1] as number, ...keep.filter((x) => all.has(x))]);
  return { steps: [...out].sort((a, b) => a - b), every };
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * What a summary table says after its caption when it does not show every step: "61 of 120 step values: every 2nd
 * step, the first, the last and each marked one. The CSV file has every step."; nothing when it shows them all.
 */
export function summaryNote(thin: ThinnedSteps, total: number, xName: string, marked: boolean): string | undefined {
  if (thin.every <= 1) return undefined;
  const word = xName.toLowerCase();
  return `${thin.steps.length} of ${total} ${word} values: every ${ordinal(thin.every)} ${word}, the first, the last${marked ? ' and each marked one' : ''}. The CSV file has every ${word}.`;
}

/** The CSV header: the x name, then each series, and its interval bounds where it has a band. */
export function csvHeader(xName: string, series: readonly Pick<ChartSeries, 'name' | 'band'>[]): string[] {
  return [xName, ...series.flatMap((s) => (s.band ? [s.name, `${s.name} (95% lower)`, `${s.name} (95% upper)`] : [s.name]))];
}

/** One CSV row per step: the raw stored numbers (full precision), empty where a series has no value at that step. */
export function csvRows(series: readonly Pick<ChartSeries, 'points' | 'band'>[], steps: readonly number[]): (number | null)[][] {
  const maps = pointsByStep(series);
  return steps.map((x) => [
    x,
    ...series.flatMap((s, i) => {
      const p = maps[i]?.get(x);
      return s.band ? [p?.y ?? null, p?.lo ?? null, p?.hi ?? null] : [p?.y ?? null];
    }),
  ]);
}

/**
 * One CSV field (RFC 4180): numbers as JavaScript writes them; text quoted when it holds a comma, quote, line break or
 * edge space, quotes doubled; text a spreadsheet would run as a formula (starting with = + - @ or a tab) gets a leading
 * apostrophe, since series names can come from imported data (modality names).
 */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text: a header line, then the rows; CRLF line ends as RFC 4180 says. */
export function csvText(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The CSV of a chart: every step of every series. */
export function chartCsv(xName: string, series: readonly ChartSeries[]): string {
  return csvText(csvHeader(xName, series), csvRows(series, chartSteps(series)));
}

/** "Step (log scale)" → "Step": the x label without its parenthetical, as the readout names a step. */
export function stepName(xLabel: string): string {
  return xLabel.replace(/\s*\([^)]*\)\s*$/, '').trim() || xLabel;
}

/** A file name from a chart title: lower case, words joined by hyphens, ".csv". */
export function csvFileName(title: string): string {
  const base = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'chart'}.csv`;
}
