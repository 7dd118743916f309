// Tempered softmax over option logits and categorical sampling through the seeded RNG.
import type { Rng } from '../../shared/random.ts';

/**
 * Writes p = softmax(logits / T) for the first `m` entries into `out` (max-subtracted for
 * stability) and returns log Σ exp(logits/T), so log p_j = logits_j/T − logZ.
 */
export function softmaxInto(logits: ArrayLike<number>, m: number, temperature: number, out: Float64Array): number {
  let max = -Infinity;
  for (let j = 0; j < m; j++) {
    const x = logits[j]! / temperature;
    if (x > max) max = x;
  }
  let sum = 0;
  for (let j = 0; j < m; j++) {
    const e = Math.exp(logits[j]! / temperature - max);
    out[j] = e;
    sum += e;
  }
  for (let j = 0; j < m; j++) out[j] = out[j]! / sum;
  return max + Math.log(sum);
}

/** Index of the largest probability, ties to the lowest index (the Accuracy@1 rule, design §3). */
export function argmax(p: ArrayLike<number>, m: number): number {
  let best = 0;
  for (let j = 1; j < m; j++) if (p[j]! > p[best]!) best = j;
  return best;
}

/** One draw from the categorical distribution p[offset..offset+m) by inverse CDF with one `rng.next()`; returns 0..m−1. */
export function sampleCategorical(p: ArrayLike<number>, m: number, rng: Rng, offset = 0): number {
  const u = rng.next();
  let acc = 0;
  for (let j = 0; j < m - 1; j++) {
    acc += p[offset + j]!;
    if (u < acc) return j;
  }
  return m - 1;
}
