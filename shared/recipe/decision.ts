// The stored shape of one recipe decision, so it can be saved with the study and printed in a report.
import { z } from 'zod';
import { RecipeThresholds } from './thresholds.ts';

const Interval = z.tuple([z.number(), z.number()]);

export const RecipeDecisionKind = z.enum(['improve-vision', 'bridge-sft', 'sharpen-rl', 'done']);
export type RecipeDecisionKind = z.infer<typeof RecipeDecisionKind>;

export const RecipeCheck = z.object({
  name: z.enum(['perception', 'support', 'sharpen']),
  /** fail = the condition that triggers this check's action holds. */
  status: z.enum(['pass', 'fail', 'skipped']),
  /** The interval of the compared quantity contains the threshold. */
  uncertain: z.boolean(),
  /** Compared quantity: probe deficit (reference − probe), Pass@K, or Pass@K − Accuracy@1. */
  value: z.number().nullable(),
  interval: Interval.nullable(),
  threshold: z.number(),
  text: z.string(),
});
export type RecipeCheck = z.infer<typeof RecipeCheck>;

export const RecipeNumbers = z.object({
  k: z.number().int(),
  acc1: z.number(),
  acc1Ci: Interval.nullable(),
  passAtK: z.number(),
  passAtKCi: Interval.nullable(),
  supportGap: z.number(),
  supportGapCi: Interval.nullable(),
  chanceAtK: z.number().nullable(),
  probeAccuracy: z.number().nullable(),
  probeAccuracyCi: Interval.nullable(),
  referenceAccuracy: z.number().nullable(),
});
export type RecipeNumbers = z.infer<typeof RecipeNumbers>;

export const RecipeDecision = z.object({
  decision: RecipeDecisionKind,
  /** True when a check that decided (or could have changed) the outcome has an interval across its threshold. */
  uncertain: z.boolean(),
  /** Human-readable rule with the numbers substituted. */
  rule: z.string(),
  checks: z.array(RecipeCheck),
  numbers: RecipeNumbers,
  thresholds: RecipeThresholds,
  scope: z.object({ modality: z.string().optional(), task: z.string().optional() }),
  notes: z.array(z.string()),
});
export type RecipeDecision = z.infer<typeof RecipeDecision>;
