// GRPO-CARE (Chen et al. 2025, "GRPO-CARE: Consistency-Aware Reinforcement Learning for
// Multimodal Reasoning", arXiv:2506.16141), adapted to answer-only multiple choice:
// - the KL anchor is replaced by a slowly updated reference: an EMA of the policy,
//   ref ← d·ref + (1 − d)·θ every `emaInterval` trainer steps;
// - each sampled answer a gets a consistency score from that reference,
//     c(a) = ½ (π_ref(a | original order) + agreement(a)),
//   where agreement(a) is the reference's mean probability of the same option (mapped back to
//   its original index) over the supplied option-order permutations ('probability'), or the
//   fraction of permutations whose greedy choice maps back to a ('argmax'); without
//   permutations c(a) = π_ref(a);
// - a correct answer whose c ≥ mean c over the group's correct answers − margin gets
//   `consistencyBonus` added to its reward (the paper's group-relative, adaptive bonus).
import { forwardItem, type Adapter, type AdapterWorkspace } from './adapter.ts';
import type { FloatArray } from './float-array.ts';
import { DEFAULT_GRPO_CONFIG, type GrpoConfig } from './grpo-loss.ts';
import { argmax, softmaxInto } from './softmax.ts';
import type { TrainItem } from './train-item.ts';

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
}

export type GrpoCareConfig = GrpoConfig & CareKnobs;

export const DEFAULT_EMA_DECAY = 0.995;
export const DEFAULT_EMA_INTERVAL = 10;
export const DEFAULT_CONSISTENCY_BONUS = 0.5;
export const DEFAULT_CONSISTENCY_MARGIN = 0;
/** CARE replaces the KL penalty with the consistency bonus, so β defaults to 0. */
export const DEFAULT_CARE_BETA = 0;

export const DEFAULT_GRPO_CARE_CONFIG: Readonly<GrpoCareConfig> = Object.freeze({
  ...DEFAULT_GRPO_CONFIG,
  beta: DEFAULT_CARE_BETA,
  emaDecay: DEFAULT_EMA_DECAY,
  emaInterval: DEFAULT_EMA_INTERVAL,
  consistencyBonus: DEFAULT_CONSISTENCY_BONUS,
  consistencyMargin: DEFAULT_CONSISTENCY_MARGIN,
  agreement: 'probability',
});

/** Scratch for the consistency computation (m ≤ MAX_OPTIONS). */
export interface CareScratch {
  logits: Float64Array;
  probs: Float64Array;
  viewProbs: Float64Array;
  agreement: Float64Array;
}

function checkPermutation(originalIndex: ArrayLike<number>, m: number, seen: Float64Array): void {
  if (originalIndex.length !== m) throw new RangeError(`permuted view has ${originalIndex.length} options, item has ${m}`);
  seen.fill(0, 0, m);
  for (let j = 0; j < m; j++) {
    const o = originalIndex[j]!;
    if (!Number.isInteger(o) || o < 0 || o >= m || seen[o] !== 0) throw new RangeError('permuted view originalIndex is not a permutation');
    seen[o] = 1;
  }
}

/**
 * Writes the consistency score c(j) of every original option j of `item` under the reference
 * policy into `out[0..m)`; returns m.
 */
export function optionConsistency(
  reference: Adapter, item: TrainItem, mode: AgreementMode, ws: AdapterWorkspace, scratch: CareScratch, out: Float64Array,
): number {
  const m = item.baseLogits.length;
  const T = reference.config.temperature;
  forwardItem(reference, item, ws, scratch.logits);
  softmaxInto(scratch.logits, m, T, scratch.probs);
  const views = item.views ?? [];
  if (views.length === 0) {
    for (let j = 0; j < m; j++) out[j] = scratch.probs[j]!;
    return m;
  }
  const agree = scratch.agreement;
  agree.fill(0, 0, m);
  for (const view of views) {
    checkPermutation(view.originalIndex, m, scratch.viewProbs);
    forwardItem(reference, view, ws, scratch.logits);
    softmaxInto(scratch.logits, m, T, scratch.viewProbs);
    if (mode === 'argmax') {
      const o = view.originalIndex[argmax(scratch.viewProbs, m)]!;
      agree[o] = agree[o]! + 1;
    } else {
      for (let j = 0; j < m; j++) {
        const o = view.originalIndex[j]!;
        agree[o] = agree[o]! + scratch.viewProbs[j]!;
      }
    }
  }
  const inv = 1 / views.length;
  for (let j = 0; j < m; j++) out[j] = 0.5 * (scratch.probs[j]! + agree[j]! * inv);
  return m;
}

/**
 * Adds the consistency bonus in place to rewards[offset..offset+G) of one group; `consistency`
 * is per sample. Returns how many answers received it.
 */
export function applyConsistencyBonus(
  rewards: Float64Array, answers: ArrayLike<number>, consistency: ArrayLike<number>, correct: number,
  offset: number, cfg: GrpoCareConfig,
): number {
  let n = 0;
  let sum = 0;
  for (let i = offset; i < offset + cfg.groupSize; i++) {
    if (answers[i] === correct) { n++; sum += consistency[i]!; }
  }
  if (n === 0) return 0;
  const threshold = sum / n - cfg.consistencyMargin;
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
