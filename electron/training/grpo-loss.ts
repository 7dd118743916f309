// GRPO's clipped surrogate for one multiple-choice answer (token-level = answer-level here),
// with an optional KL penalty to a reference policy.
//   ρ_i = π_θ(a_i) / π_old(a_i)
//   J_i = min(ρ_i A_i, clip(ρ_i, 1 − ε_low, 1 + ε_high) A_i) − β · k3_i     (DAPO's clip-higher, Yu et al. 2025)
//   k3_i = r_i − log r_i − 1,  r_i = π_ref(a_i) / π_θ(a_i)                   (Schulman 2020, "Approximating KL divergence")
//   L = −(1 / (N·G)) Σ_items Σ_i J_i
// Gradients, with ℓ_i = log π_θ(a_i) and dℓ_i/dlogit_j = (1[j = a_i] − p_j) / T:
//   d(ρA)/dℓ = ρA where the unclipped branch is the minimum (A > 0: ρ ≤ 1 + ε_high; A < 0: ρ ≥ 1 − ε_low), else 0
//   dk3/dℓ = 1 − r
import type { AdvantageScale } from './grpo-advantages.ts';
import type { TrainItem } from './train-item.ts';
import { softmaxInto } from './softmax.ts';
import {
  DEFAULT_EPSILON_HIGH,
  DEFAULT_EPSILON_LOW,
  DEFAULT_GROUP_SIZE,
  DEFAULT_GRPO_BETA,
  DEFAULT_INNER_ITERATIONS,
} from '../../shared/recipe/grpo-defaults.ts';

export interface GrpoConfig {
  /** G: answers sampled per prompt from the old policy. */
  groupSize: number;
  /** ε_low: the ratio is clipped below at 1 − ε_low. */
  epsilonLow: number;
  /** ε_high: the ratio is clipped above at 1 + ε_high. */
  epsilonHigh: number;
  /** β: weight of the k3 KL penalty to the reference policy (0 turns it off). */
  beta: number;
  /** How rewards are normalised into advantages. */
  advantageScale: AdvantageScale;
  /** μ: optimisation steps taken on each sampled batch. */
  innerIterations: number;
  /**
   * Optional format reward added to the verifiable reward of answer `answer` (original option
   * index) of the item; 0 when absent (answer-only multiple choice has no format to check).
   */
  formatReward?: (item: TrainItem, answer: number) => number;
}

export { DEFAULT_EPSILON_HIGH, DEFAULT_EPSILON_LOW, DEFAULT_GROUP_SIZE, DEFAULT_GRPO_BETA, DEFAULT_INNER_ITERATIONS };
/** Reward for choosing the correct option (verifiable reward). */
export const CORRECT_REWARD = 1;

export const DEFAULT_GRPO_CONFIG: Readonly<GrpoConfig> = Object.freeze({
  groupSize: DEFAULT_GROUP_SIZE,
  epsilonLow: DEFAULT_EPSILON_LOW,
  epsilonHigh: DEFAULT_EPSILON_HIGH,
  beta: DEFAULT_GRPO_BETA,
  advantageScale: 'group',
  innerIterations: DEFAULT_INNER_ITERATIONS,
});

/** Verifiable reward of one answer plus the optional format reward. */
export function answerReward(cfg: GrpoConfig, item: TrainItem, answer: number): number {
  const base = answer === item.correct ? CORRECT_REWARD : 0;
  return cfg.formatReward === undefined ? base : base + cfg.formatReward(item, answer);
}

/** Fixed per-sample inputs of the surrogate for one item's group, read at [offset, offset + G). */
export interface GrpoGroup {
  /** Answer of each sample as an option index of the presentation it was sampled from. */
  answers: ArrayLike<number>;
  oldLogProb: ArrayLike<number>;
  /** log π_ref(a_i); ignored when `hasReference` is false. */
  refLogProb: ArrayLike<number>;
  hasReference: boolean;
  advantages: ArrayLike<number>;
  offset: number;
  /**
   * Presentation each sample was drawn from (0 = original order, k = the item's k-th permuted
   * view), or null when all come from the original. Only samples of presentation `view` are
   * scored against the logits passed to `grpoItemLoss`.
   */
  viewOf: ArrayLike<number> | null;
  view: number;
}

/** Running sums over the samples of a batch. */
export interface GrpoTotals {
  /** Σ weight · (−J_i) — the loss. */
  loss: number;
  /** Σ k3_i over samples with a reference. */
  kl: number;
  /** Samples whose gradient the clip switched off. */
  clipped: number;
  samples: number;
}

export function emptyGrpoTotals(): GrpoTotals {
  return { loss: 0, kl: 0, clipped: 0, samples: 0 };
}

/**
 * Adds the contribution of one item's samples drawn from one presentation to `totals` and writes `weight` · d(−Σ_i J_i)/dlogits into
 * `dLogitsOut[0..m)`; weight is 1 / (N·G) for the batch mean. `probs` is scratch (≥ m).
 */
export function grpoItemLoss(
  logits: ArrayLike<number>,
  m: number,
  temperature: number,
  group: GrpoGroup,
  cfg: GrpoConfig,
  weight: number,
  probs: Float64Array,
  dLogitsOut: Float64Array,
  totals: GrpoTotals,
): void {
  const logZ = softmaxInto(logits, m, temperature, probs);
  const lo = 1 - cfg.epsilonLow;
  const hi = 1 + cfg.epsilonHigh;
  let gSum = 0;
  dLogitsOut.fill(0, 0, m);
  for (let i = 0; i < cfg.groupSize; i++) {
    const s = group.offset + i;
    if (group.viewOf !== null && group.viewOf[s] !== group.view) continue;
    const a = group.answers[s]!;
    const adv = group.advantages[s]!;
    const logP = logits[a]! / temperature - logZ;
    const ratio = Math.exp(logP - group.oldLogProb[s]!);
    const clippedRatio = ratio < lo ? lo : ratio > hi ? hi : ratio;
    const surrogate = Math.min(ratio * adv, clippedRatio * adv);
    const active = adv > 0 ? ratio <= hi : adv < 0 ? ratio >= lo : false;
    if (adv !== 0 && !active) totals.clipped++;
    let objective = surrogate;
    // dJ/dℓ for this sample.
    let dJ = active ? ratio * adv : 0;
    if (group.hasReference) {
      const logR = group.refLogProb[s]! - logP;
      const r = Math.exp(logR);
      const k3 = r - logR - 1;
      totals.kl += k3;
      if (cfg.beta !== 0) {
        objective -= cfg.beta * k3;
        dJ -= cfg.beta * (1 - r);
      }
    }
    totals.loss -= weight * objective;
    totals.samples++;
    const g = (-weight * dJ) / temperature;
    dLogitsOut[a] = dLogitsOut[a]! + g;
    gSum += g;
  }
  for (let j = 0; j < m; j++) dLogitsOut[j] = dLogitsOut[j]! - probs[j]! * gSum;
}
