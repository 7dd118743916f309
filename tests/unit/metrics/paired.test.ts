import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, PairedComparisonSchema, type ItemResult } from '../../../shared/metrics/index.ts';
import { randomItems } from './random-items.ts';

const close = (a: number | null | undefined, b: number, tol = 1e-12) => assert.ok(typeof a === 'number' && Math.abs(a - b) <= tol, `${a} vs ${b}`);
const mc = (item: string, probs: number[], correct: number, task = 't'): ItemResult => ({ item, probs, correct, modality: 'ct', task, split: 'test' });

const RUN_A = [mc('x', [0.6, 0.4], 0), mc('y', [0.7, 0.3], 1), mc('z', [0.8, 0.2], 1, 'u')];
const RUN_B = [mc('x', [0.7, 0.3], 0), mc('y', [0.4, 0.6], 1), mc('z', [0.9, 0.1], 1, 'u')];

test('paired deltas by hand (B − A)', () => {
  const cmp = compareRuns(RUN_A, RUN_B, { ks: [1, 2], bootstrapSamples: 500, seed: 1 });
  const o = cmp.overall;
  // Accuracy@1: A right on x only (1/3); B right on x and y (2/3) → Δ = 1/3
  close(o.acc1A, 1 / 3);
  close(o.acc1B, 2 / 3);
  close(o.deltaAcc1, 1 / 3);
  // Pass@1: A (.6 + .3 + .2)/3 = 1.1/3, B (.7 + .6 + .1)/3 = 1.4/3 → Δ = 0.1
  close(o.deltaPassAtK['1'], 0.1);
  // Pass@2: A .84, .51, .36 → 1.71/3; B .91, .84, .19 → 1.94/3 → Δ = 0.23/3
  close(o.passAtKA['2'], 0.57);
  close(o.deltaPassAtK['2'], 0.23 / 3);
  // per-item Δacc ∈ {0, 1, 0}: every resample mean lies in [0, 1] and the interval covers the estimate
  const ci = o.deltaAcc1Ci;
  assert.ok(ci[0] >= 0 && ci[1] <= 1 && ci[0] <= 1 / 3 && 1 / 3 <= ci[1]);
  assert.deepEqual(Object.keys(cmp.byTask), ['t', 'u']);
  close(cmp.byTask.u?.deltaPassAtK['1'], -0.1); // z only, correct B: p .1 − .2
  assert.equal(cmp.pairing.nPaired, 3);
  PairedComparisonSchema.parse(cmp);
});

test('identical runs differ by exactly zero with a zero-width interval', () => {
  const items = randomItems(3, 80);
  const cmp = compareRuns(items, items, { bootstrapSamples: 100 });
  assert.equal(cmp.overall.deltaAcc1, 0);
  assert.deepEqual(cmp.overall.deltaAcc1Ci, [0, 0]);
  for (const k of Object.keys(cmp.overall.deltaPassAtK)) {
    assert.equal(cmp.overall.deltaPassAtK[k], 0);
    assert.deepEqual(cmp.overall.deltaPassAtKCi[k], [0, 0]);
  }
});

test('pairing is by item id and lists items found in only one run', () => {
  const cmp = compareRuns([...RUN_A, mc('only-a', [0.5, 0.5], 0)], [mc('only-b', [0.5, 0.5], 0), ...RUN_B.slice().reverse()], { bootstrapSamples: 10 });
  assert.equal(cmp.pairing.nPaired, 3);
  assert.deepEqual(cmp.pairing.onlyInA, ['only-a']);
  assert.deepEqual(cmp.pairing.onlyInB, ['only-b']);
  close(cmp.overall.deltaAcc1, 1 / 3);
});

test('runs that disagree on an item are refused', () => {
  assert.throws(() => compareRuns(RUN_A, [mc('x', [0.7, 0.3], 1)]), /item x: runs disagree on correct/);
  assert.throws(() => compareRuns(RUN_A, [mc('x', [0.7, 0.2, 0.1], 0)]), /option count/);
  assert.throws(() => compareRuns([...RUN_A, RUN_A[0] as ItemResult], RUN_B), /appears twice/);
  assert.throws(() => compareRuns(RUN_A, [mc('w', [0.5, 0.5], 0)]), /share no item/);
});
