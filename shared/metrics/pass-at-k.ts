// Pass@K: probability that at least one of K sampled answers is correct (design.md §3).
// Every curve is built as a running product of factors in [0, 1], so in floating point the
// miss probability can only shrink as K grows: Pass@K is non-decreasing in K by construction.
import { MAX_PASS_AT_K } from './constants.ts';

/** Sorted, de-duplicated K values; throws unless each is an integer in 1..MAX_PASS_AT_K. */
export function normalizeKs(ks: readonly number[]): number[] {
  if (ks.length === 0) throw new RangeError('at least one K is needed');
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1 || k > MAX_PASS_AT_K) throw new RangeError(`K must be an integer in 1..${MAX_PASS_AT_K}, got ${k}`);
  }
  return [...new Set(ks)].sort((a, b) => a - b);
}

/** Exact Pass@k for k = 1..maxK from one distribution: 1 − (1 − p)^k; entry k−1 holds Pass@k. */
export function exactPassAtKCurve(pCorrect: number, maxK: number): Float64Array {
  if (!(pCorrect >= 0 && pCorrect <= 1)) throw new RangeError(`p_correct must be in [0, 1], got ${pCorrect}`);
  const q = 1 - pCorrect;
  const out = new Float64Array(maxK);
  let miss = 1;
  for (let k = 1; k <= maxK; k++) {
    miss *= q;
    out[k - 1] = 1 - miss;
  }
  return out;
}

/** Exact Pass@K = 1 − (1 − p_correct)^K. */
export function exactPassAtK(pCorrect: number, k: number): number {
  normalizeKs([k]);
  return exactPassAtKCurve(pCorrect, k)[k - 1] as number;
}

/**
 * Unbiased Pass@k for k = 1..maxK from n samples with c correct: 1 − C(n−c, k)/C(n, k)
 * (Chen et al. 2021, "Evaluating Large Language Models Trained on Code", eq. 1), with the ratio
 * kept as the running product ∏_{j=0}^{k−1} (n−c−j)/(n−j) — never factorials.
 * Entries with k > n are NaN (not estimable).
 */
export function estimatedPassAtKCurve(n: number, c: number, maxK: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(c) || c < 0 || c > n) throw new RangeError(`c must be an integer in 0..n, got ${c}`);
  const out = new Float64Array(maxK).fill(Number.NaN);
  let ratio = 1;
  for (let k = 1; k <= Math.min(n, maxK); k++) {
    const wrongLeft = n - c - (k - 1);
    ratio = wrongLeft <= 0 ? 0 : ratio * (wrongLeft / (n - (k - 1)));
    out[k - 1] = 1 - ratio;
  }
  return out;
}

/** Unbiased Pass@K from n ≥ K samples with c correct. */
export function estimatedPassAtK(n: number, c: number, k: number): number {
  normalizeKs([k]);
  if (k > n) throw new RangeError(`Pass@${k} needs at least ${k} samples, got n = ${n}`);
  return estimatedPassAtKCurve(n, c, k)[k - 1] as number;
}

/** Chance level of Pass@k for k = 1..maxK with m equally likely options: 1 − (1 − 1/m)^k. */
export function chancePassAtKCurve(m: number, maxK: number): Float64Array {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`option count must be a positive integer, got ${m}`);
  return exactPassAtKCurve(1 / m, maxK);
}

/** Chance level 1 − (1 − 1/m)^K. */
export function chancePassAtK(m: number, k: number): number {
  normalizeKs([k]);
  return chancePassAtKCurve(m, k)[k - 1] as number;
}
