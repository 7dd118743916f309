// The seed a run uses when none is given (its own module: both runs.ts and training.ts need it, and runs.ts imports
// training.ts).
/** Seed of the bootstrap (and of anything random in a run) unless the user gives one. */
export const DEFAULT_RUN_SEED = 20260101;
