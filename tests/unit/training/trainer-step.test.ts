import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ADAM_CONFIG,
  DEFAULT_GRPO_CARE_CONFIG,
  DEFAULT_GRPO_CONFIG,
  TrainerScratch,
  createAdapter,
  initTrainerState,
  parseTrainerState,
  trainerStateBytes,
  trainerStep,
  type TrainItem,
  type TrainerConfig,
  type TrainerState,
} from '../../../electron/training/index.ts';
import { makeTask } from './synthetic-task.ts';

const DV = 12;
const DT = 10;
const items = makeTask({
  seed: 3,
  count: 48,
  numClasses: 6,
  numOptions: [3, 5],
  imageDim: DV,
  textDim: DT,
  views: 2,
  baseLogit: (c, _a, rng) => (c ? 0.5 : 0) + 0.3 * rng.normal(),
});
const adam = { ...DEFAULT_ADAM_CONFIG, learningRate: 0.02 };
const CONFIGS: Record<string, TrainerConfig> = {
  sft: { algorithm: 'sft', adam, maxGradNorm: 1 },
  grpo: { algorithm: 'grpo', adam, maxGradNorm: 1, grpo: { ...DEFAULT_GRPO_CONFIG } },
  'grpo-care': { algorithm: 'grpo-care', adam, maxGradNorm: 1, grpo: { ...DEFAULT_GRPO_CARE_CONFIG, emaInterval: 2 } },
};

function run(algorithm: string, initSeed: number, rngSeed: number, steps: number, from?: TrainerState): TrainerState {
  const a = createAdapter({ imageDim: DV, textDim: DT }, initSeed);
  let state = from ?? initTrainerState(a.params, rngSeed, algorithm !== 'sft');
  const scratch = new TrainerScratch(a.config, a.params);
  const batchSize = 8;
  for (let k = 0; k < steps; k++) {
    const lo = (state.step * batchSize) % items.length;
    state = trainerStep(a.config, state, items.slice(lo, lo + batchSize), CONFIGS[algorithm]!, scratch).state;
  }
  return state;
}

for (const algorithm of Object.keys(CONFIGS)) {
  test(`${algorithm}: same seed → identical bytes, different seed → different bytes`, () => {
    const a = trainerStateBytes(run(algorithm, 1, 2, 5));
    const b = trainerStateBytes(run(algorithm, 1, 2, 5));
    assert.deepEqual(a, b);
    assert.notDeepEqual(trainerStateBytes(run(algorithm, 7, 2, 5)), a);
    if (algorithm !== 'sft') assert.notDeepEqual(trainerStateBytes(run(algorithm, 1, 8, 5)), a, 'sampling seed matters');
  });

  test(`${algorithm}: resuming from a checkpoint continues the same trajectory bit-for-bit`, () => {
    const straight = trainerStateBytes(run(algorithm, 1, 2, 6));
    const half = trainerStateBytes(run(algorithm, 1, 2, 3));
    const resumed = trainerStateBytes(run(algorithm, 1, 2, 3, parseTrainerState(half)));
    assert.deepEqual(resumed, straight);
    assert.notDeepEqual(half, straight);
  });
}

test('trainerStep is pure: inputs untouched, scratch reuse does not change results', () => {
  const a = createAdapter({ imageDim: DV, textDim: DT }, 4);
  const state = run('grpo-care', 4, 5, 2);
  const before = trainerStateBytes(state);
  const batch: TrainItem[] = items.slice(0, 8);
  const cfg = CONFIGS['grpo-care']!;
  const scratch = new TrainerScratch(a.config, a.params);
  trainerStep(a.config, run('grpo', 9, 9, 1), items.slice(8, 20), CONFIGS.grpo!, scratch); // dirty the scratch
  const r1 = trainerStep(a.config, state, batch, cfg, scratch);
  const r2 = trainerStep(a.config, state, batch, cfg);
  assert.deepEqual(trainerStateBytes(state), before);
  assert.deepEqual(trainerStateBytes(r1.state), trainerStateBytes(r2.state));
  assert.deepEqual(r1.metrics, r2.metrics);
});

test('metrics: which are reported for which algorithm, and their ranges', () => {
  const a = createAdapter({ imageDim: DV, textDim: DT }, 4);
  const batch = items.slice(0, 16);
  const sft = trainerStep(a.config, initTrainerState(a.params, 1, false), batch, CONFIGS.sft!).metrics;
  assert.ok(sft.loss > 0 && sft.gradNorm > 0);
  assert.equal(sft.meanReward, null);
  assert.equal(sft.meanConsistency, null);
  const care = trainerStep(a.config, initTrainerState(a.params, 1, true), batch, CONFIGS['grpo-care']!).metrics;
  assert.ok(care.meanReward! > 0 && care.meanReward! <= 1.5);
  assert.ok(care.meanConsistency! > 0 && care.meanConsistency! < 1);
  assert.ok(care.bonusFraction! > 0);
  // First step: π_θ = π_ref = π_old, so the k3 estimate is exactly 0 at the first inner iteration.
  assert.ok(care.meanKl! >= 0);
  const grpo = trainerStep(a.config, initTrainerState(a.params, 1, true), batch, {
    algorithm: 'grpo',
    adam,
    maxGradNorm: 1,
    grpo: { ...DEFAULT_GRPO_CONFIG, innerIterations: 1 },
  }).metrics;
  assert.equal(grpo.meanKl, 0);
  assert.equal(grpo.meanConsistency, null);
  assert.equal(grpo.clipFraction, 0);
});

test('a KL penalty without a reference policy is refused', () => {
  const a = createAdapter({ imageDim: DV, textDim: DT }, 4);
  assert.throws(() => trainerStep(a.config, initTrainerState(a.params, 1, false), items.slice(0, 4), CONFIGS.grpo!), /reference/);
  assert.throws(() => trainerStep(a.config, initTrainerState(a.params, 1, true), [], CONFIGS.grpo!), /non-empty/);
});
