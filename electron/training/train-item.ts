// A training item: the frozen pack's cached view of one multiple-choice question plus its
// answer, and (for GRPO-CARE) the same question with its options reordered.
import type { AdapterItem } from './adapter.ts';

/** The same item with options reordered; its own base logits and features come from the pack. */
export interface PermutedView extends AdapterItem {
  /** originalIndex[j] = index in the original item of this view's option j (a permutation). */
  readonly originalIndex: ArrayLike<number>;
}

export interface TrainItem extends AdapterItem {
  /** Index of the correct option. */
  readonly correct: number;
  /** Option-order permutations of this item, used by GRPO-CARE's consistency score. */
  readonly views?: readonly PermutedView[];
}

/** Presentations of an item: 0 is the original option order, k ≥ 1 its (k−1)-th permuted view. */
export function presentationCount(item: TrainItem): number {
  return 1 + (item.views?.length ?? 0);
}

export function presentation(item: TrainItem, k: number): AdapterItem {
  return k === 0 ? item : item.views![k - 1]!;
}

/** Original option index of option j of presentation k. */
export function originalOption(item: TrainItem, k: number, j: number): number {
  return k === 0 ? j : item.views![k - 1]!.originalIndex[j]!;
}
