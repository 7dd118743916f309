// Finite-difference gradient checks of every loss chained through the adapter, in float64
// (the same generic code over Float64Array), with relative error < 1e-4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdapterWorkspace,
  DEFAULT_GRPO_CARE_CONFIG,
  DEFAULT_GRPO_CONFIG,
  GrpoRollout,
  ObjectiveScratch,
  RolloutScratch,
  collectRollout,
  createAdapter,
  forwardItem,
  grpoBatchLoss,
  sftBatchLoss,
  softmaxInto,
  wrapAdapter,
  type Adapter,
  type GrpoCareConfig,
  type GrpoConfig,
  type TrainItem,
} from '../../../electron/training/index.ts';
import { createRng } from '../../../shared/random.ts';
import { finiteDifferenceCheck, makeTask, randomize } from './synthetic-task.ts';

const MAX_REL_ERR = 1e-4;
const DV = 6;
const DT = 5;
const NUM_CLASSES = 7;

function setup(seed: number, opts: { labels: boolean; views?: number }): { policy: Adapter<Float64Array>; items: TrainItem[] } {
  const a = createAdapter({ imageDim: DV, textDim: DT, rank: 3, scale: 0.7, temperature: 0.8, numLabels: opts.labels ? NUM_CLASSES : 0 }, seed, 'float64');
  randomize(a.params, seed + 1, 0.4);
  const items = makeTask({
    seed,
    count: 5,
    numClasses: NUM_CLASSES,
    numOptions: [2, 6],
    imageDim: DV,
    textDim: DT,
    dtype: 'float64',
    labels: opts.labels,
    baseLogit: (_c, _a, rng) => rng.normal(),
    ...(opts.views ? { views: opts.views } : {}),
  });
  return { policy: a as Adapter<Float64Array>, items };
}

function logProbsOf(policy: Adapter, item: TrainItem): Float64Array {
  const m = item.baseLogits.length;
  const logits = new Float64Array(m);
  const p = new Float64Array(m);
  forwardItem(policy, item, new AdapterWorkspace(policy.config), logits);
  softmaxInto(logits, m, policy.config.temperature, p);
  return p.map(Math.log);
}

/** A rollout with chosen answers, ratios π_θ/π_old and advantages (for controlled clip cases). */
function controlledRollout(policy: Adapter, items: TrainItem[], G: number, ratios: number[], advantages: number[], reference: Adapter | null): GrpoRollout {
  const r = new GrpoRollout();
  r.ensure(items.length * G);
  r.hasReference = reference !== null;
  const rng = createRng(99);
  items.forEach((item, b) => {
    const lp = logProbsOf(policy, item);
    const lpRef = reference ? logProbsOf(reference, item) : null;
    for (let i = 0; i < G; i++) {
      const s = b * G + i;
      const a = rng.int(item.baseLogits.length);
      r.answers[s] = a;
      r.oldLogProb[s] = lp[a]! - Math.log(ratios[i % ratios.length]!);
      r.refLogProb[s] = lpRef ? lpRef[a]! : 0;
      r.advantages[s] = advantages[i % advantages.length]!;
    }
  });
  return r;
}

function checkGrpo(
  t: { diagnostic(msg: string): void },
  label: string,
  policy: Adapter<Float64Array>,
  items: TrainItem[],
  rollout: GrpoRollout,
  cfg: GrpoConfig,
) {
  const s = new ObjectiveScratch(new AdapterWorkspace(policy.config));
  const grad = new Float64Array(policy.params.length);
  const totals = grpoBatchLoss(policy, items, rollout, cfg, s, grad);
  const fd = finiteDifferenceCheck(policy.params, () => grpoBatchLoss(policy, items, rollout, cfg, s, null).loss, grad);
  t.diagnostic(`${label}: relative error ${fd.relErr.toExponential(2)} (‖g‖ = ${fd.analyticNorm.toExponential(2)})`);
  assert.ok(fd.analyticNorm > 1e-3, `${label}: gradient is not trivially zero`);
  assert.ok(fd.relErr < MAX_REL_ERR, `${label}: relative error ${fd.relErr}`);
  return totals;
}

test('SFT cross-entropy gradient through the adapter (with label head) matches finite differences', (t) => {
  const { policy, items } = setup(11, { labels: true });
  const s = new ObjectiveScratch(new AdapterWorkspace(policy.config));
  const grad = new Float64Array(policy.params.length);
  sftBatchLoss(policy, items, s, grad);
  const fd = finiteDifferenceCheck(policy.params, () => sftBatchLoss(policy, items, s, null).loss, grad);
  t.diagnostic(`SFT: relative error ${fd.relErr.toExponential(2)}`);
  assert.ok(fd.analyticNorm > 1e-3);
  assert.ok(fd.relErr < MAX_REL_ERR, `relative error ${fd.relErr}`);
  // Every block (U, W, H) receives gradient.
  const g = wrapAdapter(policy.config, grad);
  for (const block of [g.u, g.w, g.h]) assert.ok(block.some((x) => x !== 0));
});

test('GRPO clipped objective, clip inactive (ratios inside [1−ε_low, 1+ε_high])', (t) => {
  const { policy, items } = setup(12, { labels: false });
  const cfg: GrpoConfig = { ...DEFAULT_GRPO_CONFIG, beta: 0, groupSize: 4 };
  const rollout = controlledRollout(policy, items, 4, [1.0, 1.1, 0.9, 1.25], [1.2, -0.7, 0.4, -1.1], null);
  const totals = checkGrpo(t, 'GRPO clip inactive', policy, items, rollout, cfg);
  assert.equal(totals.clipped, 0);
});

