// The support guard's rules (design.md §6): while GRPO sharpens, validation Pass@K must not fall — the model must keep
// producing the right answer somewhere in K tries. What counts as a fall is chosen so that the guard measures RL, not
// noise:
//   baseline    the starting model's validation Pass@K (step 0), not the best value seen so far — a best-so-far picked
//               on the same validation set is biased upwards, so a later value "falls" from it by chance alone;
//   margin      the larger of the configured floor and the half-width of the baseline's 95% item-bootstrap interval
//               (the noise of one validation pass over these items);
//   persistence the drop must hold over `persistence` consecutive validations (default 2): one noisy check never trips;
//   saturation  never judge at a K whose chance level reaches the support target in any task (two options: chance
//               Pass@8 = 0.996, so every model "has support" and any drop is noise) — the guard then stays inactive.
// A run rolled back (or early-stopped) to step 0 kept no update: that is not a measured zero effect, and every view
// says "no update kept".
import { percentileInterval, bootstrapColumnMeans } from '../metrics/bootstrap.ts';
import type { Rng } from '../random.ts';

export const DEFAULT_GUARD_PERSISTENCE = 2;
export const GUARD_CONFIDENCE = 0.95;

/** Half-width of the percentile bootstrap interval of the mean of `perItem` (0 for fewer than two items). */
export function bootstrapHalfWidth(perItem: readonly number[], samples: number, rng: Rng, confidence = GUARD_CONFIDENCE): number {
  if (perItem.length < 2) return 0;
  const [replicates] = bootstrapColumnMeans([perItem], samples, rng) as [Float64Array];
  const ci = percentileInterval(replicates, confidence);
  return ci ? (ci[1] - ci[0]) / 2 : 0;
}

/** The margin the guard uses: the configured floor or the bootstrap half-width, whichever is larger. */
export function guardMargin(floor: number, halfWidth: number): number {
  return Math.max(floor, halfWidth);
}

/** The guard judges only at a K whose chance level stays below the support target in every task. */
export function guardApplies(chanceByTask: readonly number[], supportTarget: number): boolean {
  return chanceByTask.every((c) => c < supportTarget);
}

/** Consecutive validations below baseline − margin, after one more validation. */
export function checksBelow(previous: number, passK: number, baseline: number, margin: number): number {
  return passK < baseline - margin ? previous + 1 : 0;
}

/** The guard trips when the drop has held for `persistence` consecutive validations. */
export function guardTrips(below: number, persistence: number): boolean {
  return below >= persistence;
}
