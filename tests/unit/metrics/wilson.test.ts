import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalQuantile, wilsonInterval, Z_95 } from '../../../shared/metrics/index.ts';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('Wilson interval of 8/10 at z = 1.96 by hand', () => {
  // p̂ = 0.8, z² = 3.8416, denom = 1 + 3.8416/10 = 1.38416
  // centre = (0.8 + 3.8416/20) / 1.38416 = 0.99208 / 1.38416 = 0.7167379
  // half = (1.96 / 1.38416) · √(0.8·0.2/10 + 3.8416/400) = 1.4160213 · √0.025604 = 1.4160213 · 0.1600125 = 0.2265811
  // → [0.4901568, 0.9433190]
  const [lo, hi] = wilsonInterval(8, 10, 1.96);
  close(lo, 0.4901568, 1e-7);
  close(hi, 0.943319, 1e-7);
});

test('Wilson interval at 0 and n successes stays inside [0, 1] and is not degenerate', () => {
  // 0/10: centre = (z²/20)/(1 + z²/10) = half → lower bound 0; upper = 2·centre = 2·0.19208/1.38416 = 0.277540 (z = 1.96)
  const [lo0, hi0] = wilsonInterval(0, 10, 1.96);
  close(lo0, 0, 1e-12);
  close(hi0, 0.27754, 1e-5);
  const [lo1, hi1] = wilsonInterval(10, 10, 1.96);
  close(lo1, 1 - 0.27754, 1e-5);
  close(hi1, 1, 1e-12);
});

test('default z is the 95% normal quantile and matches the quantile function', () => {
  close(normalQuantile(0.975), Z_95, 1e-8);
  close(normalQuantile(0.5), 0, 1e-12);
  close(normalQuantile(0.995), 2.5758293035489, 1e-8);
  close(normalQuantile(0.001), -3.0902323061678, 1e-8);
  assert.deepEqual(wilsonInterval(8, 10), wilsonInterval(8, 10, Z_95));
});

test('Wilson interval rejects impossible counts', () => {
  assert.throws(() => wilsonInterval(11, 10), RangeError);
  assert.throws(() => wilsonInterval(0, 0), RangeError);
});
