// Seeded percentile bootstrap over items (Efron & Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13).
import type { Rng } from '../random.ts';
import type { Interval } from './wilson.ts';

/**
 * The q-quantile of ascending `sorted` values with linear interpolation between order statistics
 * (Hyndman & Fan 1996, definition 7 — numpy's default), so references can recompute it.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Central percentile interval of bootstrap replicates; null if any replicate is NaN. */
export function percentileInterval(replicates: ArrayLike<number>, confidence: number): Interval | null {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const sorted = Float64Array.from(replicates);
  if (sorted.some((v) => Number.isNaN(v))) return null;
  sorted.sort();
  const tail = (1 - confidence) / 2;
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
}

/**
 * Draws `samples` resamples of the n row indices with replacement (one shared draw for all
 * columns, so derived statistics such as gaps stay paired) and returns, per column, the
 * replicate means. A column with a NaN entry yields NaN replicates.
 */
export function bootstrapColumnMeans(columns: readonly ArrayLike<number>[], samples: number, rng: Rng): Float64Array[] {
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`bootstrap samples must be a positive integer, got ${samples}`);
  const n = columns[0]?.length ?? 0;
  if (n === 0) throw new RangeError('bootstrap over no items');
  for (const col of columns) if (col.length !== n) throw new RangeError('bootstrap columns must have equal length');
  const cols = columns.map((c) => Float64Array.from(c));
  const out = columns.map(() => new Float64Array(samples));
  const idx = new Uint32Array(n);
  for (let b = 0; b < samples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c] as Float64Array;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += col[idx[i] as number] as number;
      (out[c] as Float64Array)[b] = sum / n;
    }
  }
  return out;
}
