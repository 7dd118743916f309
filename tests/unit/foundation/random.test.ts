import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, deriveSeed, shuffled } from '../../../shared/random.ts';

test('same seed gives the same stream; a saved state continues it exactly', () => {
  const a = createRng(42);
  const b = createRng(42);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b.next()),
  );
  const saved = a.state();
  const cont = createRng(saved);
  assert.deepEqual(
    Array.from({ length: 5 }, () => a.next()),
    Array.from({ length: 5 }, () => cont.next()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 5 }, () => createRng(43).next()),
  );
});

test('uniform draws have the right mean and integer draws cover their range evenly', () => {
  const r = createRng(7);
  const n = 200_000;
  let sum = 0;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < n; i++) {
    sum += r.next();
    counts[r.int(10)]!++;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.005, `mean ${sum / n}`);
  // Chi-square with 9 degrees of freedom: the 99.9% quantile is 27.9.
  const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
  assert.ok(chi2 < 27.9, `chi2 ${chi2}`);
});

test('normal draws have mean 0 and variance 1', () => {
  const r = createRng(11);
  const n = 100_000;
  let s = 0,
    s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s / n) < 0.02);
  assert.ok(Math.abs(s2 / n - 1) < 0.02);
});

test('shuffle is a permutation, deterministic per seed; derived seeds differ by label', () => {
  const items = Array.from({ length: 20 }, (_, i) => i);
  const s1 = shuffled(items, createRng(1));
  assert.deepEqual(
    [...s1].sort((a, b) => a - b),
    items,
  );
  assert.deepEqual(s1, shuffled(items, createRng(1)));
  assert.notDeepEqual(s1, items);
  assert.notEqual(deriveSeed(1, 'a'), deriveSeed(1, 'b'));
  assert.equal(deriveSeed(1, 'a'), deriveSeed(1, 'a'));
});
