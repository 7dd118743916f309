// Hand-computed cases for the support guard's rules (shared/recipe/support-guard.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapHalfWidth, checksBelow, guardApplies, guardMargin, guardTrips } from '../../../shared/recipe/support-guard.ts';
import { chanceByTask, chancePassAtK } from '../../../shared/recipe/informative-k.ts';
import { createRng } from '../../../shared/random.ts';

test('persistence: one validation below baseline − margin does not trip; two in a row do; a recovery resets the count', () => {
  const baseline = 0.7;
  const margin = 0.05;
  let below = 0;
  const trips: boolean[] = [];
  // 0.64 < 0.65 (below), 0.66 (not), 0.60 (below), 0.61 (below → trips)
  for (const p of [0.64, 0.66, 0.6, 0.61]) {
    below = checksBelow(below, p, baseline, margin);
    trips.push(guardTrips(below, 2));
  }
  assert.deepEqual(trips, [false, false, false, true]);
  assert.equal(checksBelow(0, 0.65, baseline, margin), 0, 'exactly at baseline − margin is not a drop');
  assert.equal(guardTrips(1, 1), true, 'persistence 1 trips on the first drop');
});

test('margin: the larger of the floor and the bootstrap half-width; the half-width is that of the percentile interval of the mean', () => {
  assert.equal(guardMargin(0.02, 0.07), 0.07);
  assert.equal(guardMargin(0.05, 0.01), 0.05);
  // constant values: every resample has the same mean, so the interval has no width
  assert.equal(bootstrapHalfWidth([0.8, 0.8, 0.8, 0.8], 200, createRng(1)), 0);
  assert.equal(bootstrapHalfWidth([1], 200, createRng(1)), 0, 'one item: no interval');
  // half zeros, half ones over 100 items: the mean's standard error is 0.05, so the 95% half-width is about 1.96 × 0.05
  const values = Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : 0));
  const hw = bootstrapHalfWidth(values, 4000, createRng(7));
  assert.ok(Math.abs(hw - 0.098) < 0.01, `half-width ${hw}`);
});

test('saturation: never judged at a K whose chance level reaches the target in some task', () => {
  // two options: chance Pass@8 = 1 − 0.5^8 = 0.99609375; four options: chance Pass@2 = 1 − 0.75^2 = 0.4375
  assert.equal(chancePassAtK(2, 8), 0.99609375);
  assert.equal(guardApplies([chancePassAtK(2, 8), chancePassAtK(4, 8)], 0.8), false);
  assert.equal(guardApplies([chancePassAtK(2, 2), chancePassAtK(4, 2)], 0.8), true);
  assert.equal(guardApplies([0.8], 0.8), false, 'chance equal to the target is saturated');
});

test('chance level per task: item-weighted mean over its option counts; free-form groups left out', () => {
  const c = chanceByTask(
    [
      { task: 'a', m: 2, n: 3 },
      { task: 'a', m: 4, n: 1 },
      { task: 'b', m: 8, n: 5 },
      { task: 'c', m: 0, n: 9 },
    ],
    2,
  );
  // a: (3 × 0.75 + 1 × 0.4375) / 4 = 0.671875; b: 1 − (7/8)² = 0.234375
  assert.deepEqual(
    [...c],
    [
      ['a', 0.671875],
      ['b', 0.234375],
    ],
  );
});
