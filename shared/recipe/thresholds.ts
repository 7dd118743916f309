// Thresholds of the bridge-then-sharpen rule (design.md §1). Users may change every one; these are the defaults.
import { z } from 'zod';

/** Perception bottleneck when the probe is more than this (accuracy points) below the vision-only reference. */
export const DEFAULT_PERCEPTION_MARGIN = 0.1;
/** Support is present when Pass@K reaches this. */
export const DEFAULT_SUPPORT_TARGET = 0.8;
/** Sharpen with RL when Pass@K − Accuracy@1 exceeds this. */
export const DEFAULT_SHARPEN_GAP = 0.1;
/** K at which support is judged unless the user picks another. */
export const DEFAULT_RECIPE_K = 8;

export const RecipeThresholds = z.object({
  perceptionMargin: z.number().min(0).max(1),
  supportTarget: z.number().min(0).max(1),
  sharpenGap: z.number().min(0).max(1),
});
export type RecipeThresholds = z.infer<typeof RecipeThresholds>;

export const DEFAULT_RECIPE_THRESHOLDS: RecipeThresholds = Object.freeze({
  perceptionMargin: DEFAULT_PERCEPTION_MARGIN,
  supportTarget: DEFAULT_SUPPORT_TARGET,
  sharpenGap: DEFAULT_SHARPEN_GAP,
});

/** Defaults overridden by the user's values, validated. */
export function resolveThresholds(overrides: Partial<RecipeThresholds> = {}): RecipeThresholds {
  return RecipeThresholds.parse({ ...DEFAULT_RECIPE_THRESHOLDS, ...overrides });
}
