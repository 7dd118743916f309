// The JSON shape of a metrics report and of a paired comparison: one schema, stored and validated as is.
import { z } from 'zod';
import { MetricsConfig } from './config.ts';

/** [lower, upper] bounds of an interval. */
export const IntervalSchema = z.tuple([z.number(), z.number()]);
/** Values keyed by K as a decimal string ("1", "2", "4", …), in ascending K order. */
const ByK = <T extends z.ZodType>(value: T) => z.record(z.string().regex(/^[1-9][0-9]*$/), value);

export const LetterStatsSchema = z.object({
  nOffered: z.number().int(),
  nCorrect: z.number().int(),
  accWhenCorrect: z.number().nullable(),
  picks: z.number().int(),
  pickRate: z.number(),
  correctRate: z.number(),
});

export const ReliabilityBinSchema = z.object({
  lo: z.number(),
  hi: z.number(),
  n: z.number().int(),
  accuracy: z.number().nullable(),
  confidence: z.number().nullable(),
});

/**
 * Metrics of one group of items (overall, one task, one modality, one split, one benchmark).
 * Pass@K values are null when some item of the group has fewer than K samples. Calibration,
 * chance and letter bias use the `nWithOptions` items that carry option probabilities and are
 * null (or empty) when there are none.
 */
export const GroupMetricsSchema = z.object({
  n: z.number().int().min(1),
  nWithOptions: z.number().int().min(0),
  acc1: z.number(),
  /** Wilson interval at the configured confidence. */
  acc1Ci: IntervalSchema,
  pass1Expected: z.number(),
  passAtK: ByK(z.number().nullable()),
  /** Percentile bootstrap over items. */
  passAtKCi: ByK(IntervalSchema.nullable()),
  chanceAtK: ByK(z.number().nullable()),
  /** Pass@K − Accuracy@1. */
  supportGapAtK: ByK(z.number().nullable()),
  supportGapAtKCi: ByK(IntervalSchema.nullable()),
  ece: z.number().nullable(),
  brier: z.number().nullable(),
  /** Mean entropy of the option distribution, nats. */
  entropy: z.number().nullable(),
  letterBias: z.record(z.string(), LetterStatsSchema),
  reliability: z.array(ReliabilityBinSchema),
});
export type GroupMetrics = z.infer<typeof GroupMetricsSchema>;

export const METRICS_REPORT_SCHEMA_VERSION = 1;

export const MetricsReportSchema = z.object({
  schemaVersion: z.literal(METRICS_REPORT_SCHEMA_VERSION),
  config: MetricsConfig,
  overall: GroupMetricsSchema,
  /** Keys sorted by code unit order. */
  byModality: z.record(z.string(), GroupMetricsSchema),
  byTask: z.record(z.string(), GroupMetricsSchema),
  bySplit: z.record(z.string(), GroupMetricsSchema),
  /** Present only when at least one item names its benchmark (items without one group under "unspecified"). */
  byBenchmark: z.record(z.string(), GroupMetricsSchema).optional(),
});
export type MetricsReport = z.infer<typeof MetricsReportSchema>;

/** Run B minus run A on the same items. */
export const PairedGroupSchema = z.object({
  n: z.number().int().min(1),
  acc1A: z.number(),
  acc1B: z.number(),
  deltaAcc1: z.number(),
  deltaAcc1Ci: IntervalSchema,
  passAtKA: ByK(z.number().nullable()),
  passAtKB: ByK(z.number().nullable()),
  deltaPassAtK: ByK(z.number().nullable()),
  deltaPassAtKCi: ByK(IntervalSchema.nullable()),
});
export type PairedGroup = z.infer<typeof PairedGroupSchema>;

export const PairedComparisonSchema = z.object({
  schemaVersion: z.literal(METRICS_REPORT_SCHEMA_VERSION),
  config: MetricsConfig,
  /** Items present in both runs, and the ids left out because only one run has them. */
  pairing: z.object({ nPaired: z.number().int(), onlyInA: z.array(z.string()), onlyInB: z.array(z.string()) }),
  overall: PairedGroupSchema,
  byModality: z.record(z.string(), PairedGroupSchema),
  byTask: z.record(z.string(), PairedGroupSchema),
  bySplit: z.record(z.string(), PairedGroupSchema),
  byBenchmark: z.record(z.string(), PairedGroupSchema).optional(),
});
export type PairedComparison = z.infer<typeof PairedComparisonSchema>;
