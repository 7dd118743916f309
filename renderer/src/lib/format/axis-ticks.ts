// Axis maths for the inline SVG charts: "nice" tick values for a range (steps of 1, 2, 2.5 or 5 × 10^k), a value axis
// scaled to the data it shows, and tick labels without float noise. Pure; unit-tested in
// tests/unit/renderer/axis-ticks.test.ts.

/** Tick steps within one decade, ascending: a step is one of these × 10^k. */
const NICE_MULTIPLES = [1, 2, 2.5, 5] as const;
/** At most this many ticks on a value axis (a 230 px chart reads 4–6 labels comfortably). */
export const DEFAULT_MAX_TICKS = 6;
/** Space added above and below the data, as a fraction of its span, so no dot sits on the frame. */
export const DEFAULT_AXIS_PADDING = 0.06;
/** A rate axis never spans less than 5 percentage points: flat data is not blown up into noise-sized wiggles. */
export const MIN_RATE_SPAN = 0.05;
/**
 * When the data's lowest value is at most this fraction of its span above 0, the axis starts at 0.
 *
 * Why: a rate chart is read for its level ("how often is the model right") and for its change ("did sharpening move
 * it"). When the data sit near 0 anyway (say 20–80%), starting at 0 costs at most a third of the plot and shows the
 * level honestly. When they sit far from 0 (say 95–100%), a 0–100% axis flattens the change the chart exists to show
 * into a line along the top, so the axis follows the data and its first tick label (95%) says where it starts. Chance
 * is drawn as its own series, so the Pass@K chart always keeps chance in view without needing 0.
 */
export const ZERO_PULL = 0.5;

export interface TickSet {
  /** Tick values, ascending, rounded to the step's decimals (0.95, 0.96 … never 0.9500000000000001). */
  ticks: number[];
  step: number;
  /** Decimals the step needs (0.01 → 2, 0.025 → 3, 5 → 0). */
  decimals: number;
}

/** Decimals a step of m × 10^e needs: −e, plus one for the 2.5 multiple. */
function stepDecimals(multiple: number, exponent: number): number {
  return Math.max(0, -exponent + (multiple === 2.5 ? 1 : 0));
}

/** Rounds to `decimals` places through the decimal string, so 95 × 0.01 is 0.95 (JavaScript gives 0.9500000000000001). */
export function roundTo(value: number, decimals: number): number {
  const d = Math.min(15, Math.max(0, decimals));
  const r = Number(value.toFixed(d));
  return Object.is(r, -0) ? 0 : r;
}

/**
 * The ticks of [lo, hi]: the smallest nice step whose multiples inside the range number at most `maxTicks`, and those
 * multiples. `integer` keeps steps whole (training steps, K). A zero-width range gives that one value as its tick.
 * Example: 0.95–1.00 → step 0.01, ticks 0.95, 0.96 … 1.00; −0.08–1.07 → step 0.2, ticks 0, 0.2 … 1.
 */
export function niceTicks(lo: number, hi: number, maxTicks = DEFAULT_MAX_TICKS, options: { integer?: boolean } = {}): TickSet {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [], step: 1, decimals: 0 };
  if (hi < lo) [lo, hi] = [hi, lo];
  const span = hi - lo;
  const most = Math.max(2, Math.floor(maxTicks));
  if (span === 0) {
    const e = lo === 0 ? 0 : Math.floor(Math.log10(Math.abs(lo)));
    const decimals = Math.max(0, -e + 2);
    return { ticks: [roundTo(lo, decimals)], step: 10 ** e, decimals };
  }
  // A tolerance for "is this multiple inside the range", relative to the range: 0.95 / 0.01 is 94.99999999999999.
  const eps = 1e-9;
  // Start well below span / maxTicks (too many ticks) and take the first step that fits.
  const start = Math.floor(Math.log10(span)) - 3;
  for (let e = start; e < start + 20; e++) {
    for (const m of NICE_MULTIPLES) {
      if (options.integer && (e < 0 || (e === 0 && m === 2.5))) continue;
      const step = m * 10 ** e;
      const first = Math.ceil(lo / step - eps);
      const last = Math.floor(hi / step + eps);
      if (last - first + 1 > most) continue;
      const decimals = stepDecimals(m, e);
      const ticks: number[] = [];
      for (let i = first; i <= last; i++) ticks.push(roundTo(i * step, decimals));
      return { ticks, step: roundTo(step, decimals), decimals };
    }
  }
  return { ticks: [lo, hi], step: span, decimals: 0 };
}

