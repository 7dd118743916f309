import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adamStateBytes, adamStep, clipGradNorm, createAdamState, globalNorm, parseAdamState, type AdamConfig } from '../../../electron/training/index.ts';

const CFG: AdamConfig = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

test('Adam: two steps match the hand computation', () => {
  const p = Float64Array.from([1, -2]);
  const s = createAdamState(p);
  // Step 1, g = (0.5, −1): m = (0.05, −0.1), v = (2.5e-4, 1e-3); m̂ = (0.5, −1), v̂ = (0.25, 1)
  // Δ = 0.1 · m̂ / (√v̂ + 1e-8) = (0.1·0.5/(0.5+1e-8), −0.1·1/(1+1e-8))
  adamStep(p, [0.5, -1], s, CFG);
  assert.equal(s.t, 1);
  assert.ok(Math.abs(s.m[0]! - 0.05) < 1e-15 && Math.abs(s.m[1]! + 0.1) < 1e-15);
  assert.ok(Math.abs(s.v[0]! - 2.5e-4) < 1e-16 && Math.abs(s.v[1]! - 1e-3) < 1e-16);
  assert.ok(Math.abs(p[0]! - (1 - 0.05 / (0.5 + 1e-8))) < 1e-14);
  assert.ok(Math.abs(p[1]! - (-2 + 0.1 / (1 + 1e-8))) < 1e-14);
  // Step 2, g = (0.1, 0.2): m = (0.055, −0.07), v = (2.5975e-4, 1.039e-3);
  // bias corrections 1 − 0.9² = 0.19, 1 − 0.999² = 0.001999
  // p0 = 0.900000002 − 0.1 · (0.055/0.19) / (√(2.5975e-4/0.001999) + 1e-8) = 0.8196959064
  // p1 = −1.900000001 − 0.1 · (−0.07/0.19) / (√(1.039e-3/0.001999) + 1e-8) = −1.8488973940
  adamStep(p, [0.1, 0.2], s, CFG);
  assert.ok(Math.abs(s.m[0]! - 0.055) < 1e-15 && Math.abs(s.m[1]! + 0.07) < 1e-15);
  assert.ok(Math.abs(s.v[0]! - 2.5975e-4) < 1e-16 && Math.abs(s.v[1]! - 1.039e-3) < 1e-16);
  assert.ok(Math.abs(p[0]! - 0.8196959064) < 1e-9, `${p[0]}`);
  assert.ok(Math.abs(p[1]! + 1.848897394) < 1e-9, `${p[1]}`);
});

test('AdamW: decoupled weight decay shrinks parameters before the Adam update', () => {
  const p = Float64Array.from([2]);
  const s = createAdamState(p);
  adamStep(p, [0], s, { ...CFG, weightDecay: 0.5 });
  // g = 0 ⇒ Adam update 0; θ = 2 · (1 − 0.1·0.5) = 1.9
  assert.ok(Math.abs(p[0]! - 1.9) < 1e-15);
});

test('Adam state serialises byte-stably and round-trips', () => {
  const p = Float32Array.from([0.3, -0.2, 0.1]);
  const s = createAdamState(p);
  adamStep(p, [0.1, 0.2, -0.3], s, CFG);
  const bytes = adamStateBytes(s);
  const back = parseAdamState(bytes);
  assert.equal(back.t, 1);
  assert.deepEqual(Array.from(back.m), Array.from(s.m));
  assert.deepEqual(Array.from(back.v), Array.from(s.v));
  assert.ok(back.m instanceof Float32Array);
  assert.deepEqual(adamStateBytes(back), bytes);
  const bad = bytes.slice();
  bad[0] = 0;
  assert.throws(() => parseAdamState(bad), /magic/);
  assert.throws(() => parseAdamState(bytes.subarray(0, bytes.length - 1)), /length/);
});

test('clipGradNorm scales to the max norm only when above it and returns the pre-clip norm', () => {
  const g = Float64Array.from([3, 4]);
  assert.equal(clipGradNorm(g, 10), 5);
  assert.deepEqual(Array.from(g), [3, 4]);
  assert.equal(clipGradNorm(g, 1), 5);
  // coefficient 1 / (5 + 1e-6), as torch.nn.utils.clip_grad_norm_
  assert.ok(Math.abs(g[0]! - 3 / (5 + 1e-6)) < 1e-15 && Math.abs(g[1]! - 4 / (5 + 1e-6)) < 1e-15);
  assert.ok(Math.abs(globalNorm(g) - 1) < 1e-6);
  const h = Float32Array.from([1, 1]);
  assert.equal(clipGradNorm(h, Infinity), Math.SQRT2);
  assert.deepEqual(Array.from(h), [1, 1]);
});
