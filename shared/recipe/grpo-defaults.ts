// The GRPO and GRPO-CARE defaults, written once: the run-config schema (shared/api/training.ts) defaults to them and
// the trainer (electron/training/grpo-loss.ts, grpo-care.ts) builds its default configs from them.
// GRPO: group size G, clip range [1 − ε_low, 1 + ε_high] (the asymmetric "clip-higher" bounds), KL weight β to the
// reference policy, μ optimisation steps per sampled batch. GRPO-CARE (arXiv:2506.16141): an EMA reference instead of
// the KL penalty (so β = 0), refreshed every `emaInterval` steps, and a consistency bonus for answers that agree
// across presentations.

export const DEFAULT_GROUP_SIZE = 8;
export const DEFAULT_EPSILON_LOW = 0.2;
export const DEFAULT_EPSILON_HIGH = 0.28;
export const DEFAULT_GRPO_BETA = 0.04;
export const DEFAULT_INNER_ITERATIONS = 2;

export const DEFAULT_EMA_DECAY = 0.995;
export const DEFAULT_EMA_INTERVAL = 10;
export const DEFAULT_CONSISTENCY_BONUS = 0.5;
export const DEFAULT_CONSISTENCY_MARGIN = 0;
/** CARE replaces the KL penalty with the consistency bonus, so β defaults to 0. */
export const DEFAULT_CARE_BETA = 0;

/** β of a run whose config gives none: DEFAULT_CARE_BETA for GRPO-CARE, DEFAULT_GRPO_BETA otherwise. */
export function defaultBeta(algorithm: string): number {
  return algorithm === 'grpo-care' ? DEFAULT_CARE_BETA : DEFAULT_GRPO_BETA;
}