export interface AxisOptions {
  /** Proportions (Accuracy@1, Pass@K): the axis stays inside 0–100% and spans at least MIN_RATE_SPAN. */
  rate?: boolean;
  /** Always start at 0 (when the data are not negative), whatever ZERO_PULL says. */
  includeZero?: boolean;
  padding?: number;
  maxTicks?: number;
}

export interface ValueAxis extends TickSet {
  /** What the plot spans, bottom to top; the ticks lie inside it. */
  domain: [number, number];
}

/**
 * A value axis for these data: their range, widened to the rate minimum span when flat, pulled to 0 when the data sit
 * close to it (ZERO_PULL) or when asked, padded by `padding` of the span on each side (never below 0 for data that are
 * not negative, never outside 0–1 for rates), and nice ticks inside that domain. Non-finite values are ignored; no
 * data gives 0–1.
 */
export function valueAxis(values: readonly number[], options: AxisOptions = {}): ValueAxis {
  const rate = options.rate ?? false;
  const padding = options.padding ?? DEFAULT_AXIS_PADDING;
  const maxTicks = options.maxTicks ?? DEFAULT_MAX_TICKS;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return { domain: [0, 1], ...niceTicks(0, 1, maxTicks) };
  const nonNegative = lo >= 0;
  const minSpan = rate ? MIN_RATE_SPAN : 0;
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
    if (rate && lo < 0) [lo, hi] = [0, minSpan];
    if (rate && hi > 1) [lo, hi] = [1 - minSpan, 1];
  } else if (hi === lo) {
    // a flat series of plain values: ±10% of the value (±0.5 around 0)
    const half = lo === 0 ? 0.5 : Math.abs(lo) * 0.1;
    lo -= half;
    hi += half;
  }
  if (nonNegative && (options.includeZero || lo <= (hi - lo) * ZERO_PULL)) lo = 0;
  const pad = (hi - lo) * padding;
  let bottom = lo === 0 && nonNegative ? 0 : lo - pad;
  let top = hi + pad;
  if (nonNegative) bottom = Math.max(0, bottom);
  if (rate) {
    bottom = Math.max(0, bottom);
    top = Math.min(1, top);
  }
  return { domain: [bottom, top], ...niceTicks(bottom, top, maxTicks) };
}

/** Decimals that show every tick of this step as a percentage: step 0.01 → 0 ("95%"), 0.025 → 1 ("2.5%"). */
export function percentDecimals(step: number): number {
  return decimalsOf(roundTo(step * 100, 12));
}

/** Decimals of a number as written in its shortest form: 0.25 → 2, 5 → 0. */
function decimalsOf(v: number): number {
  const s = String(v);
  if (s.includes('e-')) return Number(s.split('e-')[1]) + (s.split('e-')[0]?.split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

/** A tick label: a percentage with the decimals its step needs ("95%", "2.5%"), or a plain number ("0.2", "0.25"). */
export function formatTick(value: number, step: number, kind: 'percent' | 'number'): string {
  if (kind === 'percent') {
    const d = percentDecimals(step);
    return `${roundTo(value * 100, d).toFixed(d)}%`;
  }
  const d = decimalsOf(roundTo(step, 12));
  return roundTo(value, d).toFixed(d);
}
