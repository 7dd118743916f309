// One deterministic optimisation step over a minibatch, for SFT, GRPO and GRPO-CARE.
// trainerStep never writes into its inputs: state arrays are treated as immutable, and the new
// state holds fresh copies of whatever changed. Same inputs → bit-identical outputs, so a run
// resumed from a checkpointed TrainerState continues the same trajectory.
//
// SFT:        θ ← Adam(θ, clip(∇ mean_items CE))
// GRPO/CARE:  sample G answers per item from π_old = π_θ (seeded RNG), score rewards (+ CARE's
//             consistency bonus from the reference), advantages, then μ updates
//             θ ← Adam(θ, clip(∇ L_clip+KL)) against the same samples; CARE then updates its
//             EMA reference every `emaInterval` steps.
import { createRng } from '../../shared/random.ts';
import { AdapterWorkspace, wrapAdapter, type AdapterConfig } from './adapter.ts';
import { adamStep, copyAdamState, createAdamState, type AdamConfig, type AdamState } from './adam.ts';
import { ObjectiveScratch, grpoBatchLoss, sftBatchLoss } from './batch-objectives.ts';
import { clipGradNorm } from './clip-grad.ts';
import { zerosLike, type FloatArray } from './float-array.ts';
import { emaDue, emaUpdate, type GrpoCareConfig } from './grpo-care.ts';
import type { GrpoConfig } from './grpo-loss.ts';
import { GrpoRollout, RolloutScratch, collectRollout } from './grpo-rollout.ts';
import type { TrainItem } from './train-item.ts';

export type RngState = readonly [number, number, number, number];

export interface TrainerState<A extends FloatArray = FloatArray> {
  /** Adapter parameters (flat layout of `adapterLayout`). */
  readonly params: A;
  readonly optimizer: AdamState<A>;
  /** Seeded RNG state (`Rng.state()`), advanced by GRPO sampling. */
  readonly rng: RngState;
  /** Trainer steps completed. */
  readonly step: number;
  /** GRPO: the frozen KL anchor. GRPO-CARE: the EMA reference. SFT: null. */
  readonly reference: A | null;
}

interface CommonConfig {
  adam: AdamConfig;
  /** Global L2 clip of the gradient; Infinity disables clipping. */
  maxGradNorm: number;
}

export type TrainerConfig =
  | (CommonConfig & { algorithm: 'sft' })
  | (CommonConfig & { algorithm: 'grpo'; grpo: GrpoConfig })
  | (CommonConfig & { algorithm: 'grpo-care'; grpo: GrpoCareConfig });

export interface StepMetrics {
  /** Mean loss (over μ inner iterations for GRPO). */
  loss: number;
  /** Greedy Accuracy@1 on this batch under the policy before the step. */
  accuracy: number;
  /** Mean reward of the sampled answers, bonus included (GRPO only). */
  meanReward: number | null;
  /** Mean k3 estimate of KL(π_θ ‖ π_ref) over sampled answers (GRPO only, when a reference exists). */
  meanKl: number | null;
  /** Mean consistency score of the sampled answers (GRPO-CARE only). */
  meanConsistency: number | null;
  /** Fraction of sampled answers that received the consistency bonus (GRPO-CARE only). */
  bonusFraction: number | null;
  /** Fraction of samples whose gradient the ratio clip switched off (GRPO only). */
  clipFraction: number | null;
  /** Global gradient norm before clipping (mean over μ inner iterations for GRPO). */
  gradNorm: number;
}

export interface StepResult<A extends FloatArray = FloatArray> {
  state: TrainerState<A>;
  metrics: StepMetrics;
}

/** Initial state: Adam zeroed, RNG from `seed`, reference = a copy of θ when requested (GRPO / CARE). */
export function initTrainerState<A extends FloatArray>(params: A, seed: number, withReference: boolean): TrainerState<A> {
  return {
    params: params.slice() as A,
    optimizer: createAdamState(params),
    rng: createRng(seed).state(),
    step: 0,
    reference: withReference ? (params.slice() as A) : null,
  };
}

/** Reusable buffers for `trainerStep`; results never depend on their prior contents. */
export class TrainerScratch {
  readonly objective: ObjectiveScratch;
  readonly rolloutScratch: RolloutScratch;
  readonly rollout = new GrpoRollout();
  readonly grad: FloatArray;

  constructor(
    readonly config: AdapterConfig,
    like: FloatArray,
  ) {
    const ws = new AdapterWorkspace(config);
    this.objective = new ObjectiveScratch(ws);
    this.rolloutScratch = new RolloutScratch(ws);
    this.grad = zerosLike(like);
  }

