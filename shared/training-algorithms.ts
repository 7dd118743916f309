// The in-app training algorithms (the run kinds that train an adapter step by step in the app), the word each is shown
// by and the study step each belongs to, written once. The contract's TrainAlgorithm enum (shared/api/training.ts),
// the run-kind sets (shared/run-kinds.ts) and the renderer's labels read them. No zod here, so the renderer bundle can
// import it. The runs table's CHECK constraint (electron/storage/migrations/0060-models-and-runs.ts) is history and
// keeps its own copy.

export const TRAIN_ALGORITHMS = ['sft', 'grpo', 'grpo-care'] as const;
export type TrainAlgorithm = (typeof TRAIN_ALGORITHMS)[number];

/** The word each algorithm is shown by (job cards, job-end notices, run history, transfer-matrix rows). */
export const TRAIN_ALGORITHM_WORD: Readonly<Record<TrainAlgorithm, string>> = { sft: 'SFT', grpo: 'GRPO', 'grpo-care': 'GRPO-CARE' };

/** The word for an algorithm given as any string (a job's parameters, a run's kind); undefined when it is not one. */
export function trainAlgorithmWord(algorithm: string): string | undefined {
  return (TRAIN_ALGORITHM_WORD as Readonly<Record<string, string | undefined>>)[algorithm];
}

export type TrainStep = 'bridge' | 'sharpen';

/** The study step each algorithm trains in: SFT bridges (adds support), GRPO and GRPO-CARE sharpen. */
export const TRAIN_ALGORITHM_STEP: Readonly<Record<TrainAlgorithm, TrainStep>> = { sft: 'bridge', grpo: 'sharpen', 'grpo-care': 'sharpen' };

/** The algorithms of one study step, in TRAIN_ALGORITHMS order. */
export function trainAlgorithmsOfStep(step: TrainStep): TrainAlgorithm[] {
  return TRAIN_ALGORITHMS.filter((a) => TRAIN_ALGORITHM_STEP[a] === step);
}

/** The study step a run of this kind trains in; undefined for runs that do not train in the app. */
export function trainStepOfKind(kind: string): TrainStep | undefined {
  return (TRAIN_ALGORITHM_STEP as Readonly<Record<string, TrainStep | undefined>>)[kind];
}
