import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chancePassAtK,
  computeMetricsReport,
  estimatedPassAtK,
  estimatedPassAtKCurve,
  exactPassAtK,
  exactPassAtKCurve,
  MAX_PASS_AT_K,
  normalizeKs,
} from '../../../shared/metrics/index.ts';
import { createRng } from '../../../shared/random.ts';
import { randomItems } from './random-items.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('exact Pass@K by hand', () => {
  // p = 0.5, K = 2: 1 − 0.5² = 0.75
  close(exactPassAtK(0.5, 2), 0.75);
  // p = 0.2, K = 3: 1 − 0.8³ = 1 − 0.512 = 0.488
  close(exactPassAtK(0.2, 3), 0.488);
  // p = 0.3, K = 1: 0.3
  close(exactPassAtK(0.3, 1), 0.3);
  // p = 0 never passes, p = 1 always does
  assert.equal(exactPassAtK(0, 64), 0);
  assert.equal(exactPassAtK(1, 1), 1);
});

test('unbiased estimator by hand', () => {
  // n = 5, c = 2, K = 2: 1 − C(3,2)/C(5,2) = 1 − 3/10 = 0.7
  close(estimatedPassAtK(5, 2, 2), 0.7);
  // n = 10, c = 3, K = 1: c/n = 0.3
  close(estimatedPassAtK(10, 3, 1), 0.3);
  // n = 4, c = 1, K = 4: every draw holds the correct one → 1
  assert.equal(estimatedPassAtK(4, 1, 4), 1);
  // n − c < K: C(n−c, K) = 0 → 1 (n = 6, c = 4, K = 3)
  assert.equal(estimatedPassAtK(6, 4, 3), 1);
  // c = 0 → 0
  assert.equal(estimatedPassAtK(8, 0, 5), 0);
  // n = 200, c = 3, K = 64: C(197,64)/C(200,64) = (197⋯134)/(200⋯137) telescopes to (136·135·134)/(200·199·198)
  close(estimatedPassAtKCurve(200, 3, 64)[63] as number, 1 - (136 * 135 * 134) / (200 * 199 * 198));
  assert.throws(() => estimatedPassAtK(3, 1, 4), RangeError);
  assert.ok(Number.isNaN(estimatedPassAtKCurve(3, 1, 5)[3] as number));
});

/** Fraction of all K-subsets of n samples (the first c correct) that contain a correct one. */
function enumeratePassAtK(n: number, c: number, k: number): number {
  let hit = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) bits++;
    if (bits !== k) continue;
    total++;
    if (mask & ((1 << c) - 1)) hit++;
  }
  return hit / total;
}

test('estimator equals exact enumeration of K-subsets for every n ≤ 10', () => {
  let cases = 0;
  for (let n = 1; n <= 10; n++) {
    for (let c = 0; c <= n; c++) {
      const curve = estimatedPassAtKCurve(n, c, n);
      for (let k = 1; k <= n; k++) {
        close(curve[k - 1] as number, enumeratePassAtK(n, c, k), 1e-12);
        cases++;
      }
    }
  }
  assert.equal(cases, 440); // Σ_{n=1}^{10} (c: n+1 values)·(K: n values) = Σ n² + Σ n = 385 + 55
});

test('estimator with c/n = p approaches exact Pass@K as n grows', () => {
  // n = 100000, c = 25000 vs p = 0.25, K = 8: difference O(K²/n)
  close(estimatedPassAtK(100000, 25000, 8), exactPassAtK(0.25, 8), 1e-4);
});

test('chance level by hand', () => {
  // m = 4, K = 2: 1 − (3/4)² = 7/16
  close(chancePassAtK(4, 2), 7 / 16);
  // m = 2, K = 1: 1/2; m = 5, K = 3: 1 − 0.8³ = 0.488
  close(chancePassAtK(2, 1), 0.5);
  close(chancePassAtK(5, 3), 0.488);
});

test('K values are validated and sorted', () => {
  assert.deepEqual(normalizeKs([8, 1, 2, 8]), [1, 2, 8]);
  assert.throws(() => normalizeKs([0]), RangeError);
  assert.throws(() => normalizeKs([MAX_PASS_AT_K + 1]), RangeError);
  assert.throws(() => normalizeKs([1.5]), RangeError);
  assert.throws(() => normalizeKs([]), RangeError);
});

test('property: per-item curves are non-decreasing in K for random p, n, c', () => {
  const rng = createRng(7);
  for (let t = 0; t < 2000; t++) {
    // include values near 0 and 1, where rounding could break a naive formula
    const p = t % 3 === 0 ? rng.next() ** 12 : t % 3 === 1 ? 1 - rng.next() ** 12 : rng.next();
    const exact = exactPassAtKCurve(p, MAX_PASS_AT_K);
    for (let k = 1; k < MAX_PASS_AT_K; k++) assert.ok((exact[k] as number) >= (exact[k - 1] as number), `p=${p} k=${k}`);
    const n = 1 + rng.int(80);
    const c = rng.int(n + 1);
    const est = estimatedPassAtKCurve(n, c, Math.min(n, MAX_PASS_AT_K));
    for (let k = 1; k < est.length; k++) assert.ok((est[k] as number) >= (est[k - 1] as number), `n=${n} c=${c} k=${k}`);
  }
});

test('property: aggregate Pass@K is non-decreasing in K in every group of random reports', () => {
  const ks = Array.from({ length: MAX_PASS_AT_K }, (_, i) => i + 1);
  for (let seed = 1; seed <= 20; seed++) {
    const items = randomItems(seed, 30 + seed * 7, { freeFormRate: 0.2, minSamples: 1 });
    const report = computeMetricsReport(items, { ks, bootstrapSamples: 1, seed });
    const groups = [report.overall, ...Object.values(report.byTask), ...Object.values(report.byModality), ...Object.values(report.bySplit)];
    for (const g of groups) {
      let prev = -Infinity;
      let seenNull = false;
      for (const k of ks) {
        const v = g.passAtK[String(k)];
        if (v === null || v === undefined) {
          seenNull = true;
          continue;
        }
        assert.ok(!seenNull, 'non-estimable K values form a suffix');
        assert.ok(v >= prev, `seed ${seed}: Pass@${k} = ${v} < ${prev}`);
        assert.ok(v >= 0 && v <= 1);
        prev = v;
      }
    }
  }
});
