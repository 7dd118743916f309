// Which run kinds are which, written once. A run's kind is 'diagnose', 'probe', one of the in-app training algorithms,
// 'transfer' (an in-app training run scored on every task before and after) or 'external' (a run imported from an
// engine such as TRL, verl or EasyR1).
import { TRAIN_ALGORITHMS } from './training-algorithms.ts';

/** The in-app training algorithms (shared/training-algorithms.ts): SFT, GRPO, GRPO-CARE. */
export const IN_APP_TRAINING_KINDS: ReadonlySet<string> = new Set(TRAIN_ALGORITHMS);

/** Runs that train an adapter in the app: a later run can start from it, diagnose can apply it, export can write it. */
export const ADAPTER_TRAINING_KINDS: ReadonlySet<string> = new Set([...TRAIN_ALGORITHMS, 'transfer']);

/** Runs that train a model and have training curves: the in-app algorithms and runs imported from an engine. */
export const MODEL_TRAINING_KINDS: ReadonlySet<string> = new Set([...TRAIN_ALGORITHMS, 'external']);