  fits(config: AdapterConfig, params: FloatArray): boolean {
    return (
      this.config.rank === config.rank &&
      this.config.textDim === config.textDim &&
      this.grad.length === params.length &&
      this.grad.constructor === params.constructor
    );
  }
}

export function trainerStep<A extends FloatArray>(
  adapterConfig: AdapterConfig,
  state: TrainerState<A>,
  batch: readonly TrainItem[],
  config: TrainerConfig,
  scratch?: TrainerScratch,
): StepResult<A> {
  if (batch.length === 0) throw new RangeError('trainerStep needs a non-empty batch');
  const s = scratch !== undefined && scratch.fits(adapterConfig, state.params) ? scratch : new TrainerScratch(adapterConfig, state.params);
  return config.algorithm === 'sft'
    ? sftStep(adapterConfig, state, batch, config, s)
    : grpoStep(adapterConfig, state, batch, config, config.algorithm === 'grpo-care' ? config.grpo : null, s);
}

function update<A extends FloatArray>(params: A, optimizer: AdamState<A>, grad: FloatArray, config: TrainerConfig): number {
  const norm = clipGradNorm(grad, config.maxGradNorm);
  adamStep(params, grad, optimizer, config.adam);
  return norm;
}

function sftStep<A extends FloatArray>(
  c: AdapterConfig,
  state: TrainerState<A>,
  batch: readonly TrainItem[],
  config: TrainerConfig,
  s: TrainerScratch,
): StepResult<A> {
  const params = state.params.slice() as A;
  const optimizer = copyAdamState(state.optimizer);
  s.grad.fill(0);
  const totals = sftBatchLoss(wrapAdapter(c, params), batch, s.objective, s.grad);
  const gradNorm = update(params, optimizer, s.grad, config);
  return {
    state: { params, optimizer, rng: state.rng, step: state.step + 1, reference: state.reference },
    metrics: {
      loss: totals.loss,
      accuracy: totals.hits / batch.length,
      meanReward: null,
      meanKl: null,
      meanConsistency: null,
      bonusFraction: null,
      clipFraction: null,
      gradNorm,
    },
  };
}

function grpoStep<A extends FloatArray>(
  c: AdapterConfig,
  state: TrainerState<A>,
  batch: readonly TrainItem[],
  config: TrainerConfig & { grpo: GrpoConfig },
  care: GrpoCareConfig | null,
  s: TrainerScratch,
): StepResult<A> {
  const g = config.grpo;
  if (g.beta !== 0 && state.reference === null) throw new RangeError('GRPO with β > 0 needs a reference policy in the trainer state');
  if (care !== null && state.reference === null) throw new RangeError('GRPO-CARE needs its EMA reference in the trainer state');
  const rng = createRng(state.rng);
  const reference = state.reference === null ? null : wrapAdapter(c, state.reference);
  const rollout = collectRollout(wrapAdapter(c, state.params), reference, batch, g, care, rng, s.rolloutScratch, s.rollout);
  const n = rollout.count;

  const params = state.params.slice() as A;
  const optimizer = copyAdamState(state.optimizer);
  const policy = wrapAdapter(c, params);
  let lossSum = 0;
  let klSum = 0;
  let clippedSum = 0;
  let normSum = 0;
  const iterations = Math.max(1, g.innerIterations);
  for (let k = 0; k < iterations; k++) {
    s.grad.fill(0);
    const totals = grpoBatchLoss(policy, batch, rollout, g, s.objective, s.grad);
    normSum += update(params, optimizer, s.grad, config);
    lossSum += totals.loss;
    klSum += totals.kl / totals.samples;
    clippedSum += totals.clipped / totals.samples;
  }

  let nextReference = state.reference;
  const stepsDone = state.step + 1;
  if (care !== null && nextReference !== null && emaDue(stepsDone, care.emaInterval)) {
    nextReference = nextReference.slice() as A;
    emaUpdate(nextReference, params, care.emaDecay);
  }
  return {
    state: { params, optimizer, rng: rng.state(), step: stepsDone, reference: nextReference },
    metrics: {
      loss: lossSum / iterations,
      accuracy: rollout.hits / batch.length,
      meanReward: rollout.rewardSum / n,
      meanKl: reference === null ? null : klSum / iterations,
      meanConsistency: care === null ? null : rollout.consistencySum / n,
      bonusFraction: care === null ? null : rollout.bonuses / n,
      clipFraction: clippedSum / iterations,
      gradNorm: normSum / iterations,
    },
  };
}
