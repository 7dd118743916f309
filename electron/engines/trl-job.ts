// The TRL job folder (one workstation GPU; a CPU smoke run works on tiny models): trl_config.json with every
// hyperparameter mapped one to one from the app's training config, LoRA by default, the base model as a local
// Hugging Face folder; the pinned requirements; a README with the mapping (export-job.ts copies the job's Python:
// medbridge_engines and medbridge_convert). launch.sh runs
// `python -m medbridge_engines.trl_job`, which ends with checkpoint/ (a MedBridge VLM pack) and metrics.jsonl.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '../../shared/api/training.ts';
import { PYTHON_CODE_DIR } from '../environment/python-environment.ts';
import { MAX_RESPONSE_TOKENS, type ExportKnobs } from './engine-configs.ts';

export const TRL_CONFIG_FILE = 'trl_config.json';
/** LoRA defaults for a 7B VLM on one workstation GPU: attention and MLP projections of the language model. */
export const DEFAULT_LORA = {
  r: 16,
  alpha: 32,
  dropout: 0.05,
  targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
} as const;
export type TrlAlgorithm = 'sft' | 'grpo';

export interface LoraSettings {
  r: number;
  alpha: number;
  dropout: number;
  targetModules: string[];
}

export interface TrlJobOptions {
  algorithm: TrlAlgorithm;
  baseModel: string;
  /** null = full fine-tuning. */
  lora: LoraSettings | null;
  train: TrainConfig;
  /** Sampling temperature of the GRPO rollouts (the app's option temperature). */
  temperature: number;
}

export function trlJobConfig(k: ExportKnobs, o: TrlJobOptions): Record<string, unknown> {
  return {
    format: 'medbridge-trl-job/v1',
    algorithm: o.algorithm,
    baseModel: o.baseModel,
    training: {
      max_steps: k.steps,
      learning_rate: k.learningRate,
      seed: k.seed,
      per_device_train_batch_size: o.algorithm === 'grpo' ? k.groupSize : Math.min(k.batchSize, 8),
      gradient_accumulation_steps: 1,
      max_grad_norm: k.maxGradNorm,
    },
    grpo: {
      beta: k.beta,
      epsilon: k.epsilonLow,
      epsilon_high: k.epsilonHigh,
      num_generations: k.groupSize,
      num_iterations: k.innerIterations,
      scale_rewards: k.advantageScale,
      temperature: o.temperature,
      max_completion_length: MAX_RESPONSE_TOKENS,
    },
    lora: o.lora,
    supportGuard: o.train.guard.enabled
      ? {
          every: o.train.evalEvery,
          k: o.train.passK,
          margin: o.train.guard.margin,
          persistence: o.train.guard.persistence,
          bootstrap: o.train.bootstrap,
          seed: k.seed,
          rl: o.algorithm !== 'sft',
          action: o.train.guard.onCollapse,
          maxItems: 64,
        }
      : null,
    formatReward: false,
  };
}

