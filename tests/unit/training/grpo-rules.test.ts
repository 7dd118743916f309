// Value-level tests of GRPO's advantages and sampling and GRPO-CARE's consistency, bonus and EMA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADVANTAGE_STD_EPS,
  AdapterWorkspace,
  DEFAULT_GRPO_CARE_CONFIG,
  DEFAULT_GRPO_CONFIG,
  MAX_OPTIONS,
  GrpoRollout,
  RolloutScratch,
  applyConsistencyBonus,
  checkViews,
  collectRollout,
  createAdapter,
  emaDue,
  emaUpdate,
  forwardBatch,
  groupAdvantages,
  presentationAgreement,
  sampleCategorical,
  sampleConsistency,
  type GrpoCareConfig,
  type TrainItem,
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
  assert.equal(DEFAULT_GRPO_CARE_CONFIG.sampleAcrossViews, true);
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

test("agreement maps each presentation's options back to original indices", () => {
  const a = createAdapter({ imageDim: 4, textDim: 3, rank: 2, numLabels: 0 }, 3, 'float64');
  randomize(a.params, 4, 0.8);
  const item: TrainItem = {
    baseLogits: Float64Array.from([0.3, -0.4, 1.1, 0]),
    image: Float64Array.from([1, -1, 0.5, 2]),
    optionText: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)),
    correct: 2,
  };
  const views = makeViews(item, 3, 2, createRng(8), 'float64');
  // A position-biased pack: the first shown option gets +2 in every view.
  const biasedViews = views.map((v) => ({ ...v, baseLogits: Float64Array.from(v.baseLogits, (x, j) => (j === 0 ? x + 2 : x)) }));
  const full = { ...item, views: biasedViews };
  const P = 3;
  const probs = new Float64Array(P * MAX_OPTIONS);
  [item, ...biasedViews].forEach((pres, k) => probs.set(forwardBatch(a, [pres]).probs, k * MAX_OPTIONS));
  const out = new Float64Array(MAX_OPTIONS);
  presentationAgreement(full, probs, MAX_OPTIONS, P, 'probability', out);
  for (let o = 0; o < 4; o++) {
    let expected = probs[o]!;
    biasedViews.forEach((v, k) => {
      expected += probs[(k + 1) * MAX_OPTIONS + Array.from(v.originalIndex).indexOf(o)]!;
    });
    assert.ok(Math.abs(out[o]! - expected / P) < 1e-15);
  }
  assert.ok(Math.abs(out.subarray(0, 4).reduce((x, y) => x + y, 0) - 1) < 1e-12);
  presentationAgreement(full, probs, MAX_OPTIONS, P, 'argmax', out);
  const greedy = [0, 1, 2].map((k) => {
    const p = Array.from(probs.subarray(k * MAX_OPTIONS, k * MAX_OPTIONS + 4));
    const j = p.indexOf(Math.max(...p));
    return k === 0 ? j : biasedViews[k - 1]!.originalIndex[j]!;
  });
  for (let o = 0; o < 4; o++) assert.equal(out[o], greedy.filter((g) => g === o).length / P);
  assert.equal(sampleConsistency(0.4, 0.2, true), 0.30000000000000004);
  assert.equal(sampleConsistency(0.4, 0.2, false), 0.4);
  assert.throws(() => checkViews({ ...item, views: [{ ...views[0]!, originalIndex: [0, 0, 1, 2] }] }), /permutation/);
});

test('GRPO-CARE samples round-robin over presentations and maps answers back', () => {
  const a = createAdapter({ imageDim: 4, textDim: 3, rank: 2 }, 3, 'float64');
  randomize(a.params, 4, 0.8);
  const item: TrainItem = {
    baseLogits: Float64Array.from([0.3, -0.4, 1.1, 0]),
    image: Float64Array.from([1, -1, 0.5, 2]),
    optionText: Float64Array.from({ length: 12 }, (_, i) => Math.cos(i)),
    correct: 2,
  };
  const views = makeViews(item, 3, 2, createRng(9), 'float64');
  const cfg = { ...DEFAULT_GRPO_CARE_CONFIG, groupSize: 6 };
  const r = collectRollout(a, a, [{ ...item, views }], cfg, cfg, createRng(1), new RolloutScratch(new AdapterWorkspace(a.config)), new GrpoRollout());
  assert.deepEqual(Array.from(r.viewOf!.subarray(0, 6)), [0, 1, 2, 0, 1, 2]);
  for (let i = 0; i < 6; i++) {
    const k = r.viewOf![i]!;
    const o = k === 0 ? r.answers[i]! : views[k - 1]!.originalIndex[r.answers[i]!]!;
    assert.equal(r.originalAnswers[i], o);
    assert.equal(r.rewards[i]! >= 1, o === 2);
    assert.ok(r.consistency[i]! > 0 && r.consistency[i]! < 1);
  }
  const noViews: GrpoCareConfig = { ...cfg, sampleAcrossViews: false };
  const off = collectRollout(a, a, [{ ...item, views }], noViews, noViews, createRng(1), new RolloutScratch(new AdapterWorkspace(a.config)), new GrpoRollout());
  assert.equal(off.viewOf, null);
  assert.deepEqual(Array.from(off.answers.subarray(0, 6)), Array.from(off.originalAnswers.subarray(0, 6)));
});

test('EMA reference: d·ref + (1 − d)·θ, due every interval steps', () => {
  const ref = Float64Array.from([1, 2]);
  emaUpdate(ref, [3, -2], 0.995);
  assert.ok(Math.abs(ref[0]! - (0.995 + 0.005 * 3)) < 1e-15 && Math.abs(ref[1]! - (1.99 - 0.01)) < 1e-15);
  assert.deepEqual(
    [1, 9, 10, 11, 20].map((s) => emaDue(s, 10)),
    [false, false, true, false, true],
  );
});
