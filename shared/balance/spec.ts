// The balancing wizard's spec (design.md §5 "Balancing wizard"): what to keep, how many per modality, how to split.
// Parsed with zod so defaults are filled in one place; the resolved spec is what the version manifest records.
import { z } from 'zod';
import { Modality } from '../items.ts';

/** Size of the balanced set when the spec gives none (design.md §1 "Practice": ~8,000 items). */
export const DEFAULT_TOTAL = 8000;
/** `none` = the auto-labeller could not decide; such items are left out by default (design.md §5). */
export const DEFAULT_EXCLUDED_MODALITIES: readonly Modality[] = ['none'];
/** Largest Hamming distance between two 64-bit dHashes still counted as the same picture. */
export const DEFAULT_NEAR_HAMMING_MAX = 4;
export const DEFAULT_SPLIT_RATIOS = { train: 0.8, val: 0.1, test: 0.1 } as const;
/** How far the three ratios may sum away from 1 (floating-point slack). */
const RATIO_SUM_TOLERANCE = 1e-6;

const SplitRatios = z
  .object({ train: z.number().min(0).max(1), val: z.number().min(0).max(1), test: z.number().min(0).max(1) })
  .refine((r) => Math.abs(r.train + r.val + r.test - 1) <= RATIO_SUM_TOLERANCE, { message: 'split ratios must sum to 1' });

export const BalanceSpec = z.object({
  /** Dataset ids the caller drew the candidates from (filtering is the caller's job; recorded in the manifest). */
  sources: z.array(z.string().min(1)).optional(),
  /** 'equal' = total ÷ number of modalities present after exclusion; or an explicit count per modality. */
  quotas: z.union([z.literal('equal'), z.partialRecord(Modality, z.number().int().min(0))]).default('equal'),
  /** Target size for 'equal' quotas; ignored when quotas are explicit. */
  total: z.number().int().min(0).default(DEFAULT_TOTAL),
  /**
   * When a modality has fewer items than its equal share, hand the shortfall to the modalities that still
   * have items (equal water-filling). Off by default so the per-modality balance stays exact.
   */
  redistributeLeftover: z.boolean().default(false),
  excludeModalities: z.array(Modality).default([...DEFAULT_EXCLUDED_MODALITIES]),
  letterBalance: z.boolean().default(true),
  dedupe: z
    .object({
      exact: z.literal(true).default(true),
      nearHammingMax: z.number().int().min(0).max(63).default(DEFAULT_NEAR_HAMMING_MAX),
    })
    .default({ exact: true, nearHammingMax: DEFAULT_NEAR_HAMMING_MAX }),
  split: z
    .object({
      /** 'source' keeps the source's split; 'patient-random' assigns whole patient groups by seeded shuffle. */
      mode: z.enum(['source', 'patient-random']).default('patient-random'),
      ratios: SplitRatios.default({ ...DEFAULT_SPLIT_RATIOS }),
    })
    .default({ mode: 'patient-random', ratios: { ...DEFAULT_SPLIT_RATIOS } }),
  seed: z.number().int(),
});
/** What the wizard sends (defaults optional). */
export type BalanceSpecInput = z.input<typeof BalanceSpec>;
/** The spec with every default filled in: what the algorithm uses and the manifest records. */
export type BalanceSpec = z.output<typeof BalanceSpec>;

/** Validates a spec and fills defaults; throws a ZodError naming the bad field. */
export function resolveBalanceSpec(spec: BalanceSpecInput): BalanceSpec {
  return BalanceSpec.parse(spec);
}
