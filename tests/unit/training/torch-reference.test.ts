// One GRPO and one GRPO-CARE trainer step (μ = 2 inner Adam updates, clipping engaged) against
// an independent PyTorch autograd implementation (tests/reference/grpo_reference.py), float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  AdapterWorkspace,
  DEFAULT_ADAM_CONFIG,
  DEFAULT_GRPO_CARE_CONFIG,
  DEFAULT_GRPO_CONFIG,
  GrpoRollout,
  RolloutScratch,
  collectRollout,
  createAdapter,
  emaDue,
  initTrainerState,
  trainerStep,
  wrapAdapter,
  type AdapterItem,
  type TrainItem,
  type TrainerConfig,
} from '../../../electron/training/index.ts';
import { createRng } from '../../../shared/random.ts';
import { makeTask, randomize } from './synthetic-task.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';

const PYTHON = ENGINE_PYTHON;
const SCRIPT = fileURLToPath(new URL('../../reference/grpo_reference.py', import.meta.url));
const TOLERANCE = 1e-5;
const pythonMissing = enginePythonMissing();

const DV = 7;
const DT = 5;

const plainItem = (it: AdapterItem) => ({
  baseLogits: Array.from(it.baseLogits),
  image: Array.from(it.image),
  optionText: Array.from(it.optionText),
  ...(it.optionLabels ? { optionLabels: Array.from(it.optionLabels) } : {}),
});

function compare(algorithm: 'grpo' | 'grpo-care', t: { diagnostic(m: string): void }) {
  const a = createAdapter({ imageDim: DV, textDim: DT, rank: 3, scale: 0.8, temperature: 0.9, numLabels: 6 }, 1, 'float64');
  randomize(a.params, 2, 0.3);
  const items: TrainItem[] = makeTask({
    seed: 4,
    count: 6,
    numClasses: 6,
    numOptions: [2, 5],
    imageDim: DV,
    textDim: DT,
    dtype: 'float64',
    labels: true,
    views: algorithm === 'grpo-care' ? 2 : 0,
    baseLogit: (c, _a, rng) => (c ? 1 : 0) + 0.5 * rng.normal(),
  });
  const adam = { ...DEFAULT_ADAM_CONFIG, learningRate: 0.3 };
  const grpo = algorithm === 'grpo' ? { ...DEFAULT_GRPO_CONFIG, groupSize: 6 } : { ...DEFAULT_GRPO_CARE_CONFIG, groupSize: 6, emaInterval: 1 };
  const config: TrainerConfig =
    algorithm === 'grpo'
      ? { algorithm, adam, maxGradNorm: 0.5, grpo }
      : { algorithm, adam, maxGradNorm: 0.5, grpo: { ...DEFAULT_GRPO_CARE_CONFIG, groupSize: 6, emaInterval: 1 } };
  const state = initTrainerState(a.params, 3, true);
  // Reference ≠ policy, so the KL term and the consistency scores are non-trivial.
  const reference = state.reference!;
  randomize(reference, 5, 0.3);

  // The answers trainerStep will sample (same RNG state, same old policy).
  const rollout = collectRollout(
    wrapAdapter(a.config, state.params),
    wrapAdapter(a.config, reference),
    items,
    grpo,
    algorithm === 'grpo-care' ? { ...DEFAULT_GRPO_CARE_CONFIG, groupSize: 6 } : null,
    createRng(state.rng),
    new RolloutScratch(new AdapterWorkspace(a.config)),
    new GrpoRollout(),
  );
  const result = trainerStep(a.config, state, items, config);
  assert.ok(result.metrics.clipFraction! > 0, 'the second inner iteration has clipped samples');
  if (algorithm === 'grpo-care') {
    assert.ok(result.metrics.bonusFraction! > 0);
    assert.ok(rollout.viewOf !== null && rollout.viewOf.some((k) => k > 0), 'samples span several presentations');
  }

  const job = {
    config: a.config,
    grpo,
    adam,
    maxGradNorm: 0.5,
    care: algorithm === 'grpo-care' ? { ...DEFAULT_GRPO_CARE_CONFIG, emaDue: emaDue(1, 1) } : null,
    params: Array.from(state.params),
    reference: Array.from(reference),
    items: items.map((it) => ({
      ...plainItem(it),
      correct: it.correct,
      views: (it.views ?? []).map((v) => ({ ...plainItem(v), originalIndex: Array.from(v.originalIndex) })),
    })),
    answers: Array.from(rollout.originalAnswers.subarray(0, rollout.count)),
  };
  const py = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(py.status, 0, py.stderr);
  const ref = JSON.parse(py.stdout) as { losses: number[]; gradNorms: number[]; params: number[]; reference: number[] | null };

  const meanLoss = ref.losses.reduce((x, y) => x + y, 0) / ref.losses.length;
  const meanNorm = ref.gradNorms.reduce((x, y) => x + y, 0) / ref.gradNorms.length;
  let maxDiff = 0;
  result.state.params.forEach((p, i) => {
    maxDiff = Math.max(maxDiff, Math.abs(p - ref.params[i]!));
  });
  t.diagnostic(`${algorithm} vs PyTorch: max |Δθ| ${maxDiff.toExponential(2)}, loss ${result.metrics.loss} vs ${meanLoss}`);
  assert.ok(Math.abs(result.metrics.loss - meanLoss) < TOLERANCE);
  assert.ok(Math.abs(result.metrics.gradNorm - meanNorm) < TOLERANCE);
  assert.ok(maxDiff < TOLERANCE, `max parameter difference ${maxDiff}`);
  assert.ok(
    result.state.params.some((p, i) => p !== state.params[i]),
    'the step moved the parameters',
  );
  if (algorithm === 'grpo-care') {
    let refDiff = 0;
    result.state.reference!.forEach((p, i) => {
      refDiff = Math.max(refDiff, Math.abs(p - ref.reference![i]!));
    });
    assert.ok(refDiff < TOLERANCE, `EMA reference difference ${refDiff}`);
  }
}

test('one GRPO step (clip + k3 KL, μ = 2, grad clipping, Adam) matches PyTorch', { skip: pythonMissing ?? false }, (t) => {
  compare('grpo', t);
});

test('one GRPO-CARE step (consistency bonus over permutations, EMA update) matches PyTorch', { skip: pythonMissing ?? false }, (t) => {
  compare('grpo-care', t);
});
