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