function readme(config: Record<string, unknown>): string {
  const c = config as {
    algorithm: string;
    baseModel: string;
    training: Record<string, number>;
    grpo: Record<string, unknown>;
    lora: LoraSettings | null;
    supportGuard: Record<string, unknown> | null;
  };
  const rows: Array<[string, string, string]> = [
    ['steps', 'max_steps', String(c.training.max_steps)],
    ['learning rate', 'learning_rate', String(c.training.learning_rate)],
    ['seed', 'seed', String(c.training.seed)],
    ['gradient clip', 'max_grad_norm', String(c.training.max_grad_norm)],
    ['group size G', 'num_generations', String(c.grpo.num_generations)],
    ['β (KL weight)', 'beta', String(c.grpo.beta)],
    ['ε low (clip)', 'epsilon', String(c.grpo.epsilon)],
    ['ε high (clip)', 'epsilon_high', String(c.grpo.epsilon_high)],
    ['inner iterations μ', 'num_iterations', String(c.grpo.num_iterations)],
    ['advantage scaling', 'scale_rewards', String(c.grpo.scale_rewards)],
    ['temperature', 'temperature', String(c.grpo.temperature)],
  ];
  return `# MedBridge ${c.algorithm.toUpperCase()} job for TRL

Base model (local Hugging Face folder): \`${c.baseModel}\`

Run on the GPU workstation, in MedBridge's Python environment (\`pip install --require-hashes --no-deps -r requirements.lock\`):

    ./launch.sh                  # the whole job
    ./launch.sh --max-steps 2 --cpu    # a smoke run on the CPU

It trains with TRL's ${c.algorithm === 'sft' ? 'SFTTrainer (bridge: supervised fine-tuning on the answer letters)' : 'GRPOTrainer (sharpen: group-relative policy optimisation)'},
${c.lora ? `with LoRA (rank ${c.lora.r}, alpha ${c.lora.alpha}, dropout ${c.lora.dropout}, on ${c.lora.targetModules.join(', ')}), merged into the base model at the end` : 'updating every weight (full fine-tuning)'}.
The reward is MedBridge's answer rule (\`medbridge_engines/answer_rule.py\`, the twin of the app's): 1 when the
completion gives the right option letter, else 0; every scored completion is written to \`completions.jsonl\`.
${c.supportGuard ? `The support guard scores the validation items' options before the first step and every ${String(c.supportGuard.every)} steps (Acc@1 and Pass@${String(c.supportGuard.k)})${c.supportGuard.rl ? ` and, when Pass@K stays below the starting model's by more than the margin (the larger of ${String(c.supportGuard.margin)} and the half-width of its bootstrap interval) for ${String(c.supportGuard.persistence)} validations in a row, writes a support-collapse event and ${c.supportGuard.action === 'rollback' ? 'rolls the adapter back to the validation with the best Acc@1 whose Pass@K held, then stops' : 'stops'}; it stays inactive at a K whose chance level reaches the support target (0.8)` : '; a bridging (SFT) run is only scored, never stopped'}.` : 'The support guard is off.'}

At the end the folder holds \`merged/\` (the trained Hugging Face model), \`checkpoint/\` (the same model converted
into a MedBridge pack), \`metrics.jsonl\` (TRL's log as MedBridge events) and \`engine-run.json\` (engine version,
config and base-model hashes). Bring it back with \`medbridge import-run <this folder>\`.

## MedBridge setting → TRL

| MedBridge | TRL | value |
|---|---|---|
${rows.map(([a, b, v]) => `| ${a} | \`${b}\` | ${v} |`).join('\n')}

GRPO-CARE (consistency bonus, EMA reference) is not available as a TRL trainer: TRL's GRPOTrainer takes reward
functions per completion, while the consistency bonus needs the likelihood of the chosen answer under option
permutations of the same question and an EMA copy of the policy; a GRPO-CARE run is exported as plain GRPO.
`;
}

/** Writes the TRL-specific files into `out` (data, images and medbridge-export.json are written by export-job.ts). */
export function writeTrlJob(out: string, config: Record<string, unknown>): string[] {
  writeFileSync(join(out, TRL_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(out, 'requirements.lock'), readFileSync(join(PYTHON_CODE_DIR, 'requirements.lock')));
  writeFileSync(join(out, 'README.md'), readme(config));
  writeFileSync(
    join(out, 'launch.sh'),
    '#!/usr/bin/env bash\n# Written by MedBridge export-job (TRL). Run from anywhere; extra arguments go to the job (--max-steps N, --cpu).\nset -euo pipefail\ncd "$(dirname "$0")"\nexec "${MEDBRIDGE_PYTHON:-python3}" -m medbridge_engines.trl_job --config trl_config.json "$@"\n',
    { mode: 0o755 },
  );
  return [TRL_CONFIG_FILE, 'requirements.lock', 'README.md', 'launch.sh'];
}
