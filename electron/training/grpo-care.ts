// GRPO-CARE (Chen et al. 2025, "GRPO-CARE: Consistency-Aware Reinforcement Learning for
// Multimodal Reasoning", arXiv:2506.16141), adapted to answer-only multiple choice:
// - the KL anchor is replaced by a slowly updated reference: an EMA of the policy,
//   ref ← d·ref + (1 − d)·θ every `emaInterval` trainer steps;
// - the G answers of a group are sampled round-robin from the question's presentations (the
//   original option order and the caller's permuted views), and mapped back to original indices;
// - each sampled answer a, drawn from presentation k, gets a consistency score from that reference,
//     c = ½ (π_ref(a | presentation k) + agreement(a)),
//   where agreement(a) is the reference's mean probability of the same option (mapped back to
//   its original index) over all presentations ('probability'), or the fraction of
//   presentations whose greedy choice maps back to a ('argmax'); without views c = π_ref(a);
// - a correct answer whose c ≥ mean c over the group's correct answers − margin gets
//   `consistencyBonus` added to its reward (the paper's group-relative, adaptive bonus).
import type { FloatArray } from './float-array.ts';
import { DEFAULT_GRPO_CONFIG, type GrpoConfig } from './grpo-loss.ts';
import { argmax } from './softmax.ts';
import {
  DEFAULT_CARE_BETA,
  DEFAULT_CONSISTENCY_BONUS,
  DEFAULT_CONSISTENCY_MARGIN,
  DEFAULT_EMA_DECAY,
  DEFAULT_EMA_INTERVAL,
} from '../../shared/recipe/grpo-defaults.ts';
import { originalOption, type TrainItem } from './train-item.ts';

export type AgreementMode = 'probability' | 'argmax';

export interface CareKnobs {
  /** d: EMA decay of the reference policy. */
  emaDecay: number;
  /** The EMA update is applied after every `emaInterval`-th trainer step. */
  emaInterval: number;
  /** Reward added to correct answers that are at least as consistent as their correct peers. */
  consistencyBonus: number;
  /** A correct answer qualifies when c ≥ mean(c of correct peers) − margin. */
  consistencyMargin: number;
  /** How agreement across option-order permutations is measured. */
  agreement: AgreementMode;
  /**
   * Draw the G answers of a group round-robin from the original order and the item's permuted
   * views (sample i from presentation i mod P). Without this, every correct answer of a group
   * is the same option with the same consistency, so the bonus is uniform within the group and
   * group-normalised advantages cancel it.
   */
  sampleAcrossViews: boolean;
}

export type GrpoCareConfig = GrpoConfig & CareKnobs;

export { DEFAULT_CARE_BETA, DEFAULT_CONSISTENCY_BONUS, DEFAULT_CONSISTENCY_MARGIN, DEFAULT_EMA_DECAY, DEFAULT_EMA_INTERVAL };
/** Absolute slack on the bonus threshold so that rounding in the mean never splits tied scores. */
export const CONSISTENCY_TIE_TOLERANCE = 1e-12;

export const DEFAULT_GRPO_CARE_CONFIG: Readonly<GrpoCareConfig> = Object.freeze({
  ...DEFAULT_GRPO_CONFIG,
  beta: DEFAULT_CARE_BETA,
  emaDecay: DEFAULT_EMA_DECAY,
  emaInterval: DEFAULT_EMA_INTERVAL,
  consistencyBonus: DEFAULT_CONSISTENCY_BONUS,
  consistencyMargin: DEFAULT_CONSISTENCY_MARGIN,
  agreement: 'probability',
  sampleAcrossViews: true,
});

function checkPermutation(originalIndex: ArrayLike<number>, m: number, seen: Uint8Array): void {
  if (originalIndex.length !== m) throw new RangeError(`permuted view has ${originalIndex.length} options, item has ${m}`);
  seen.fill(0, 0, m);
  for (let j = 0; j < m; j++) {
    const o = originalIndex[j]!;
    if (!Number.isInteger(o) || o < 0 || o >= m || seen[o] !== 0) throw new RangeError('permuted view originalIndex is not a permutation');
    seen[o] = 1;
  }
}

/** Throws unless every view of `item` has the item's option count and a valid permutation. */
export function checkViews(item: TrainItem): void {
  const m = item.baseLogits.length;
  const seen = new Uint8Array(m);
  for (const v of item.views ?? []) {
    if (v.baseLogits.length !== m) throw new RangeError(`permuted view has ${v.baseLogits.length} options, item has ${m}`);
    checkPermutation(v.originalIndex, m, seen);
  }
}

/**
 * agreement(o) for every original option o, from the reference's probabilities of each of the
 * item's presentations (refProbs[k·stride + j], k = 0..P−1): the mean probability of o over
 * presentations ('probability') or the fraction of presentations whose greedy choice is o
 * ('argmax'). Writes out[0..m).
 */
export function presentationAgreement(
  item: TrainItem,
  refProbs: Float64Array,
  stride: number,
  presentations: number,
  mode: AgreementMode,
  out: Float64Array,
): void {
  const m = item.baseLogits.length;
  out.fill(0, 0, m);
  for (let k = 0; k < presentations; k++) {
    const p = refProbs.subarray(k * stride, k * stride + m);
    if (mode === 'argmax') {
      const o = originalOption(item, k, argmax(p, m));
      out[o] = out[o]! + 1;
    } else {
      for (let j = 0; j < m; j++) {
        const o = originalOption(item, k, j);
        out[o] = out[o]! + p[j]!;
      }
    }
  }
  for (let j = 0; j < m; j++) out[j] = out[j]! / presentations;
}

/**
 * Consistency of one sampled answer: ½ (π_ref(answer | its presentation) + agreement(answer))
 * when the item has permuted views, else π_ref(answer).
 */
export function sampleConsistency(refProbInPresentation: number, agreement: number, hasViews: boolean): number {
  return hasViews ? 0.5 * (refProbInPresentation + agreement) : refProbInPresentation;
}

/**
 * Adds the consistency bonus in place to rewards[offset..offset+G) of one group; `consistency`
 * is per sample. Returns how many answers received it.
 */
export function applyConsistencyBonus(
  rewards: Float64Array,
  answers: ArrayLike<number>,
  consistency: ArrayLike<number>,
  correct: number,
  offset: number,
  cfg: GrpoCareConfig,
): number {
  let n = 0;
  let sum = 0;
  for (let i = offset; i < offset + cfg.groupSize; i++) {
    if (answers[i] === correct) {
      n++;
      sum += consistency[i]!;
    }
  }
  if (n === 0) return 0;
  // Scores equal to the mean (e.g. all correct answers from one presentation) qualify despite rounding.
  const threshold = sum / n - cfg.consistencyMargin - CONSISTENCY_TIE_TOLERANCE;
  let given = 0;
  for (let i = offset; i < offset + cfg.groupSize; i++) {
    if (answers[i] === correct && consistency[i]! >= threshold) {
      rewards[i] = rewards[i]! + cfg.consistencyBonus;
      given++;
    }
  }
  return given;
}

/** ref ← d·ref + (1 − d)·θ, in place. */
export function emaUpdate(reference: FloatArray, params: ArrayLike<number>, decay: number): void {
  const keep = 1 - decay;
  for (let i = 0; i < reference.length; i++) reference[i] = decay * reference[i]! + keep * params[i]!;
}

/** Whether the EMA is updated after the trainer step that brings the step count to `stepsDone`. */
export function emaDue(stepsDone: number, interval: number): boolean {
  return interval > 0 && stepsDone % interval === 0;
}
