// All metrics of one group of items (design.md §3), with intervals.
import { createRng } from '../random.ts';
import { bootstrapColumnMeans, percentileInterval } from './bootstrap.ts';
import { brierScore, entropyNats, expectedCalibrationError } from './calibration.ts';
import type { MetricsConfig } from './config.ts';
import type { ItemResult } from './item-result.ts';
import type { ItemScores } from './item-scores.ts';
import { letterBias } from './letter-bias.ts';
import { chancePassAtKCurve } from './pass-at-k.ts';
import type { GroupMetrics } from './report-schema.ts';
import { wilsonInterval, type Interval } from './wilson.ts';

/** Mean of a column in index order; NaN propagates. */
function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}

/**
 * Metrics of the items `items[i]`, with `scores[i]` precomputed by `scoreItem` for maxK ≥ max(config.ks).
 * `seed` drives this group's bootstrap.
 */
export function computeGroupMetrics(items: readonly ItemResult[], scores: readonly ItemScores[], config: MetricsConfig, seed: number): GroupMetrics {
  const n = items.length;
  if (n === 0 || scores.length !== n) throw new RangeError('a group needs at least one item and one score per item');
  const acc1Col = Float64Array.from(scores, (s) => s.acc1);
  const hits = scores.reduce((t, s) => t + s.acc1, 0);
  const acc1 = hits / n;
  const pass1Expected = mean(Float64Array.from(scores, (s) => s.pass1));

  const passCols = config.ks.map((k) => Float64Array.from(scores, (s) => s.passCurve[k - 1] as number));
  const replicates = bootstrapColumnMeans([acc1Col, ...passCols], config.bootstrapSamples, createRng(seed));
  const acc1Reps = replicates[0] as Float64Array;

  const withOptions = items.filter((r) => r.probs.length > 0 && r.correct !== null) as (ItemResult & { correct: number })[];
  const chanceCurves = new Map<number, Float64Array>();
  const maxK = config.ks[config.ks.length - 1] as number;
  const chanceCurve = (m: number): Float64Array => {
    let c = chanceCurves.get(m);
    if (!c) chanceCurves.set(m, (c = chancePassAtKCurve(m, maxK)));
    return c;
  };

  const passAtK: Record<string, number | null> = {};
  const passAtKCi: Record<string, Interval | null> = {};
  const chanceAtK: Record<string, number | null> = {};
  const supportGapAtK: Record<string, number | null> = {};
  const supportGapAtKCi: Record<string, Interval | null> = {};
  config.ks.forEach((k, j) => {
    const key = String(k);
    const value = mean(passCols[j] as Float64Array);
    const reps = replicates[j + 1] as Float64Array;
    const estimable = !Number.isNaN(value);
    passAtK[key] = estimable ? value : null;
    passAtKCi[key] = estimable ? percentileInterval(reps, config.confidence) : null;
    supportGapAtK[key] = estimable ? value - acc1 : null;
    supportGapAtKCi[key] = estimable
      ? percentileInterval(
          reps.map((v, b) => v - (acc1Reps[b] as number)),
          config.confidence,
        )
      : null;
    chanceAtK[key] = withOptions.length > 0 ? mean(withOptions.map((r) => chanceCurve(r.probs.length)[k - 1] as number)) : null;
  });

  const calibration = withOptions.length > 0 ? expectedCalibrationError(withOptions, config.eceBins) : null;
  return {
    n,
    nWithOptions: withOptions.length,
    acc1,
    acc1Ci: wilsonInterval(hits, n, config.z),
    pass1Expected,
    passAtK,
    passAtKCi,
    chanceAtK,
    supportGapAtK,
    supportGapAtKCi,
    ece: calibration ? calibration.ece : null,
    brier: withOptions.length > 0 ? mean(withOptions.map((r) => brierScore(r.probs, r.correct))) : null,
    entropy: withOptions.length > 0 ? mean(withOptions.map((r) => entropyNats(r.probs))) : null,
    letterBias: letterBias(withOptions),
    reliability: calibration ? calibration.reliability : [],
  };
}
