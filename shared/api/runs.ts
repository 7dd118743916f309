// Runs: diagnosis (per-item option distributions → Accuracy@1, Pass@K, calibration …) and linear probes of the
// vision tower, both as resumable jobs; item drill-down, recipe recommendations (stored, audited) and paired comparisons.
import { z } from 'zod';
import { defineCall } from './define.ts';
import { Job } from './jobs.ts';
import { DEFAULT_BOOTSTRAP_SAMPLES, DEFAULT_PASS_AT_K, MAX_PASS_AT_K } from '../metrics/constants.ts';
import { IntervalSchema, MetricsReportSchema, PairedComparisonSchema } from '../metrics/report-schema.ts';
import { RecipeDecision } from '../recipe/decision.ts';
import { RecipeThresholds } from '../recipe/thresholds.ts';
import { PackIdOrPath } from './local-path.ts';
import { DEFAULT_RUN_SEED } from './run-seed.ts';
import { TrainConfig, TrainParams, TransferParams, TransferReport } from './training.ts';

export { DEFAULT_RUN_SEED } from './run-seed.ts';
/** Sampling temperature T of the option distribution softmax(logits / T). */
export const DEFAULT_TEMPERATURE = 1;
export const MAX_BOOTSTRAP_SAMPLES = 100_000;
/** Items per model call and per checkpoint (smaller = less memory and finer resume points). */
export const DEFAULT_DIAGNOSE_BATCH = 64;
export const MAX_DIAGNOSE_BATCH = 1024;
const BatchSize = z.number().int().min(1).max(MAX_DIAGNOSE_BATCH).default(DEFAULT_DIAGNOSE_BATCH);
/** Which split of the version a diagnosis measures; 'all' = every split. */
export const RunSplit = z.enum(['train', 'val', 'test', 'all']);
export type RunSplit = z.infer<typeof RunSplit>;

const PackId = z.string().regex(/^[0-9a-f]{64}$/, 'a model pack id (64 hex digits)');
const VersionId = z.string().min(1).max(100);
const RunId = z.string().min(1).max(100);
const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .default(DEFAULT_RUN_SEED);
const Ks = z
  .array(z.number().int().min(1).max(MAX_PASS_AT_K))
  .min(1)
  .max(MAX_PASS_AT_K)
  .default([...DEFAULT_PASS_AT_K]);

/** Parameters of a `diagnose` job (what jobs.params records). */
export const DiagnoseParams = z.strictObject({
  pack: PackId,
  version: VersionId,
  split: RunSplit.default('val'),
  ks: Ks,
  temperature: z.number().gt(0).max(100).default(DEFAULT_TEMPERATURE),
  bootstrap: z.number().int().min(1).max(MAX_BOOTSTRAP_SAMPLES).default(DEFAULT_BOOTSTRAP_SAMPLES),
  seed: Seed,
  batchSize: BatchSize,
  /** A training run whose adapter is applied on top of the pack (evaluated by the training issue's runner). */
  adapter: RunId.optional(),
});
export type DiagnoseParams = z.infer<typeof DiagnoseParams>;

/** Parameters of a `probe` job. */
export const ProbeParams = z.strictObject({
  pack: PackId,
  version: VersionId,
  /** Vision-only reference accuracy the user enters (e.g. a published specialist model), for the perception check. */
  referenceAccuracy: z.number().min(0).max(1).optional(),
  seed: Seed,
});
export type ProbeParams = z.infer<typeof ProbeParams>;

/** `model` is a registered pack id or a folder path (registered on the way). */
const ModelRef = PackIdOrPath;

export const ProbeTaskResult = z.object({
  task: z.string(),
  modality: z.string(),
  classes: z.number().int(),
  counts: z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int(), valCarvedFromTrain: z.boolean() }),
  l2: z.number().nullable(),
  accuracy: z.number().nullable(),
  /** Wilson interval of the test accuracy. */
  accuracyCi: IntervalSchema.nullable(),
  valAccuracy: z.number().nullable(),
  /** VLM numbers on the same task's test items from the latest diagnosis of this pack and version, when there is one. */
  vlm: z.object({ run: z.string(), acc1: z.number(), passAtK: z.record(z.string(), z.number().nullable()) }).nullable(),
  referenceAccuracy: z.number().nullable(),
  note: z.string().nullable(),
});
export type ProbeTaskResult = z.infer<typeof ProbeTaskResult>;

