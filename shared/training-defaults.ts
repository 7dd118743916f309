// The defaults of a training run's config (steps, batch, validation, support guard, early stopping, learning rates),
// written once. The run-config schema (shared/api/training.ts) defaults to them, the trainer falls back on the learning
// rates, and the renderer's training form starts from them. No zod here, so the renderer bundle can import it. The GRPO
// and GRPO-CARE knobs have their own file: shared/recipe/grpo-defaults.ts.

/** Trainer steps (minibatches) of a run. */
export const DEFAULT_TRAIN_STEPS = 120;
export const DEFAULT_TRAIN_BATCH = 32;
/** Validation (and checkpoint) every N steps. */
export const DEFAULT_EVAL_EVERY = 10;
/** K of the validation Pass@K the support guard watches when the version gives no better one (the training service picks the largest informative K from the option counts). */
export const DEFAULT_GUARD_K = 8;
/**
 * Support guard: the smallest margin. A collapse is val Pass@K below the starting model's by more than the larger of
 * this and the half-width of the starting value's 95% item-bootstrap interval (shared/recipe/support-guard.ts).
 */
export const DEFAULT_GUARD_MARGIN = 0.02;
/** SFT early stopping: evaluations without improvement before stopping. */
export const DEFAULT_PATIENCE = 6;
/** Presentations per item besides the original that GRPO-CARE samples across (option order permuted, image augmented). */
export const DEFAULT_CARE_VIEWS = 2;
export const DEFAULT_TRAIN_BOOTSTRAP = 1000;
export const DEFAULT_SFT_LR = 0.01;
/** GRPO moves the policy much faster than SFT on the same adapter (on BreastMNIST, 5e-3 collapsed support within 10 steps). */
export const DEFAULT_GRPO_LR = 1e-4;

/** The Adam learning rate a run uses when its config gives none: DEFAULT_SFT_LR for SFT, DEFAULT_GRPO_LR for GRPO / GRPO-CARE. */
export function defaultLearningRate(algorithm: string): number {
  return algorithm === 'sft' ? DEFAULT_SFT_LR : DEFAULT_GRPO_LR;
}
