// Scale-out by export: the configs MedBridge writes for verl, TRL and EasyR1 so a GPU server can train a full VLM
// (full-parameter or LoRA) with this run's GRPO choices. Pure functions of the run's knobs; the folder writer is
// export-job.ts. Key names follow each engine's documented config:
//   verl   verl/trainer/config/ppo_trainer.yaml (Hydra overrides: data.*, actor_rollout_ref.*, algorithm.*, trainer.*)
//   TRL    see trl-job.ts (trl_config.json read by medbridge_engines/trl_job.py into trl.SFTConfig / GRPOConfig)
//   EasyR1 examples/config.yaml (data.*, algorithm.*, worker.actor|rollout|reward.*, trainer.*)
import type { TrainAlgorithm, TrainConfig } from '../../shared/api/training.ts';
import { defaultBeta } from '../../shared/recipe/grpo-defaults.ts';

export const EXPORT_ENGINES = ['verl', 'trl', 'easyr1'] as const;
export type ExportEngine = (typeof EXPORT_ENGINES)[number];

/** Learning rate for full-parameter VLM training: the adapter's rate would be far too large for a 7B model. */
export const DEFAULT_VLM_LEARNING_RATE = 1e-6;
/** Answer-only multiple choice: a short response suffices; prompts carry one image and the lettered options. */
export const MAX_PROMPT_TOKENS = 1024;
export const MAX_RESPONSE_TOKENS = 64;

export interface ExportKnobs {
  algorithm: TrainAlgorithm;
  groupSize: number;
  beta: number;
  epsilonLow: number;
  epsilonHigh: number;
  advantageScale: 'group' | 'batch' | 'none';
  innerIterations: number;
  maxGradNorm: number;
  batchSize: number;
  steps: number;
  seed: number;
  learningRate: number;
  baseModel: string;
  trainItems: number;
}

export function knobsOf(
  algorithm: TrainAlgorithm,
  c: TrainConfig,
  seed: number,
  trainItems: number,
  opts: { learningRate?: number | undefined; baseModel?: string | undefined },
): ExportKnobs {
  return {
    algorithm,
    groupSize: c.grpo.groupSize,
    beta: c.grpo.beta ?? defaultBeta(algorithm),
    epsilonLow: c.grpo.epsilonLow,
    epsilonHigh: c.grpo.epsilonHigh,
    advantageScale: c.grpo.advantageScale,
    innerIterations: c.grpo.innerIterations,
    maxGradNorm: c.maxGradNorm === 0 ? 1e9 : c.maxGradNorm,
    batchSize: c.batchSize,
    steps: c.steps,
    seed,
    learningRate: opts.learningRate ?? DEFAULT_VLM_LEARNING_RATE,
    baseModel: opts.baseModel ?? '',
    trainItems,
  };
}

/** verl main_ppo config (the subset MedBridge sets; everything else keeps verl's defaults). */
export function verlConfig(k: ExportKnobs, dataDir: string): Record<string, unknown> {
  return {
    algorithm: { adv_estimator: 'grpo', norm_adv_by_std_in_grpo: k.advantageScale !== 'none', use_kl_in_reward: false },
    data: {
      train_files: `${dataDir}/train.parquet`,
      val_files: `${dataDir}/val.parquet`,
      prompt_key: 'prompt',
      image_key: 'images',
      max_prompt_length: MAX_PROMPT_TOKENS,
      max_response_length: MAX_RESPONSE_TOKENS,
      train_batch_size: k.batchSize,
      shuffle: true,
    },
    actor_rollout_ref: {
      model: { path: k.baseModel },
      actor: {
        optim: { lr: k.learningRate },
        ppo_mini_batch_size: k.batchSize,
        ppo_epochs: k.innerIterations,
        grad_clip: k.maxGradNorm,
        clip_ratio_low: k.epsilonLow,
        clip_ratio_high: k.epsilonHigh,
        use_kl_loss: k.beta > 0,
        kl_loss_coef: k.beta,
        kl_loss_type: 'low_var_kl',
      },
      rollout: { n: k.groupSize, temperature: 1.0 },
    },
    // verl ≥ 0.9 reads the reward from reward.custom_reward_function (the top-level key is legacy and ignored)
    reward: { custom_reward_function: { path: 'reward.py', name: 'compute_score' } },
    // logger "file": verl writes every step's metrics as JSONL (VERL_FILE_LOGGER_PATH), which the job turns into metrics.jsonl
    trainer: {
      total_training_steps: k.steps,
      project_name: 'medbridge',
      experiment_name: 'export',
      logger: ['console', 'file'],
      nnodes: 1,
      n_gpus_per_node: 8,
      save_freq: k.steps,
      test_freq: 10,
    },
  };
}

/** Flattens a nested config into Hydra `key.path=value` overrides (lists in Hydra's [a,b] syntax). */
export function hydraOverrides(config: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(...hydraOverrides(value as Record<string, unknown>, path));
    else if (Array.isArray(value)) out.push(`${path}=[${value.map((v) => JSON.stringify(v)).join(',')}]`);
    else out.push(`${path}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return out;
}

/** EasyR1 config.yaml (written as JSON, which YAML readers accept). */
export function easyr1Config(k: ExportKnobs, dataDir: string): Record<string, unknown> {
  return {
    data: {
      train_files: `${dataDir}/train.jsonl`,
      val_files: `${dataDir}/val.jsonl`,
      prompt_key: 'problem',
      answer_key: 'answer',
      image_key: 'images',
      max_prompt_length: MAX_PROMPT_TOKENS,
      max_response_length: MAX_RESPONSE_TOKENS,
      rollout_batch_size: k.batchSize,
      shuffle: true,
      seed: k.seed,
    },
    algorithm: { adv_estimator: 'grpo', disable_kl: k.beta === 0, use_kl_loss: k.beta > 0, kl_penalty: 'low_var_kl', kl_coef: k.beta },
    worker: {
      actor: {
        global_batch_size: k.batchSize,
        max_grad_norm: k.maxGradNorm,
        clip_ratio_low: k.epsilonLow,
        clip_ratio_high: k.epsilonHigh,
        ppo_epochs: k.innerIterations,
        model: { model_path: k.baseModel },
        optim: { lr: k.learningRate, weight_decay: 0.0, strategy: 'adamw' },
      },
      rollout: { n: k.groupSize, temperature: 1.0 },
      reward: { reward_type: 'function', score_function: './reward.py:compute_score' },
    },
    trainer: {
      max_steps: k.steps,
      total_episodes: Math.max(1, Math.ceil((k.steps * k.batchSize) / Math.max(1, k.trainItems))),
      project_name: 'medbridge',
      experiment_name: 'export',
      logger: ['console'],
      nnodes: 1,
      n_gpus_per_node: 8,
      save_freq: k.steps,
      val_freq: 10,
    },
  };
}
