// Accuracy@1: the greedy (argmax) answer is the correct option; ties go to the lowest index.

/** Index of the largest probability; the first one wins a tie. */
export function argmax(probs: readonly number[]): number {
  if (probs.length === 0) throw new RangeError('argmax of an empty array');
  let best = 0;
  let bestP = probs[0] as number;
  for (let i = 1; i < probs.length; i++) {
    const p = probs[i] as number;
    if (p > bestP) {
      best = i;
      bestP = p;
    }
  }
  return best;
}

/** 1 if argmax(probs) === correct, else 0. */
export function top1Correct(probs: readonly number[], correct: number): 0 | 1 {
  return argmax(probs) === correct ? 1 : 0;
}
