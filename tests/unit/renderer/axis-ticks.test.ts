// Axis maths of the charts, against hand-computed cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTick, MIN_RATE_SPAN, niceTicks, percentDecimals, roundTo, valueAxis } from '../../../renderer/src/lib/format/axis-ticks.ts';

test('niceTicks: 0.95–1.00 gives every percentage point, without float noise', () => {
  // step 0.005 would give 11 ticks (> 6); 0.01 gives 95, 96 … 100 hundredths = 6 ticks
  const t = niceTicks(0.95, 1.0);
  assert.equal(t.step, 0.01);
  assert.deepEqual(t.ticks, [0.95, 0.96, 0.97, 0.98, 0.99, 1]);
  assert.equal(t.decimals, 2);
});

test('niceTicks: the odd −0.08 … 1.07 range gives 0, 0.2 … 1', () => {
  // span 1.15: step 0.1 → 0 … 1.0 = 11 ticks, too many; 0.2 → 0, 0.2, 0.4, 0.6, 0.8, 1.0 = 6
  const t = niceTicks(-0.08, 1.07);
  assert.equal(t.step, 0.2);
  assert.deepEqual(t.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

test('niceTicks uses the 2.5 multiple and integer steps when asked', () => {
  // 0–0.1 with at most 5 ticks: 0.02 → 6 ticks, 0.025 → 0, 0.025, 0.05, 0.075, 0.1 = 5
  assert.deepEqual(niceTicks(0, 0.1, 5).ticks, [0, 0.025, 0.05, 0.075, 0.1]);
  assert.equal(niceTicks(0, 0.1, 5).decimals, 3);
  // training steps 0–120, at most 7 ticks: 20 → 0, 20 … 120
  assert.deepEqual(niceTicks(0, 120, 7, { integer: true }).ticks, [0, 20, 40, 60, 80, 100, 120]);
  // 0–6000: 1000
  assert.deepEqual(niceTicks(0, 6000, 7, { integer: true }).ticks, [0, 1000, 2000, 3000, 4000, 5000, 6000]);
  // 0–3 with at most 7 ticks: integer steps only (0.5 would give 7 ticks but is not whole)
  assert.deepEqual(niceTicks(0, 3, 7, { integer: true }).ticks, [0, 1, 2, 3]);
  // 1–16 (K): 2.5 is not whole below 10, so 5 → 5, 10, 15
  assert.deepEqual(niceTicks(1, 16, 4, { integer: true }).ticks, [5, 10, 15]);
});

test('niceTicks: negative ranges, tiny ranges, a single value', () => {
  assert.deepEqual(niceTicks(-3.2, 1.1).ticks, [-3, -2, -1, 0, 1]);
  // KL values around 1e-3
  assert.deepEqual(niceTicks(0.0012, 0.0031).ticks, [0.0015, 0.002, 0.0025, 0.003]);
  assert.deepEqual(niceTicks(0.4, 0.4).ticks, [0.4]);
  assert.deepEqual(niceTicks(Number.NaN, 1).ticks, []);
});

test('roundTo removes float noise and negative zero', () => {
  assert.equal(95 * 0.01, 0.9500000000000001);
  assert.equal(roundTo(95 * 0.01, 2), 0.95);
  assert.ok(Object.is(roundTo(-0.0000001, 2), 0));
});

test('valueAxis: a 95–100% rate curve gets its own scale, not 0–100%', () => {
  const a = valueAxis([0.95, 0.97, 0.99, 1.0], { rate: true });
  // span 0.05, 6% padding = 0.003 → 0.947 … 1.003, clipped to 1 (a rate)
  assert.equal(roundTo(a.domain[0], 6), 0.947);
  assert.equal(a.domain[1], 1);
  assert.deepEqual(a.ticks, [0.95, 0.96, 0.97, 0.98, 0.99, 1]);
});

test('valueAxis: rates near 0 start at 0; rates far from it do not', () => {
  // 0.3–0.9: 0.3 ≤ half the span (0.3) → pulled to 0; top 0.9 + 6% of 0.9 = 0.954
  const near = valueAxis([0.3, 0.9], { rate: true });
  assert.equal(near.domain[0], 0);
  assert.equal(roundTo(near.domain[1], 6), 0.954);
  assert.deepEqual(near.ticks, [0, 0.2, 0.4, 0.6, 0.8]);
  // 0.5–0.8 (chance at K = 1 for 2 options up to Pass@16): 0.5 > 0.15 → the axis starts near 0.5
  const far = valueAxis([0.5, 0.8], { rate: true });
  assert.equal(roundTo(far.domain[0], 6), 0.482);
  assert.equal(roundTo(far.domain[1], 6), 0.818);
  assert.deepEqual(far.ticks, [0.5, 0.6, 0.7, 0.8]);
  // asked to include 0
  assert.equal(valueAxis([0.5, 0.8], { rate: true, includeZero: true }).domain[0], 0);
});

test('valueAxis: a flat rate is widened to the minimum span, inside 0–1', () => {
  const flat = valueAxis([0.6, 0.6], { rate: true });
  // 0.575–0.625, padded by 0.003 → 0.572–0.628
  assert.equal(roundTo(flat.domain[1] - flat.domain[0], 6), roundTo(MIN_RATE_SPAN * 1.12, 6));
  assert.deepEqual(flat.ticks, [0.58, 0.59, 0.6, 0.61, 0.62]);
  const top = valueAxis([1, 1], { rate: true });
  assert.deepEqual(
    top.domain.map((v) => roundTo(v, 6)),
    [0.947, 1],
  );
});

test('valueAxis: plain values (loss, reward and KL) are padded both ways and crossing 0 keeps negatives', () => {
  // loss 0.42–0.69: 0.42 > 0.135 → no pull; pad 0.0162 → 0.4038–0.7062
  const loss = valueAxis([0.69, 0.5, 0.42]);
  assert.deepEqual(
    loss.domain.map((v) => roundTo(v, 6)),
    [0.4038, 0.7062],
  );
  assert.deepEqual(loss.ticks, [0.45, 0.5, 0.55, 0.6, 0.65, 0.7]);
  // reward/KL −0.02 … 1.03 (the chart that showed −0.08, 0.21 … 1.07): pad 0.063 → −0.083 … 1.093
  const obj = valueAxis([-0.02, 0.1, 1.03]);
  assert.deepEqual(obj.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.ok(obj.domain[0] < 0);
  assert.deepEqual(valueAxis([]).domain, [0, 1]);
  assert.deepEqual(
    valueAxis([Number.NaN, 2, 2]).domain.map((v) => roundTo(v, 6)),
    [1.776, 2.224],
  );
});

test('formatTick: percentages with the decimals the step needs, plain numbers likewise', () => {
  assert.deepEqual(
    [0.95, 0.96, 1].map((v) => formatTick(v, 0.01, 'percent')),
    ['95%', '96%', '100%'],
  );
  assert.deepEqual(
    [0, 0.025, 0.05].map((v) => formatTick(v, 0.025, 'percent')),
    ['0.0%', '2.5%', '5.0%'],
  );
  assert.deepEqual(
    [0.572, 0.58].map((v) => formatTick(v, 0.001, 'percent')),
    ['57.2%', '58.0%'],
  );
  assert.equal(percentDecimals(0.2), 0);
  assert.deepEqual(
    [0, 0.2, 1].map((v) => formatTick(v, 0.2, 'number')),
    ['0.0', '0.2', '1.0'],
  );
  assert.deepEqual(
    [0.25, 0.5].map((v) => formatTick(v, 0.25, 'number')),
    ['0.25', '0.50'],
  );
  assert.deepEqual(
    [0.0015, 0.003].map((v) => formatTick(v, 0.0005, 'number')),
    ['0.0015', '0.0030'],
  );
  assert.deepEqual(
    [1000, 2000].map((v) => formatTick(v, 1000, 'number')),
    ['1000', '2000'],
  );
  assert.equal(formatTick(-0.0000001, 0.01, 'percent'), '0%');
});
