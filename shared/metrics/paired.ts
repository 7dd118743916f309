// Paired comparison of two runs on the same items: Δ = run B − run A, with paired bootstrap intervals.
import { createRng, deriveSeed } from '../random.ts';
import { bootstrapColumnMeans, percentileInterval } from './bootstrap.ts';
import { resolveMetricsConfig, type MetricsConfig, type MetricsOptions } from './config.ts';
import { groupIndices, groupLabel, type GroupDimension } from './grouping.ts';
import { validateItemResults, type ItemResult } from './item-result.ts';
import { scoreItem, type ItemScores } from './item-scores.ts';
import { METRICS_REPORT_SCHEMA_VERSION, type PairedComparison, type PairedGroup } from './report-schema.ts';
import type { Interval } from './wilson.ts';

interface Pair {
  meta: ItemResult;
  a: ItemScores;
  b: ItemScores;
}

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}

function pairedGroup(pairs: readonly Pair[], config: MetricsConfig, seed: number): PairedGroup {
  const n = pairs.length;
  const acc1A = mean(pairs.map((p) => p.a.acc1));
  const acc1B = mean(pairs.map((p) => p.b.acc1));
  const diffAcc = Float64Array.from(pairs, (p) => p.b.acc1 - p.a.acc1);
  const colsA = config.ks.map((k) => Float64Array.from(pairs, (p) => p.a.passCurve[k - 1] as number));
  const colsB = config.ks.map((k) => Float64Array.from(pairs, (p) => p.b.passCurve[k - 1] as number));
  const diffPass = colsA.map((a, j) => a.map((v, i) => ((colsB[j] as Float64Array)[i] as number) - v));
  // One shared resample of the items for every column keeps the comparison paired (same items in A and B).
  const reps = bootstrapColumnMeans([diffAcc, ...diffPass], config.bootstrapSamples, createRng(seed));
  const passAtKA: Record<string, number | null> = {};
  const passAtKB: Record<string, number | null> = {};
  const deltaPassAtK: Record<string, number | null> = {};
  const deltaPassAtKCi: Record<string, Interval | null> = {};
  config.ks.forEach((k, j) => {
    const key = String(k);
    const a = mean(colsA[j] as Float64Array);
    const b = mean(colsB[j] as Float64Array);
    passAtKA[key] = Number.isNaN(a) ? null : a;
    passAtKB[key] = Number.isNaN(b) ? null : b;
    const both = !Number.isNaN(a) && !Number.isNaN(b);
    deltaPassAtK[key] = both ? b - a : null;
    deltaPassAtKCi[key] = both ? percentileInterval(reps[j + 1] as Float64Array, config.confidence) : null;
  });
  return {
    n,
    acc1A,
    acc1B,
    deltaAcc1: acc1B - acc1A,
    deltaAcc1Ci: percentileInterval(reps[0] as Float64Array, config.confidence) as Interval,
    passAtKA,
    passAtKB,
    deltaPassAtK,
    deltaPassAtKCi,
  };
}

function indexById(items: readonly ItemResult[], run: string): Map<string, ItemResult> {
  const map = new Map<string, ItemResult>();
  for (const r of items) {
    if (map.has(r.item)) throw new Error(`run ${run}: item ${r.item} appears twice`);
    map.set(r.item, r);
  }
  return map;
}

/**
 * Compares run B against run A on the items both contain (matched by `item`). Throws when a
 * matched item disagrees on correct option, option count, modality, task, split or benchmark,
 * or when no item is shared. Groups follow the items' metadata.
 */
export function compareRuns(rawA: readonly unknown[], rawB: readonly unknown[], options: MetricsOptions = {}): PairedComparison {
  const config = resolveMetricsConfig(options);
  const itemsA = validateItemResults(rawA);
  const itemsB = validateItemResults(rawB);
  const mapB = indexById(itemsB, 'B');
  const mapA = indexById(itemsA, 'A');
  const maxK = config.ks[config.ks.length - 1] as number;
  const pairs: Pair[] = [];
  for (const a of itemsA) {
    const b = mapB.get(a.item);
    if (!b) continue;
    for (const field of ['correct', 'modality', 'task', 'split', 'benchmark'] as const) {
      if (a[field] !== b[field]) throw new Error(`item ${a.item}: runs disagree on ${field} (${String(a[field])} vs ${String(b[field])})`);
    }
    if (a.probs.length !== b.probs.length) throw new Error(`item ${a.item}: runs disagree on the option count`);
    pairs.push({ meta: a, a: scoreItem(a, maxK), b: scoreItem(b, maxK) });
  }
  if (pairs.length === 0) throw new RangeError('the two runs share no item');
  const by = (dim: GroupDimension): Record<string, PairedGroup> => {
    const out: Record<string, PairedGroup> = {};
    for (const [key, idx] of groupIndices(
      pairs.map((p) => p.meta),
      dim,
    )) {
      out[key] = pairedGroup(
        idx.map((i) => pairs[i] as Pair),
        config,
        deriveSeed(config.seed, `paired:${groupLabel(dim, key)}`),
      );
    }
    return out;
  };
  const result: PairedComparison = {
    schemaVersion: METRICS_REPORT_SCHEMA_VERSION,
    config,
    pairing: {
      nPaired: pairs.length,
      onlyInA: itemsA.filter((r) => !mapB.has(r.item)).map((r) => r.item),
      onlyInB: itemsB.filter((r) => !mapA.has(r.item)).map((r) => r.item),
    },
    overall: pairedGroup(pairs, config, deriveSeed(config.seed, 'paired:overall')),
    byModality: by('modality'),
    byTask: by('task'),
    bySplit: by('split'),
  };
  if (pairs.some((p) => p.meta.benchmark !== undefined)) result.byBenchmark = by('benchmark');
  return result;
}
