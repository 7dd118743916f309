// Group-relative advantages for GRPO (Shao et al. 2024, DeepSeekMath §4.1.2):
//   A_i = (r_i − mean_group(r)) / (std + ε)
// with std taken over the group ("group"), over the whole batch ("batch", as in TRL's
// scale_rewards="batch"), or not at all ("none", Dr. GRPO, Liu et al. 2025).
// std is the unbiased sample standard deviation (torch.std's default, as in TRL).

export type AdvantageScale = 'group' | 'batch' | 'none';
export const ADVANTAGE_SCALES: readonly AdvantageScale[] = ['group', 'batch', 'none'];

/** ε added to the standard deviation, as in TRL's GRPOTrainer. */
export const ADVANTAGE_STD_EPS = 1e-4;

/** Unbiased standard deviation of xs[lo..hi); 0 when fewer than two values. */
export function sampleStd(xs: ArrayLike<number>, lo: number, hi: number): number {
  const n = hi - lo;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = lo; i < hi; i++) mean += xs[i]!;
  mean /= n;
  let ss = 0;
  for (let i = lo; i < hi; i++) {
    const d = xs[i]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/**
 * Writes advantages for `rewards` laid out as consecutive groups of `groupSize` (one group per
 * prompt) into `out` (same length).
 */
export function groupAdvantages(rewards: ArrayLike<number>, count: number, groupSize: number, scale: AdvantageScale, out: Float64Array): void {
  if (count % groupSize !== 0) throw new RangeError(`reward count ${count} is not a multiple of group size ${groupSize}`);
  const batchStd = scale === 'batch' ? sampleStd(rewards, 0, count) : 0;
  for (let lo = 0; lo < count; lo += groupSize) {
    const hi = lo + groupSize;
    let mean = 0;
    for (let i = lo; i < hi; i++) mean += rewards[i]!;
    mean /= groupSize;
    const denom = scale === 'none' ? 1 : (scale === 'batch' ? batchStd : sampleStd(rewards, lo, hi)) + ADVANTAGE_STD_EPS;
    for (let i = lo; i < hi; i++) out[i] = (rewards[i]! - mean) / denom;
  }
}