export const ProbeReport = z.object({
  kind: z.literal('probe'),
  dim: z.number().int(),
  byTask: z.record(z.string(), ProbeTaskResult),
});
export type ProbeReport = z.infer<typeof ProbeReport>;

export const RunState = z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted']);

export const RunSummary = z.object({
  id: z.string(),
  kind: z.string(),
  pack: z.string(),
  packLabel: z.string(),
  version: z.string().nullable(),
  split: z.string().nullable(),
  /** The training run whose adapter a diagnosis applied (null = the pack as it is), so a list tells base from trained. */
  adapter: z.string().nullable(),
  state: RunState,
  jobId: z.string().nullable(),
  seed: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  n: z.number().int(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const CacheStats = z.object({ hits: z.number().int(), misses: z.number().int() });

export const RunItem = z.object({
  item: z.string(),
  split: z.string(),
  modality: z.string(),
  task: z.string(),
  question: z.string(),
  /** Option texts in displayed order (the version's frozen option order). */
  options: z.array(z.string()),
  /** Probability per displayed option. */
  probs: z.array(z.number()),
  correct: z.number().int().nullable(),
  predicted: z.number().int(),
  imageHash: z.string().nullable(),
});
export type RunItem = z.infer<typeof RunItem>;

export const RunItemsFilter = z.strictObject({
  id: RunId,
  split: z.string().optional(),
  modality: z.string().optional(),
  task: z.string().optional(),
  /** Only items answered right (true) or wrong (false) at Accuracy@1. */
  right: z.boolean().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(100),
});

export const ReportRecipeShape = z.object({
  k: z.number().int(),
  thresholds: RecipeThresholds,
  overall: RecipeDecision.nullable(),
  byModality: z.record(z.string(), RecipeDecision),
  byTask: z.record(z.string(), RecipeDecision),
  skipped: z.array(z.string()),
});

export const StoredRecommendation = z.object({
  run: z.string(),
  /** The probe run whose accuracies entered the perception check, if any. */
  probeRun: z.string().nullable(),
  createdAt: z.string(),
  recipe: ReportRecipeShape,
});
export type StoredRecommendation = z.infer<typeof StoredRecommendation>;

/** What a run trained by an engine (verl, EasyR1, TRL) and imported back records (electron/engines/import-run.ts). */
export const ExternalRunReport = z.object({
  kind: z.literal('external'),
  engine: z.string().nullable(),
  engineVersion: z.string().nullable(),
  configSha256: z.string().nullable(),
  baseModel: z.string().nullable(),
  baseModelSha256: z.string().nullable(),
  algorithm: z.string().nullable(),
  stopReason: z.string().nullable(),
  /** Lines of the engine's metrics.jsonl. */
  steps: z.number().int(),
  /** Its last line, as the engine wrote it. */
  final: z.record(z.string(), z.unknown()).nullable(),
});
export type ExternalRunReport = z.infer<typeof ExternalRunReport>;

/** What a run trained by an engine and imported back stores as its config: the engine, its provenance, where it came from. */
export const ExternalRunConfig = z.object({
  engine: z.string().nullable(),
  engineVersion: z.string().nullable(),
  configSha256: z.string().nullable(),
  baseModel: z.string().nullable(),
  baseModelSha256: z.string().nullable(),
  algorithm: z.string().nullable(),
  stopReason: z.string().nullable(),
  /** The folder import-run read. */
  importedFrom: z.string(),
  /** Its medbridge-export.json as written at export ({} when there was none). */
  export: z.record(z.string(), z.unknown()),
});
export type ExternalRunConfig = z.infer<typeof ExternalRunConfig>;

/**
 * A run's stored config, as runs:get returns it. Each run kind stores one shape: a diagnosis its DiagnoseParams, a
 * probe its ProbeParams, a training run (sft, grpo, grpo-care) its TrainParams, a transfer run its TransferParams, an
 * engine run (external) its ExternalRunConfig. This type holds the fields of all of them, each optional and typed as
 * its kind stores it, so a reader looks a field up (a diagnosis's adapter, a training run's init and settings) without
 * first asking the run's kind.
 */
export const RunConfig = z
  .object({
    ...DiagnoseParams.shape,
    ...ProbeParams.shape,
    ...TrainParams.shape,
    ...TransferParams.shape,
    ...ExternalRunConfig.shape,
    /** Training and transfer runs: sft, grpo or grpo-care; an engine run: the algorithm its engine reported, or null. */
    algorithm: z.string().nullable(),
    /** Training and transfer runs: the training settings (TrainConfig). */
    config: TrainConfig.partial(),
  })
  .partial();
export type RunConfig = z.infer<typeof RunConfig>;

export const RunDetail = RunSummary.extend({
  config: RunConfig,
  environment: z.record(z.string(), z.unknown()),
  /** Diagnosis and training runs: the metrics report; probes, transfer runs, engine runs: their own reports. */
  metrics: z.union([MetricsReportSchema, ProbeReport, TransferReport, ExternalRunReport]).nullable(),
  cache: CacheStats,
  recommendation: StoredRecommendation.nullable(),
});
export type RunDetail = z.infer<typeof RunDetail>;

const Started = z.object({ run: z.string(), pack: z.string(), job: Job });

export const runsCalls = {
  'runs:diagnose': defineCall({
    name: 'runs:diagnose',
    summary: 'Diagnose a model on a dataset version split: per-item option distributions and the metrics report (a resumable job).',
    mutates: true,
    input: z.strictObject({
      model: ModelRef,
      version: VersionId,
      split: RunSplit.default('val'),
      ks: Ks,
      temperature: z.number().gt(0).max(100).default(DEFAULT_TEMPERATURE),
      bootstrap: z.number().int().min(1).max(MAX_BOOTSTRAP_SAMPLES).default(DEFAULT_BOOTSTRAP_SAMPLES),
      seed: Seed,
      batchSize: BatchSize,
      adapter: RunId.optional(),
    }),
    output: Started,
  }),
  'runs:probe': defineCall({
    name: 'runs:probe',
    summary: "Linear probe of the model's frozen vision tower per task (train → fit, val → L2, test → accuracy with interval), as a job.",
    mutates: true,
    input: z.strictObject({ model: ModelRef, version: VersionId, referenceAccuracy: z.number().min(0).max(1).optional(), seed: Seed }),
    output: Started,
  }),
  'runs:list': defineCall({
    name: 'runs:list',
    summary: 'Runs, newest first.',
    mutates: false,
    input: z.strictObject({ kind: z.string().optional(), version: z.string().optional(), limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.array(RunSummary),
  }),
  'runs:get': defineCall({
    name: 'runs:get',
    summary: 'One run: config, environment, metrics and its latest recommendation.',
    mutates: false,
    input: z.strictObject({ id: RunId }),
    output: RunDetail,
  }),
  'runs:items': defineCall({
    name: 'runs:items',
    summary: 'Item-level results of a diagnosis: options in displayed order with their probabilities.',
    mutates: false,
    input: RunItemsFilter,
    output: z.object({ total: z.number().int(), items: z.array(RunItem) }),
  }),
  'runs:recommend': defineCall({
    name: 'runs:recommend',
    summary:
      'Apply the bridge-then-sharpen rule to a diagnosis (with the latest probe of the same model and version) and store the decision with its numbers (audited).',
    mutates: true,
    input: z.strictObject({ run: RunId, k: z.number().int().min(1).max(MAX_PASS_AT_K).optional(), thresholds: RecipeThresholds.partial().optional() }),
    output: StoredRecommendation,
  }),
  'runs:compare': defineCall({
    name: 'runs:compare',
    summary: 'Run B minus run A on their shared items, with paired bootstrap intervals.',
    mutates: false,
    input: z.strictObject({
      a: RunId,
      b: RunId,
      bootstrap: z.number().int().min(1).max(MAX_BOOTSTRAP_SAMPLES).optional(),
      seed: z.number().int().min(0).optional(),
    }),
    output: PairedComparisonSchema,
  }),
} as const;
