// Value-level tests of GRPO's advantages and sampling and GRPO-CARE's consistency, bonus and EMA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADVANTAGE_STD_EPS, AdapterWorkspace, DEFAULT_GRPO_CARE_CONFIG, DEFAULT_GRPO_CONFIG, MAX_OPTIONS,
  applyConsistencyBonus, createAdapter, emaDue, emaUpdate, forwardBatch, groupAdvantages, optionConsistency,
  sampleCategorical, type GrpoCareConfig, type TrainItem,
} from '../../../electron/training/index.ts';
import { createRng } from '../../../shared/random.ts';
import { makeViews, randomize } from './synthetic-task.ts';

test('defaults are the documented ones', () => {
  assert.equal(DEFAULT_GRPO_CONFIG.groupSize, 8);
  assert.equal(DEFAULT_GRPO_CONFIG.epsilonLow, 0.2);
  assert.equal(DEFAULT_GRPO_CONFIG.epsilonHigh, 0.28);
  assert.equal(DEFAULT_GRPO_CONFIG.beta, 0.04);
  assert.equal(DEFAULT_GRPO_CONFIG.innerIterations, 2);
  assert.equal(DEFAULT_GRPO_CONFIG.advantageScale, 'group');
  assert.equal(DEFAULT_GRPO_CARE_CONFIG.beta, 0);
  assert.equal(DEFAULT_GRPO_CARE_CONFIG.emaDecay, 0.995);
  assert.equal(DEFAULT_GRPO_CARE_CONFIG.emaInterval, 10);
  assert.equal(DEFAULT_GRPO_CARE_CONFIG.consistencyBonus, 0.5);
  assert.equal(DEFAULT_GRPO_CARE_CONFIG.consistencyMargin, 0);
});

test('group-normalised advantages for each scale', () => {
  const r = [1, 0, 0, 0, /* group 2 */ 1, 1, 0, 0];
  const out = new Float64Array(8);
  groupAdvantages(r, 8, 4, 'group', out);
  // group 1: mean 0.25, unbiased std √(0.75/3) = 0.5
  assert.ok(Math.abs(out[0]! - 0.75 / (0.5 + ADVANTAGE_STD_EPS)) < 1e-15);
  assert.ok(Math.abs(out[1]! + 0.25 / (0.5 + ADVANTAGE_STD_EPS)) < 1e-15);
  // group 2: mean 0.5, std √(1/3)
  assert.ok(Math.abs(out[4]! - 0.5 / (Math.sqrt(1 / 3) + ADVANTAGE_STD_EPS)) < 1e-15);
  groupAdvantages(r, 8, 4, 'none', out);
  assert.deepEqual(Array.from(out), [0.75, -0.25, -0.25, -0.25, 0.5, 0.5, -0.5, -0.5]);
  groupAdvantages(r, 8, 4, 'batch', out);
  // batch: mean 3/8, unbiased std √((3·(5/8)² + 5·(3/8)²)/7) = √(15/56); group means stay per group
  const std = Math.sqrt(15 / 56);
  assert.ok(Math.abs(out[0]! - 0.75 / (std + ADVANTAGE_STD_EPS)) < 1e-15);
  assert.ok(Math.abs(out[6]! + 0.5 / (std + ADVANTAGE_STD_EPS)) < 1e-15);
  // a group with identical rewards has zero advantage
  groupAdvantages([1, 1, 1, 1], 4, 4, 'group', out);
  assert.deepEqual(Array.from(out.subarray(0, 4)), [0, 0, 0, 0]);
  assert.throws(() => groupAdvantages(r, 7, 4, 'group', out), /multiple/);
});

test('categorical sampling follows p', () => {
  const rng = createRng(5);
  const p = [0.1, 0.6, 0.3];
  const counts = [0, 0, 0];
  const draws = 20000;
  for (let i = 0; i < draws; i++) counts[sampleCategorical(p, 3, rng)]!++;
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(counts[j]! / draws - p[j]!) < 0.015, `${counts}`);
});

