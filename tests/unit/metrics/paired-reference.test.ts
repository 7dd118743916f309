// Cross-checks the paired comparison of two runs (shared/metrics/paired.ts: Δ Acc@1, Δ Pass@K and their paired
// bootstrap intervals) against an independent numpy script (tests/reference/paired_reference.py) that redraws the same
// resample indices from the published generator, so the intervals must agree, not just come close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, type ItemResult } from '../../../shared/metrics/index.ts';
import { createRng } from '../../../shared/random.ts';
import { findProjectNumpyPython, runReference } from './python-reference.ts';
import { randomItems } from './random-items.ts';

const TOL = 1e-9;
const KS = [1, 2, 4, 8];
const { python, reason } = findProjectNumpyPython();

interface PairedReference {
  n: number;
  acc1A: number;
  acc1B: number;
  deltaAcc1: number;
  deltaAcc1Ci: [number, number];
  passAtKA: Record<string, number>;
  passAtKB: Record<string, number>;
  deltaPassAtK: Record<string, number>;
  deltaPassAtKCi: Record<string, [number, number]>;
}

/** Run B: run A's items with every option distribution moved a little (same ids, correct answers and metadata). */
function perturbed(items: ItemResult[], seed: number): ItemResult[] {
  const rng = createRng(seed);
  return items.map((it) => {
    const raw = it.probs.map((p) => p * (0.3 + 1.4 * rng.next()) + 1e-3);
    const sum = raw.reduce((a, b) => a + b, 0);
    return { ...it, probs: raw.map((p) => p / sum) };
  });
}

test('paired deltas and their bootstrap intervals equal the numpy reference', { skip: python ? false : reason }, () => {
  for (const [seed, count, samples] of [
    [3, 40, 400],
    [11, 157, 1000],
    [29, 22, 1000],
  ] as const) {
    const a = randomItems(seed, count).filter((it) => it.probs.length > 0 && it.correct !== null);
    const b = perturbed(a, seed + 1);
    const cmp = compareRuns(a, b, { ks: KS, bootstrapSamples: samples, seed });
    const ref = runReference<PairedReference>(python as string, 'paired_reference.py', { a, b, ks: KS, samples, seed, confidence: cmp.config.confidence });
    const o = cmp.overall;
    const near = (x: number | null | undefined, y: number, what: string) =>
      assert.ok(typeof x === 'number' && Math.abs(x - y) <= TOL, `${what} (seed ${seed}): ${x} vs numpy ${y}`);
    assert.equal(o.n, ref.n);
    near(o.acc1A, ref.acc1A, 'Acc@1 A');
    near(o.acc1B, ref.acc1B, 'Acc@1 B');
    near(o.deltaAcc1, ref.deltaAcc1, 'Δ Acc@1');
    near(o.deltaAcc1Ci[0], ref.deltaAcc1Ci[0], 'Δ Acc@1 low');
    near(o.deltaAcc1Ci[1], ref.deltaAcc1Ci[1], 'Δ Acc@1 high');
    for (const k of KS.map(String)) {
      near(o.deltaPassAtK[k], ref.deltaPassAtK[k] as number, `Δ Pass@${k}`);
      near(o.deltaPassAtKCi[k]?.[0], (ref.deltaPassAtKCi[k] as [number, number])[0], `Δ Pass@${k} low`);
      near(o.deltaPassAtKCi[k]?.[1], (ref.deltaPassAtKCi[k] as [number, number])[1], `Δ Pass@${k} high`);
    }
    // The interval is not degenerate: the check above could fail.
    assert.ok(o.deltaPassAtKCi['1'] && o.deltaPassAtKCi['1'][1] - o.deltaPassAtKCi['1'][0] > 1e-3);
  }
});
