// Named numbers of the metric definitions (design.md §3). Change them here, nowhere else.

/** K values reported by default for Pass@K, chance and support gap. */
export const DEFAULT_PASS_AT_K: readonly number[] = [1, 2, 4, 8, 16];
/** Largest K accepted anywhere (design: Pass@K for K in 1..64). */
export const MAX_PASS_AT_K = 64;
/** Equal-width confidence bins for the expected calibration error. */
export const DEFAULT_ECE_BINS = 15;
/** Bootstrap resamples over items. */
export const DEFAULT_BOOTSTRAP_SAMPLES = 1000;
/** Two-sided confidence level of every interval. */
export const DEFAULT_CONFIDENCE = 0.95;
/** Standard-normal quantile Φ⁻¹(0.975), the z of a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;
/** Seed used when the caller gives none (recorded in every report). */
export const DEFAULT_METRICS_SEED = 0;
/** Allowed |Σp − 1| for an option distribution. */
export const PROB_SUM_TOLERANCE = 1e-6;
/** Option letters, index 0 = "A". */
export const OPTION_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Fewest and most options of a multiple-choice item. */
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 26;
