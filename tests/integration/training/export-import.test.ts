// Scale-out by export: export-job writes, for verl, TRL and EasyR1, the dataset version (JSONL + image files), a
// config carrying the run's GRPO knobs, a rule reward and a launch script; the configs are checked against each
// engine's documented config keys and types, encoded here as zod schemas from:
//   verl   verl/trainer/config/ppo_trainer.yaml (data, actor_rollout_ref.actor|rollout, algorithm, trainer)
//   TRL    trl_config.json (read by medbridge_engines/trl_job.py into trl.SFTConfig / GRPOConfig), LoRA by default
//   EasyR1 examples/config.yaml and verl/trainer/config.py (DataConfig, AlgorithmConfig, TrainerConfig, worker)
// import-run brings back metrics.jsonl and a checkpoint folder (here the tiny LLaVA ONNX fixture) as a VLM pack.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { REPO_ROOT, tempDir } from '../../helpers/cli.ts';
import { buildBreastWorkspace, cli, ok, train } from './training-workspace.ts';
import { ENGINE_PYTHON } from '../../helpers/engine-python.ts';

const TINY_LLAVA = join(REPO_ROOT, 'tests/fixtures/models/tiny-llava');
const GRPO = { steps: 10, learningRate: 0.0001, grpo: { groupSize: 6, beta: 0.02, epsilonLow: 0.15, epsilonHigh: 0.3, innerIterations: 3 } };

const pos = z.number().positive();
const posInt = z.number().int().positive();
const VerlConfig = z.object({
  algorithm: z.object({ adv_estimator: z.enum(['gae', 'grpo', 'reinforce_plus_plus', 'remax', 'rloo']), norm_adv_by_std_in_grpo: z.boolean() }),
  data: z.object({
    train_files: z.string(),
    val_files: z.string(),
    prompt_key: z.string(),
    image_key: z.string(),
    max_prompt_length: posInt,
    max_response_length: posInt,
    train_batch_size: posInt,
  }),
  actor_rollout_ref: z.object({
    model: z.object({ path: z.string() }),
    actor: z.object({
      optim: z.object({ lr: pos }),
      ppo_mini_batch_size: posInt,
      ppo_epochs: posInt,
      grad_clip: pos,
      clip_ratio_low: z.number().min(0),
      clip_ratio_high: z.number().min(0),
      use_kl_loss: z.boolean(),
      kl_loss_coef: z.number().min(0),
      kl_loss_type: z.enum(['kl', 'abs', 'mse', 'low_var_kl', 'full']),
    }),
    rollout: z.object({ n: posInt, temperature: z.number() }),
  }),
  reward: z.object({ custom_reward_function: z.object({ path: z.string(), name: z.string() }) }),
  trainer: z.object({
    total_training_steps: posInt,
    nnodes: posInt,
    n_gpus_per_node: posInt,
    logger: z.array(z.string()),
    project_name: z.string(),
    experiment_name: z.string(),
  }),
});
const EasyR1Config = z.object({
  data: z.object({
    train_files: z.string(),
    val_files: z.string(),
    prompt_key: z.string(),
    answer_key: z.string(),
    image_key: z.string(),
    max_prompt_length: posInt,
    max_response_length: posInt,
    rollout_batch_size: posInt,
    seed: z.number().int(),
  }),
  algorithm: z.object({
    adv_estimator: z.enum(['grpo', 'gae', 'reinforce_plus_plus', 'remax', 'rloo']),
    disable_kl: z.boolean(),
    use_kl_loss: z.boolean(),
    kl_penalty: z.enum(['kl', 'abs', 'mse', 'low_var_kl', 'full']),
    kl_coef: z.number().min(0),
  }),
  worker: z.object({
    actor: z.object({
      global_batch_size: posInt,
      max_grad_norm: pos,
      model: z.object({ model_path: z.string() }),
      optim: z.object({ lr: pos, weight_decay: z.number(), strategy: z.enum(['adamw', 'adamw_bf16']) }),
    }),
    rollout: z.object({ n: posInt, temperature: z.number() }),
    reward: z.object({ reward_type: z.string(), score_function: z.string().regex(/^.+\.py:\w+$/) }),
  }),
  trainer: z.object({
    total_episodes: posInt,
    max_steps: posInt,
    project_name: z.string(),
    experiment_name: z.string(),
    nnodes: posInt,
    n_gpus_per_node: posInt,
    logger: z.array(z.string()),
  }),
});

let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;
let run: string;

let baseModel: string;

before(() => {
  ({ dir, cleanup } = tempDir('export'));
  // a local Hugging Face folder as the engine's base model (only its config.json is read by the export)
  baseModel = join(dir, 'hf-base');
  mkdirSync(baseModel);
  writeFileSync(join(baseModel, 'config.json'), JSON.stringify({ model_type: 'llava', architectures: ['LlavaForConditionalGeneration'] }));
  ws = join(dir, 'W');
  version = buildBreastWorkspace(ws, 120);
  run = train(ws, 'grpo', version, GRPO).run;
});
after(() => cleanup());