test('consistency bonus: correct answers at or above the mean consistency of correct peers − margin', () => {
  const cfg: GrpoCareConfig = { ...DEFAULT_GRPO_CARE_CONFIG, groupSize: 6 };
  const answers = [2, 2, 0, 2, 1, 2];
  const consistency = [0.9, 0.5, 0.99, 0.7, 0.2, 0.6];
  const rewards = Float64Array.from([1, 1, 0, 1, 0, 1]);
  // correct answers (2): consistency 0.9, 0.5, 0.7, 0.6 → mean 0.675; 0.9 and 0.7 qualify
  assert.equal(applyConsistencyBonus(rewards, answers, consistency, 2, 0, cfg), 2);
  assert.deepEqual(Array.from(rewards), [1.5, 1, 0, 1.5, 0, 1]);
  const withMargin = Float64Array.from([1, 1, 0, 1, 0, 1]);
  assert.equal(applyConsistencyBonus(withMargin, answers, consistency, 2, 0, { ...cfg, consistencyMargin: 0.1 }), 3);
  const none = Float64Array.from([0, 0, 0, 0, 0, 0]);
  assert.equal(applyConsistencyBonus(none, answers, consistency, 3, 0, cfg), 0);
});

test('consistency maps permuted answers back to original option indices', () => {
  const a = createAdapter({ imageDim: 4, textDim: 3, rank: 2, numLabels: 0 }, 3, 'float64');
  randomize(a.params, 4, 0.8);
  const item: TrainItem = {
    baseLogits: Float64Array.from([0.3, -0.4, 1.1, 0]), image: Float64Array.from([1, -1, 0.5, 2]),
    optionText: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)), correct: 2,
  };
  const views = makeViews(item, 3, 3, createRng(8), 'float64');
  const original = forwardBatch(a, [item]).probs;
  // Permutation invariance of this policy: each view's probabilities, mapped back, equal the original.
  for (const v of views) {
    const pv = forwardBatch(a, [v]).probs;
    for (let j = 0; j < 4; j++) assert.ok(Math.abs(pv[j]! - original[v.originalIndex[j]!]!) < 1e-12);
  }
  const scratch = {
    logits: new Float64Array(MAX_OPTIONS), probs: new Float64Array(MAX_OPTIONS),
    viewProbs: new Float64Array(MAX_OPTIONS), agreement: new Float64Array(MAX_OPTIONS),
  };
  const out = new Float64Array(MAX_OPTIONS);
  const ws = new AdapterWorkspace(a.config);
  optionConsistency(a, { ...item, views }, 'probability', ws, scratch, out);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(out[j]! - original[j]!) < 1e-12);
  optionConsistency(a, { ...item, views }, 'argmax', ws, scratch, out);
  const best = original.indexOf(Math.max(...original));
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(out[j]! - 0.5 * (original[j]! + (j === best ? 1 : 0))) < 1e-12);
  // A view whose option order disagrees (a position-biased base) lowers the agreement of the original choice.
  const biased = { ...views[0]!, baseLogits: Float64Array.from([5, 0, 0, 0]) };
  optionConsistency(a, { ...item, views: [biased] }, 'probability', ws, scratch, out);
  const pb = forwardBatch(a, [biased]).probs;
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(out[biased.originalIndex[j]!]! - 0.5 * (original[biased.originalIndex[j]!]! + pb[j]!)) < 1e-12);
  assert.throws(() => optionConsistency(a, { ...item, views: [{ ...views[0]!, originalIndex: [0, 0, 1, 2] }] }, 'probability', ws, scratch, out), /permutation/);
});

test('EMA reference: d·ref + (1 − d)·θ, due every interval steps', () => {
  const ref = Float64Array.from([1, 2]);
  emaUpdate(ref, [3, -2], 0.995);
  assert.ok(Math.abs(ref[0]! - (0.995 + 0.005 * 3)) < 1e-15 && Math.abs(ref[1]! - (1.99 - 0.01)) < 1e-15);
  assert.deepEqual([1, 9, 10, 11, 20].map((s) => emaDue(s, 10)), [false, false, true, false, true]);
});