test('GRPO clipped objective with both clip sides active and inactive', (t) => {
  const { policy, items } = setup(13, { labels: true });
  const G = 8;
  const cfg: GrpoConfig = { ...DEFAULT_GRPO_CONFIG, beta: 0, groupSize: G };
  // (ratio, sign of A): (1.5,+) clipped high, (0.5,−) clipped low, (0.7,−) clipped low,
  // (1.05,+), (0.9,−), (1.5,−), (0.5,+), (1.2,+) unclipped.
  const ratios = [1.5, 0.5, 0.7, 1.05, 0.9, 1.5, 0.5, 1.2];
  const advantages = [0.9, -1.3, -0.6, 1.1, -0.8, -0.5, 0.7, 1.4];
  const rollout = controlledRollout(policy, items, G, ratios, advantages, null);
  const totals = checkGrpo(t, 'GRPO both clip sides', policy, items, rollout, cfg);
  assert.equal(totals.clipped, 3 * items.length);
  assert.equal(totals.samples, G * items.length);
});

test('KL k3 term alone: value and gradient', (t) => {
  const { policy, items } = setup(14, { labels: false });
  const reference = createAdapter(policy.config, 5, 'float64');
  randomize(reference.params, 77, 0.4);
  const G = 6;
  const beta = 0.5;
  const cfg: GrpoConfig = { ...DEFAULT_GRPO_CONFIG, beta, groupSize: G };
  const rollout = controlledRollout(policy, items, G, [1], [0], reference);
  // Independent value: mean over samples of β (r − log r − 1), r = π_ref/π_θ.
  let expected = 0;
  items.forEach((item, b) => {
    const lp = logProbsOf(policy, item);
    for (let i = 0; i < G; i++) {
      const s = b * G + i;
      const r = Math.exp(rollout.refLogProb[s]! - lp[rollout.answers[s]!]!);
      expected += beta * (r - Math.log(r) - 1);
    }
  });
  expected /= items.length * G;
  const totals = checkGrpo(t, 'KL k3', policy, items, rollout, cfg);
  assert.ok(Math.abs(totals.loss - expected) < 1e-12, `${totals.loss} vs ${expected}`);
  assert.ok(totals.kl > 0);
});

test('GRPO clipped objective + KL (β = 0.04) with a rollout sampled from another old policy', (t) => {
  const { policy, items } = setup(15, { labels: true });
  const old = createAdapter(policy.config, 6, 'float64');
  old.params.set(policy.params);
  const perturb = createRng(3);
  for (let i = 0; i < old.params.length; i++) old.params[i] = old.params[i]! + 0.3 * perturb.normal();
  const reference = createAdapter(policy.config, 7, 'float64');
  randomize(reference.params, 8, 0.4);
  const cfg: GrpoConfig = { ...DEFAULT_GRPO_CONFIG, groupSize: 8 };
  const rollout = collectRollout(old, reference, items, cfg, null, createRng(4), new RolloutScratch(new AdapterWorkspace(policy.config)), new GrpoRollout());
  checkGrpo(t, 'GRPO + KL', policy, items, rollout, cfg);
});

test('GRPO-CARE bonus path (samples across permuted views): bonus changes advantages, gradient matches finite differences', (t) => {
  const { policy, items } = setup(16, { labels: false, views: 3 });
  // Make the correct option likely enough that groups contain several correct answers.
  const easy = items.map((it) => {
    const b = Float64Array.from(it.baseLogits);
    b[it.correct] = b[it.correct]! + 2;
    return { ...it, baseLogits: b };
  });
  const reference = createAdapter(policy.config, 9, 'float64');
  randomize(reference.params, 10, 0.4);
  const cfg: GrpoCareConfig = { ...DEFAULT_GRPO_CARE_CONFIG, groupSize: 8, consistencyBonus: 0.5 };
  const scratch = new RolloutScratch(new AdapterWorkspace(policy.config));
  const withBonus = collectRollout(policy, reference, easy, cfg, cfg, createRng(21), scratch, new GrpoRollout());
  const noBonus: GrpoCareConfig = { ...cfg, consistencyBonus: 0 };
  const plain = collectRollout(policy, reference, easy, noBonus, noBonus, createRng(21), scratch, new GrpoRollout());
  assert.ok(withBonus.viewOf !== null && withBonus.viewOf.some((k) => k > 0), 'samples come from several presentations');
  assert.deepEqual(Array.from(withBonus.answers), Array.from(plain.answers), 'same RNG → same samples');
  assert.ok(withBonus.bonuses > 0, 'some correct answers receive the bonus');
  let differs = 0;
  for (let i = 0; i < withBonus.count; i++) {
    assert.ok(withBonus.rewards[i] === plain.rewards[i] || withBonus.rewards[i] === plain.rewards[i]! + 0.5);
    if (withBonus.advantages[i] !== plain.advantages[i]) differs++;
  }
  assert.ok(differs > 0);
  checkGrpo(t, 'GRPO-CARE', policy, easy, withBonus, cfg);
});

test('float32 storage gives the same gradient as float64 to float32 precision', () => {
  const { policy, items } = setup(17, { labels: true });
  const p32 = createAdapter(policy.config, 1, 'float32');
  p32.params.set(policy.params);
  policy.params.set(p32.params); // same (float32-rounded) values in both
  const g64 = new Float64Array(policy.params.length);
  const g32 = new Float32Array(policy.params.length);
  sftBatchLoss(policy, items, new ObjectiveScratch(new AdapterWorkspace(policy.config)), g64);
  sftBatchLoss(p32, items, new ObjectiveScratch(new AdapterWorkspace(policy.config)), g32);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < g64.length; i++) {
    diff += (g64[i]! - g32[i]!) ** 2;
    norm += g64[i]! ** 2;
  }
  assert.ok(Math.sqrt(diff / norm) < 1e-5);
});
