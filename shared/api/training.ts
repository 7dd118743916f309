// Training: bridge with SFT, sharpen with GRPO / GRPO-CARE on a small adapter over a frozen pack (design.md §6),
// the support guard, training curves (run events), and the transfer matrix (train subset × in-domain /
// within-modality / cross-modality evaluation). Every knob has a documented default (shared/training-defaults.ts,
// shared/recipe/grpo-defaults.ts).
import { z } from 'zod';
import { defineCall } from './define.ts';
import { Job } from './jobs.ts';
import { DEFAULT_RUN_SEED } from './run-seed.ts';
import { MAX_PASS_AT_K } from '../metrics/constants.ts';
import { DEFAULT_GUARD_PERSISTENCE } from '../recipe/support-guard.ts';
import {
  DEFAULT_CONSISTENCY_BONUS,
  DEFAULT_CONSISTENCY_MARGIN,
  DEFAULT_EMA_DECAY,
  DEFAULT_EMA_INTERVAL,
  DEFAULT_EPSILON_HIGH,
  DEFAULT_EPSILON_LOW,
  DEFAULT_GROUP_SIZE,
  DEFAULT_INNER_ITERATIONS,
} from '../recipe/grpo-defaults.ts';
import {
  DEFAULT_CARE_VIEWS,
  DEFAULT_EVAL_EVERY,
  DEFAULT_GRPO_LR,
  DEFAULT_GUARD_K,
  DEFAULT_GUARD_MARGIN,
  DEFAULT_PATIENCE,
  DEFAULT_SFT_LR,
  DEFAULT_TRAIN_BATCH,
  DEFAULT_TRAIN_BOOTSTRAP,
  DEFAULT_TRAIN_STEPS,
} from '../training-defaults.ts';
import { TRAIN_ALGORITHMS } from '../training-algorithms.ts';
import { AbsolutePath, AbsolutePathOrHubId, PackIdOrPath } from './local-path.ts';

/** The in-app training algorithms (shared/training-algorithms.ts): SFT, GRPO, GRPO-CARE. */
export const TrainAlgorithm = z.enum(TRAIN_ALGORITHMS);
export type TrainAlgorithm = z.infer<typeof TrainAlgorithm>;

export {
  DEFAULT_CARE_VIEWS,
  DEFAULT_EVAL_EVERY,
  DEFAULT_GRPO_LR,
  DEFAULT_GUARD_K,
  DEFAULT_GUARD_MARGIN,
  DEFAULT_PATIENCE,
  DEFAULT_SFT_LR,
  DEFAULT_TRAIN_BATCH,
  DEFAULT_TRAIN_BOOTSTRAP,
  DEFAULT_TRAIN_STEPS,
};
export { DEFAULT_GUARD_PERSISTENCE };

const PackId = z.string().regex(/^[0-9a-f]{64}$/, 'a model pack id (64 hex digits)');
const VersionId = z.string().min(1).max(100);
const RunId = z.string().min(1).max(100);
const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .default(DEFAULT_RUN_SEED);
const ModelRef = PackIdOrPath;

/** Which items of the version's train/val splits a run trains and validates on (all when empty). */
export const ItemSubset = z.strictObject({
  tasks: z.array(z.string().min(1)).optional(),
  modalities: z.array(z.string().min(1)).optional(),
});
export type ItemSubset = z.infer<typeof ItemSubset>;

