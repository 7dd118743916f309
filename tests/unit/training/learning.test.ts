// Learning sanity on a synthetic task where image and option-text features determine the answer:
// SFT lifts accuracy from chance; GRPO sharpens a policy that has support and cannot create
// support that is missing (the study's point: RL sharpens, SFT bridges).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ADAM_CONFIG,
  DEFAULT_GRPO_CARE_CONFIG,
  DEFAULT_GRPO_CONFIG,
  TrainerScratch,
  createAdapter,
  forwardBatch,
  initTrainerState,
  trainerStep,
  wrapAdapter,
  type TrainItem,
  type TrainerConfig,
  type TrainerState,
} from '../../../electron/training/index.ts';
import { accuracyOf, makeTask } from './synthetic-task.ts';

const DV = 16;
const DT = 16;
const NUM_OPTIONS = 4;
const BATCH = 32;
const TRAIN = 256;
const PASS_K = 8;
const adam = { ...DEFAULT_ADAM_CONFIG, learningRate: 0.05 };

type BaseLogit = (isCorrect: boolean, isAttractor: boolean) => number;

function train(base: BaseLogit | undefined, config: TrainerConfig, steps: number, views = 0) {
  const task = makeTask({
    seed: 1,
    count: 2 * TRAIN,
    numClasses: 8,
    numOptions: NUM_OPTIONS,
    imageDim: DV,
    textDim: DT,
    imageNoise: 0.5,
    ...(base ? { baseLogit: base } : {}),
    ...(views ? { views } : {}),
  });
  const trainItems = task.slice(0, TRAIN);
  const heldOut = task.slice(TRAIN);
  const a = createAdapter({ imageDim: DV, textDim: DT }, 5);
  const evaluate = (s: TrainerState) => {
    const policy = wrapAdapter(a.config, s.params);
    const r = accuracyOf((it: TrainItem) => forwardBatch(policy, [it]).probs, heldOut);
    // Pass@K exact (design §3) from the mean over items of 1 − (1 − p_c)^K
    let pass = 0;
    for (const it of heldOut) pass += 1 - (1 - forwardBatch(policy, [it]).probs[it.correct]!) ** PASS_K;
    return { ...r, passK: pass / heldOut.length };
  };
  let state = initTrainerState(a.params, 6, config.algorithm !== 'sft');
  const before = evaluate(state);
  const scratch = new TrainerScratch(a.config, a.params);
  for (let k = 0; k < steps; k++) {
    const lo = (k * BATCH) % TRAIN;
    state = trainerStep(a.config, state, trainItems.slice(lo, lo + BATCH), config, scratch).state;
  }
  return { before, after: evaluate(state), state, initial: a.params };
}

test('SFT raises held-out accuracy from chance to > 90%', (t) => {
  const r = train(undefined, { algorithm: 'sft', adam, maxGradNorm: 1 }, 100);
  t.diagnostic(`SFT accuracy ${r.before.acc.toFixed(3)} → ${r.after.acc.toFixed(3)}`);
  assert.ok(Math.abs(r.before.meanPCorrect - 1 / NUM_OPTIONS) < 1e-6, 'starts at chance (adapter = identity, base = 0)');
  assert.ok(r.after.acc > 0.9, `accuracy ${r.after.acc}`);
});

// The pack prefers a wrong "attractor" option (+0.8): Accuracy@1 = 0 but p_correct ≈ 0.19, Pass@8 ≈ 0.8.
const withSupport: BaseLogit = (_c, attractor) => (attractor ? 0.8 : 0);
// The correct option is effectively never produced: p_correct ≈ 3e-7.
const withoutSupport: BaseLogit = (correct) => (correct ? -14 : 0);

test('GRPO from a policy with support raises Accuracy@1 toward Pass@K', (t) => {
  const r = train(withSupport, { algorithm: 'grpo', adam, maxGradNorm: 1, grpo: { ...DEFAULT_GRPO_CONFIG } }, 100);
  t.diagnostic(
    `GRPO with support: Acc@1 ${r.before.acc.toFixed(3)} → ${r.after.acc.toFixed(3)}, Pass@8 ${r.before.passK.toFixed(3)} → ${r.after.passK.toFixed(3)}`,
  );
  assert.ok(r.before.acc < 0.05 && r.before.passK > 0.7);
  assert.ok(r.after.acc > 0.8, `Acc@1 ${r.after.acc}`);
});

test('GRPO-CARE from a policy with support also raises Accuracy@1', (t) => {
  const r = train(withSupport, { algorithm: 'grpo-care', adam, maxGradNorm: 1, grpo: { ...DEFAULT_GRPO_CARE_CONFIG } }, 100, 2);
  t.diagnostic(`GRPO-CARE with support: Acc@1 ${r.before.acc.toFixed(3)} → ${r.after.acc.toFixed(3)}`);
  assert.ok(r.after.acc > 0.8, `Acc@1 ${r.after.acc}`);
  assert.notDeepEqual(Array.from(r.state.reference!), Array.from(r.initial), 'the EMA reference moved');
});

test('GRPO from a policy whose correct option has ~0 probability barely moves', (t) => {
  const r = train(withoutSupport, { algorithm: 'grpo', adam, maxGradNorm: 1, grpo: { ...DEFAULT_GRPO_CONFIG } }, 100);
  t.diagnostic(
    `GRPO without support: Acc@1 ${r.before.acc.toFixed(3)} → ${r.after.acc.toFixed(3)}, mean p_correct ${r.before.meanPCorrect.toExponential(2)} → ${r.after.meanPCorrect.toExponential(2)}`,
  );
  assert.ok(r.before.meanPCorrect < 1e-5);
  assert.ok(Math.abs(r.after.acc - r.before.acc) <= 0.01, `Acc@1 ${r.before.acc} → ${r.after.acc}`);
  assert.ok(r.after.meanPCorrect < 1e-4);
  // while SFT on the same items does bridge the gap
  const sft = train(withoutSupport, { algorithm: 'sft', adam, maxGradNorm: 1 }, 100);
  t.diagnostic(`SFT on the same items: Acc@1 ${sft.before.acc.toFixed(3)} → ${sft.after.acc.toFixed(3)}`);
  assert.ok(sft.after.acc > 0.5, `SFT Acc@1 ${sft.after.acc}`);
});
