// verl for real, without a GPU: an `export-job --engine verl` folder judged by verl's own code
// (tests/reference/verl_check.py, verl 0.9.1 from PyPI in the project's Python environment): the parquet its
// to_parquet.py writes loads through verl's RLHFDataset with the tiny model's processor (same image pixels, prompt
// text and ground truth as the export); the exported Hydra overrides compose with verl's default trainer config
// through Hydra itself and carry the run's knobs; the reward loads through verl's custom-reward loader and scores
// every shared answer-rule vector right (1 for the expected letter, 0 for another).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, tempDir } from '../../helpers/cli.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';
import { tinyHfModel } from '../../helpers/tiny-hf-models.ts';
import { buildBreastWorkspace, ok, train } from './training-workspace.ts';

const CHECK = join(REPO_ROOT, 'tests/reference/verl_check.py');
const VECTORS = join(REPO_ROOT, 'tests/fixtures/answer-rule/vectors.json');
const GRPO = { steps: 10, learningRate: 0.0001, grpo: { groupSize: 6, beta: 0.02, epsilonLow: 0.15, epsilonHigh: 0.3, innerIterations: 3 } };
const skip = enginePythonMissing();
let dir: string;
let cleanup: () => void;

before(() => {
  if (!skip) ({ dir, cleanup } = tempDir('verl-check'));
});
after(() => cleanup?.());

test('verl loads the export with its own dataset class, config system and reward loader', { skip: skip ?? false }, (t) => {
  const ws = join(dir, 'W');
  const version = buildBreastWorkspace(ws, 60);
  const run = train(ws, 'grpo', version, GRPO).run;
  const { hf } = tinyHfModel('qwen2_vl');
  const out = join(dir, 'export');
  const exported = ok(['export-job', '--engine', 'verl', '--run', run, '--out', out, '--base-model', hf], ws);
  const r = spawnSync(ENGINE_PYTHON, [CHECK, out, hf, VECTORS], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, HF_HUB_OFFLINE: '1' },
  });
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  const v = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
  t.diagnostic(
    `verl ${v.verl}: ${v.composed.overrides} overrides composed; ${v.dataset.rows} rows; reward ${v.reward.right}/${v.reward.vectors} right, ${v.reward.wrong} wrong`,
  );
  assert.equal(v.composed.rollout_n, 6);
  assert.equal(v.composed.kl_loss_coef, 0.02);
  assert.equal(v.composed.clip_ratio_low, 0.15);
  assert.equal(v.composed.clip_ratio_high, 0.3);
  assert.equal(v.composed.model_path, hf);
  assert.equal(v.composed.adv_estimator, 'grpo');
  assert.equal(v.composed.reward_path, 'reward.py');
  assert.equal(v.dataset.rows, exported.train);
  assert.equal(v.dataset.ground_truth, v.dataset.expected_ground_truth);
  assert.equal(v.dataset.images, 1);
  assert.equal(v.dataset.same_pixels, true);
  assert.equal(v.dataset.text, v.dataset.expected_text);
  assert.ok(v.dataset.options.length >= 2);
  assert.ok(v.reward.vectors >= 30);
  assert.equal(v.reward.right, v.reward.vectors);
  assert.equal(v.reward.wrong, 0);
});

test(
  "the end of a verl job: launch.sh and slurm.sbatch parse, take the node/GPU/model parameters; finish_job turns a merged model and verl's log into what import-run reads",
  { skip: skip ?? false },
  (t) => {
    const ws = join(dir, 'W2');
    const version = buildBreastWorkspace(ws, 40);
    const { hf } = tinyHfModel('qwen2_vl');
    const out = join(dir, 'export2');
    ok(['export-job', '--engine', 'verl', '--version', version, '--out', out, '--base-model', hf], ws);
    for (const script of ['launch.sh', 'slurm.sbatch']) {
      const syntax = spawnSync('bash', ['-n', join(out, script)], { encoding: 'utf8' });
      assert.equal(syntax.status, 0, `${script}: ${syntax.stderr}`);
    }
    const launch = readFileSync(join(out, 'launch.sh'), 'utf8');
    assert.match(launch, /"trainer\.nnodes=\$\{NNODES:-1\}" "trainer\.n_gpus_per_node=\$\{GPUS_PER_NODE:-8\}"/);
    assert.ok(launch.includes(`MODEL_PATH="\${MODEL_PATH:-${hf}}"`));
    assert.equal((launch.match(/trainer\.nnodes=/g) ?? []).length, 1, 'each parameterised key passed once');
    assert.match(launch, /verl\.model_merger merge --backend fsdp/);
    assert.match(readFileSync(join(out, 'slurm.sbatch'), 'utf8'), /RAY_ADDRESS="\$HEAD:\$PORT" NNODES=/);
    // what verl's file logger writes, then the job's last step with the trained model (here the base itself)
    writeFileSync(
      join(out, 'verl-metrics.jsonl'),
      [1, 2, 3]
        .map((step) => JSON.stringify({ step, data: { 'critic/score/mean': 0.25 * step, 'actor/kl_loss': 0.001 * step, 'actor/pg_loss': -0.1 * step } }))
        .join('\n') + '\n',
    );
    const fin = spawnSync(
      ENGINE_PYTHON,
      ['-m', 'medbridge_engines.finish_job', '--engine', 'verl', '--merged', hf, '--log', 'verl-metrics.jsonl', '--config', 'verl_config.json', '--base', hf],
      { cwd: out, encoding: 'utf8', env: { ...process.env, PYTHONPATH: out, HF_HUB_OFFLINE: '1' } },
    );
    assert.equal(fin.status, 0, fin.stderr.slice(-3000));
    assert.ok(existsSync(join(out, 'checkpoint', 'manifest.json')));
    const back = ok(['import-run', out], ws);
    assert.equal(back.engine, 'verl');
    assert.equal(back.steps, 3);
    assert.equal(back.engineVersion, '0.9.1');
    assert.match(back.configSha256, /^[0-9a-f]{64}$/);
    const events = ok(['runs', 'events', back.run], ws);
    assert.deepEqual(
      events.map((e: { payload: { reward: number } }) => e.payload.reward),
      [0.25, 0.5, 0.75],
    );
    t.diagnostic(`verl job end: ${back.steps} steps imported as ${back.run}, pack ${back.pack.slice(0, 12)}`);
  },
);