export const TrainConfig = z.strictObject({
  steps: z.number().int().min(1).max(100_000).default(DEFAULT_TRAIN_STEPS),
  batchSize: z.number().int().min(1).max(4096).default(DEFAULT_TRAIN_BATCH),
  /** Validate (Accuracy@1, Pass@K) and checkpoint every N steps. */
  evalEvery: z.number().int().min(1).max(100_000).default(DEFAULT_EVAL_EVERY),
  /** K of the Pass@K the guard and early stopping watch (also reported). */
  passK: z.number().int().min(1).max(MAX_PASS_AT_K).default(DEFAULT_GUARD_K),
  /** Adam learning rate; default DEFAULT_SFT_LR (0.01) for SFT, DEFAULT_GRPO_LR (1e-4) for GRPO / GRPO-CARE. */
  learningRate: z.number().gt(0).max(10).optional(),
  weightDecay: z.number().min(0).max(1).default(0),
  /** Global L2 gradient clip (0 = off). */
  maxGradNorm: z.number().min(0).default(1),
  adapter: z
    .strictObject({
      rank: z.number().int().min(1).max(256).default(8),
      scale: z.number().gt(0).default(1),
      /** Softmax temperature T of the option distribution during training and validation. */
      temperature: z.number().gt(0).max(100).default(1),
    })
    .prefault({}),
  /** GRPO knobs (ignored by SFT); defaults in shared/recipe/grpo-defaults.ts (G 8, ε 0.2/0.28, β 0.04, μ 2). */
  grpo: z
    .strictObject({
      groupSize: z.number().int().min(2).max(256).default(DEFAULT_GROUP_SIZE),
      epsilonLow: z.number().min(0).max(1).default(DEFAULT_EPSILON_LOW),
      epsilonHigh: z.number().min(0).max(10).default(DEFAULT_EPSILON_HIGH),
      /** KL weight to the reference (the init policy); GRPO-CARE uses its EMA reference and β = 0 by default. */
      beta: z.number().min(0).max(10).optional(),
      advantageScale: z.enum(['group', 'batch', 'none']).default('group'),
      innerIterations: z.number().int().min(1).max(64).default(DEFAULT_INNER_ITERATIONS),
    })
    .prefault({}),
  /** GRPO-CARE knobs (GRPO-CARE, arXiv:2506.16141): EMA reference, consistency bonus across presentations (option orders on augmented images). */
  care: z
    .strictObject({
      emaDecay: z.number().min(0).max(1).default(DEFAULT_EMA_DECAY),
      emaInterval: z.number().int().min(1).default(DEFAULT_EMA_INTERVAL),
      consistencyBonus: z.number().min(0).default(DEFAULT_CONSISTENCY_BONUS),
      consistencyMargin: z.number().min(0).default(DEFAULT_CONSISTENCY_MARGIN),
      agreement: z.enum(['probability', 'argmax']).default('probability'),
      views: z.number().int().min(0).max(8).default(DEFAULT_CARE_VIEWS),
      /**
       * Show each presentation on an augmented image (flip, crop, grey-level gain/offset). Without it the presentations
       * differ only in option order, which the reference pack and adapter ignore, so every correct sample gets the same
       * consistency and group normalisation cancels the bonus: GRPO-CARE then updates exactly like GRPO.
       */
      augment: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * Support guard (GRPO / GRPO-CARE): when val Pass@K stays below the starting model's value by more than the margin
   * (the larger of `margin` and the bootstrap half-width) for `persistence` validations in a row, stop (keep the last
   * state) or roll back to the checkpoint with the best val Accuracy@1 whose Pass@K held. Inactive at a K whose chance
   * level reaches the support target in some task.
   */
  guard: z
    .strictObject({
      enabled: z.boolean().default(true),
      margin: z.number().min(0).max(1).default(DEFAULT_GUARD_MARGIN),
      persistence: z.number().int().min(1).max(100).default(DEFAULT_GUARD_PERSISTENCE),
      onCollapse: z.enum(['stop', 'rollback']).default('rollback'),
    })
    .prefault({}),
  /** SFT early stopping on validation: stop after `patience` evaluations without a new best; keep the best. */
  earlyStopping: z
    .strictObject({
      enabled: z.boolean().default(true),
      patience: z.number().int().min(1).default(DEFAULT_PATIENCE),
      metric: z.enum(['passAtK', 'acc1']).default('passAtK'),
    })
    .prefault({}),
  /** Train/validate on a subset of the version (transfer regimes); all items when absent. */
  subset: ItemSubset.prefault({}),
  /**
   * At most this many labelled train items per task (a seeded draw taking the task's answers in turn;
   * shared/recipe/label-budget.ts); every train item when absent. The wizard bridges (SFT) with a small budget so that
   * sharpening (GRPO, on the whole train split) does not start from a model fitted to its own data.
   */
  labelBudget: z.number().int().min(1).max(1_000_000).optional(),
  bootstrap: z.number().int().min(1).max(100_000).default(DEFAULT_TRAIN_BOOTSTRAP),
});
export type TrainConfig = z.infer<typeof TrainConfig>;
export type TrainConfigInput = z.input<typeof TrainConfig>;

/**
 * The config as a request gives it: like TrainConfig but Pass@K's K stays absent when not given, so the training
 * service can choose it from the version's option counts (the largest informative K) before the defaults apply.
 */
export const TrainConfigRequest = TrainConfig.extend({ passK: z.number().int().min(1).max(MAX_PASS_AT_K).optional() });

/** Parameters of a `train` job. */
export const TrainParams = z.strictObject({
  pack: PackId,
  version: VersionId,
  algorithm: TrainAlgorithm,
  /** A finished training run whose adapter is the starting point (null = the base pack). */
  init: RunId.nullable().default(null),
  config: TrainConfig.prefault({}),
  seed: Seed,
});
export type TrainParams = z.infer<typeof TrainParams>;

export const TransferRegime = z.enum(['in-domain', 'within-modality', 'cross-modality']);
export type TransferRegime = z.infer<typeof TransferRegime>;

/** Parameters of a `transfer` job: train on `train` (its train/val items), evaluate the test split per regime. */
export const TransferParams = TrainParams.extend({
  algorithm: TrainAlgorithm.default('grpo'),
  train: ItemSubset,
  evalSplit: z.enum(['train', 'val', 'test', 'all']).default('test'),
});
export type TransferParams = z.infer<typeof TransferParams>;

const Interval = z.tuple([z.number(), z.number()]).nullable();
export const TransferCell = z.object({
  regime: TransferRegime,
  tasks: z.array(z.string()),
  modalities: z.array(z.string()),
  n: z.number().int(),
  k: z.number().int(),
  before: z.object({ acc1: z.number(), passAtK: z.number() }),
  after: z.object({ acc1: z.number(), passAtK: z.number() }),
  deltaAcc1: z.number(),
  deltaAcc1Ci: Interval,
  deltaPassAtK: z.number(),
  deltaPassAtKCi: Interval,
});
export type TransferCell = z.infer<typeof TransferCell>;

export const TransferReport = z.object({
  kind: z.literal('transfer'),
  train: ItemSubset,
  init: z.string().nullable(),
  algorithm: TrainAlgorithm,
  k: z.number().int(),
  cells: z.array(TransferCell),
  /** Regimes with no items in this version. */
  missing: z.array(TransferRegime),
  /** Trainer step whose adapter the run kept (absent in reports written before it was recorded). */
  keptStep: z.number().int().optional(),
  /**
   * The run kept its starting adapter (rolled back or early-stopped to step 0): its cells compare the start with
   * itself, so they show "no update kept", never a measured 0.0 pp.
   */
  noUpdateKept: z.boolean().optional(),
});
export type TransferReport = z.infer<typeof TransferReport>;

export const RunEvent = z.object({ seq: z.number().int(), kind: z.string(), step: z.number().int().nullable(), payload: z.unknown(), createdAt: z.string() });
export type RunEvent = z.infer<typeof RunEvent>;

const Started = z.object({ run: z.string(), pack: z.string(), job: Job });

export const trainingCalls = {
  'training:start': defineCall({
    name: 'training:start',
    summary:
      "Train an adapter on a frozen model pack (SFT, GRPO or GRPO-CARE) on a dataset version's train split, validated on its val split, as a resumable job.",
    mutates: true,
    input: z.strictObject({
      model: ModelRef,
      version: VersionId,
      algorithm: TrainAlgorithm,
      init: RunId.optional(),
      config: TrainConfigRequest.optional(),
      seed: Seed,
    }),
    output: Started,
  }),
  'training:transfer': defineCall({
    name: 'training:transfer',
    summary:
      'Train on one task/modality subset (from the base or a previous run) and measure Δ Accuracy@1 and Δ Pass@K in-domain, within-modality and cross-modality with paired bootstrap intervals (a job).',
    mutates: true,
    input: z.strictObject({
      model: ModelRef,
      version: VersionId,
      train: ItemSubset,
      algorithm: TrainAlgorithm.default('grpo'),
      init: RunId.optional(),
      config: TrainConfigRequest.optional(),
      seed: Seed,
      evalSplit: z.enum(['train', 'val', 'test', 'all']).default('test'),
    }),
    output: Started,
  }),
  'training:export': defineCall({
    name: 'training:export',
    summary:
      "Write a dataset version (and a training run's GRPO settings) as a ready folder for verl, TRL or EasyR1: data as JSONL with image files, engine config, reward, launch script (audited).",
    mutates: true,
    input: z.strictObject({
      engine: z.enum(['verl', 'trl', 'easyr1']),
      run: RunId.optional(),
      version: VersionId.optional(),
      out: AbsolutePath,
      learningRate: z.number().gt(0).max(1).optional(),
      baseModel: AbsolutePathOrHubId.optional(),
      /** Accept a model-hub id as the base model (the GPU server downloads it); refused otherwise. */
      allowHubId: z.boolean().optional(),
      /** TRL: SFT (bridge) or GRPO (sharpen); default the source run's algorithm. */
      algorithm: z.enum(['sft', 'grpo']).optional(),
      /** TRL: update every weight instead of LoRA. */
      fullFineTune: z.boolean().optional(),
      loraRank: z.number().int().min(1).max(512).optional(),
    }),
    output: z.object({
      out: z.string(),
      engine: z.string(),
      version: z.string(),
      run: z.string().nullable(),
      pack: z.string().nullable(),
      train: z.number().int(),
      val: z.number().int(),
      images: z.number().int(),
      files: z.array(z.string()),
      config: z.record(z.string(), z.unknown()),
    }),
  }),
  'training:export-onnx': defineCall({
    name: 'training:export-onnx',
    summary:
      "Write a finished training run as a runnable ONNX model pack: the frozen base pack's graphs, adapter_head.onnx with the trained adapter, manifest.json (every file with its SHA-256) and a provenance README (run, config hash, audit head; not a medical device). Audited with the file hashes.",
    mutates: true,
    input: z.strictObject({ run: RunId, out: AbsolutePath }),
    output: z.object({
      out: z.string(),
      run: z.string(),
      pack: z.string(),
      basePack: z.string(),
      adapterHash: z.string(),
      configHash: z.string(),
      auditHead: z.string(),
      files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int() })),
    }),
  }),
  'training:import': defineCall({
    name: 'training:import',
    summary: 'Bring back an engine run: metrics.jsonl as run events and checkpoint/ registered as a model pack, recorded as an external run (audited).',
    mutates: true,
    input: z.strictObject({ dir: AbsolutePath }),
    output: z.object({
      run: z.string(),
      pack: z.string(),
      packKind: z.string(),
      engine: z.string().nullable(),
      version: z.string().nullable(),
      sourceRun: z.string().nullable(),
      steps: z.number().int(),
      final: z.record(z.string(), z.unknown()).nullable(),
      engineVersion: z.string().nullable(),
      configSha256: z.string().nullable(),
      baseModelSha256: z.string().nullable(),
    }),
  }),
  'runs:events': defineCall({
    name: 'runs:events',
    summary: "A run's events in order (training curves: loss, reward, KL, consistency, validation Accuracy@1 / Pass@K; support-collapse; checkpoints).",
    mutates: false,
    input: z.strictObject({ id: RunId, kind: z.string().optional(), afterSeq: z.number().int().min(0).default(0) }),
    output: z.array(RunEvent),
  }),
} as const;
