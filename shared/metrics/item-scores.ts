// Per-item quantities every aggregate is a mean of: Accuracy@1, expected Pass@1, the Pass@k curve.
import { top1Correct } from './accuracy.ts';
import type { ItemResult } from './item-result.ts';
import { estimatedPassAtKCurve, exactPassAtKCurve } from './pass-at-k.ts';

export interface ItemScores {
  /** Greedy correctness (greedyCorrect when given, else argmax of probs). */
  acc1: 0 | 1;
  /** Expected Pass@1: p_correct, or c/n for sampled items. */
  pass1: number;
  /** Pass@k for k = 1..maxK (entry k−1); NaN where not estimable (k > n samples). */
  passCurve: Float64Array;
  /** Option count, 0 for free-form items without option probabilities. */
  options: number;
}

export function scoreItem(r: ItemResult, maxK: number): ItemScores {
  const hasProbs = r.probs.length > 0 && r.correct !== null;
  const acc1: 0 | 1 = r.greedyCorrect !== undefined ? (r.greedyCorrect ? 1 : 0) : hasProbs ? top1Correct(r.probs, r.correct as number) : 0;
  if (r.samples) {
    return { acc1, pass1: r.samples.c / r.samples.n, passCurve: estimatedPassAtKCurve(r.samples.n, r.samples.c, maxK), options: r.probs.length };
  }
  if (!hasProbs) throw new Error(`item ${r.item}: needs option probabilities or samples`);
  const p = r.probs[r.correct as number] as number;
  return { acc1, pass1: p, passCurve: exactPassAtKCurve(p, maxK), options: r.probs.length };
}
