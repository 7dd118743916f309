import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapColumnMeans, computeMetricsReport, percentileInterval, quantileSorted, wilsonInterval } from '../../../shared/metrics/index.ts';
import { createRng } from '../../../shared/random.ts';
import { randomItems } from './random-items.ts';

test('quantiles interpolate linearly between order statistics (numpy default)', () => {
  // [1, 2, 3, 4], q = 0.25: h = 3·0.25 = 0.75 → 1 + 0.75·(2 − 1) = 1.75
  assert.equal(quantileSorted([1, 2, 3, 4], 0.25), 1.75);
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([7], 0.9), 7);
  // 0..100, 90%: tails 0.05 → h = 5 and 95
  const [lo, hi] = percentileInterval(
    Array.from({ length: 101 }, (_, i) => i),
    0.9,
  ) as [number, number];
  assert.ok(Math.abs(lo - 5) < 1e-9 && Math.abs(hi - 95) < 1e-9, `${lo}, ${hi}`);
  assert.equal(percentileInterval([0.1, Number.NaN], 0.9), null);
});

test('the same seed gives the same report, another seed other intervals', () => {
  const items = randomItems(5, 120);
  const a = computeMetricsReport(items, { seed: 42, bootstrapSamples: 300 });
  const b = computeMetricsReport(items, { seed: 42, bootstrapSamples: 300 });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  const c = computeMetricsReport(items, { seed: 43, bootstrapSamples: 300 });
  assert.notDeepEqual(c.overall.passAtKCi, a.overall.passAtKCi);
  // point estimates do not depend on the seed
  assert.deepEqual(c.overall.passAtK, a.overall.passAtK);
});

test('a group interval does not depend on which other groups exist', () => {
  const items = randomItems(6, 200);
  const full = computeMetricsReport(items, { seed: 9, bootstrapSamples: 100 });
  const onlyOrgan = computeMetricsReport(
    items.filter((r) => r.task === 'organ'),
    { seed: 9, bootstrapSamples: 100 },
  );
  assert.deepEqual(onlyOrgan.byTask.organ, full.byTask.organ);
});

test('bootstrap replicates are resamples with replacement', () => {
  // two items, values 0 and 1: a replicate mean is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4
  const [reps] = bootstrapColumnMeans([[0, 1]], 8000, createRng(1));
  const counts = new Map<number, number>();
  for (const v of reps as Float64Array) counts.set(v, (counts.get(v) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort(), [0, 0.5, 1]);
  assert.ok(Math.abs((counts.get(0.5) as number) / 8000 - 0.5) < 0.03);
  assert.ok(Math.abs((counts.get(1) as number) / 8000 - 0.25) < 0.03);
});

test('bootstrap interval of a proportion is close to the Wilson interval', () => {
  // 120 of 400 right: bootstrap percentile and Wilson agree to about 0.01 at this n
  const col = Array.from({ length: 400 }, (_, i) => (i < 120 ? 1 : 0));
  const [reps] = bootstrapColumnMeans([col], 4000, createRng(2));
  const boot = percentileInterval(reps as Float64Array, 0.95) as [number, number];
  const wil = wilsonInterval(120, 400);
  assert.ok(Math.abs(boot[0] - wil[0]) < 0.01 && Math.abs(boot[1] - wil[1]) < 0.01, `${boot} vs ${wil}`);
});

test('a constant column has a zero-width interval', () => {
  const [reps] = bootstrapColumnMeans([[0.5, 0.5, 0.5, 0.5]], 50, createRng(3));
  assert.deepEqual(percentileInterval(reps as Float64Array, 0.95), [0.5, 0.5]);
});