function jsonl(path: string): any[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

test("export-job writes verl / TRL / EasyR1 folders whose configs match the engines' documented schemas and carry the run's knobs", () => {
  const shown = ok(['versions', 'show', version], ws);
  for (const engine of ['verl', 'trl', 'easyr1'] as const) {
    const out = join(dir, `export-${engine}`);
    const r = ok(['export-job', '--engine', engine, '--run', run, '--out', out, '--base-model', baseModel], ws);
    assert.equal(r.run, run);
    assert.equal(r.train + r.val, (shown.counts.bySplit.train ?? 0) + (shown.counts.bySplit.val ?? 0));
    const rows = jsonl(join(out, 'data', 'train.jsonl'));
    assert.equal(rows.length, r.train);
    for (const row of rows.slice(0, 20)) {
      const image = engine === 'trl' ? row.image : row.images[0];
      assert.ok(existsSync(join(out, image)), `image file ${image}`);
      const answer = engine === 'verl' ? row.reward_model.ground_truth : row.answer;
      assert.match(answer, /^[A-Z]$/);
    }
    assert.ok(statSync(join(out, 'launch.sh')).mode & 0o100, 'launch script is executable');
    const manifest = JSON.parse(readFileSync(join(out, 'medbridge-export.json'), 'utf8'));
    assert.equal(manifest.version, version);
    if (engine === 'verl') {
      const c = VerlConfig.parse(JSON.parse(readFileSync(join(out, 'verl_config.json'), 'utf8')));
      assert.equal(c.actor_rollout_ref.rollout.n, 6);
      assert.equal(c.actor_rollout_ref.actor.kl_loss_coef, 0.02);
      assert.equal(c.actor_rollout_ref.actor.clip_ratio_low, 0.15);
      assert.equal(c.actor_rollout_ref.actor.clip_ratio_high, 0.3);
      assert.equal(c.actor_rollout_ref.actor.ppo_epochs, 3);
      assert.equal(c.algorithm.adv_estimator, 'grpo');
      assert.match(readFileSync(join(out, 'launch.sh'), 'utf8'), /verl\.trainer\.main_ppo[\s\S]*actor_rollout_ref\.rollout\.n=6/);
      assert.equal(rows[0].prompt[0].role, 'user');
    } else if (engine === 'trl') {
      const c = JSON.parse(readFileSync(join(out, 'trl_config.json'), 'utf8'));
      assert.equal(c.algorithm, 'grpo');
      assert.equal(c.baseModel, baseModel);
      assert.equal(c.grpo.num_generations, 6);
      assert.equal(c.grpo.beta, 0.02);
      assert.equal(c.grpo.epsilon_high, 0.3);
      assert.equal(c.grpo.num_iterations, 3);
      assert.deepEqual(c.lora, {
        r: 16,
        alpha: 32,
        dropout: 0.05,
        targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
      });
      assert.ok(existsSync(join(out, 'medbridge_engines', 'trl_job.py')) && existsSync(join(out, 'medbridge_convert', '__main__.py')));
      assert.match(readFileSync(join(out, 'launch.sh'), 'utf8'), /medbridge_engines\.trl_job --config trl_config\.json/);
      assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /\| ε high \(clip\) \| `epsilon_high` \| 0\.3 \|/);
    } else {
      const c = EasyR1Config.parse(JSON.parse(readFileSync(join(out, 'config.yaml'), 'utf8')));
      assert.equal(c.worker.rollout.n, 6);
      assert.equal(c.algorithm.kl_coef, 0.02);
      assert.equal(c.data.prompt_key, 'problem');
      assert.ok(rows[0].problem.startsWith('<image>'));
    }
    // The reward the engines call scores the letter: run it with the project's Python on a right and a wrong answer.
    const py = spawnSync(
      ENGINE_PYTHON,
      [
        '-c',
        'import sys; sys.path.insert(0, sys.argv[1]); from reward import compute_score as s; print(s("medbridge", "The answer is B.", "B", {}), s("medbridge", "A", "B", {}))',
        out,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(py.status, 0, py.stderr);
    assert.equal(py.stdout.trim(), '1.0 0.0');
  }
  const refused = cli(['export-job', '--engine', 'verl', '--run', run, '--out', join(dir, 'export-verl'), '--base-model', baseModel], ws);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /export\/folder-not-empty/);
});

test('import-run brings back metrics and the checkpoint as a VLM pack, recorded as an external run', () => {
  const back = join(dir, 'engine-output');
  mkdirSync(back);
  cpSync(join(dir, 'export-verl', 'medbridge-export.json'), join(back, 'medbridge-export.json'));
  writeFileSync(
    join(back, 'metrics.jsonl'),
    [1, 2, 3].map((step) => JSON.stringify({ step, 'critic/rewards/mean': 0.5 + step / 10, 'actor/kl_loss': 0.01 * step })).join('\n'),
  );
  cpSync(TINY_LLAVA, join(back, 'checkpoint'), { recursive: true });
  const r = ok(['import-run', back], ws);
  assert.equal(r.packKind, 'vlm');
  assert.equal(r.engine, 'verl');
  assert.equal(r.version, version);
  assert.equal(r.sourceRun, run);
  assert.equal(r.steps, 3);
  const shown = ok(['runs', 'show', r.run], ws);
  assert.equal(shown.kind, 'external');
  assert.equal(shown.pack, r.pack);
  const events = ok(['runs', 'events', r.run], ws);
  assert.equal(events.length, 3);
  assert.equal(ok(['audit', 'verify'], ws).ok, true);
  const missing = cli(['import-run', join(dir, 'export-trl')], ws);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /import\/missing-metrics/);
});
