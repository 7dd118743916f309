// The TRL round trip for real, on the CPU: a frozen version exported with `export-job --engine trl` and a tiny
// Hugging Face model (qwen2_vl, seeded random weights) as the base; its launch.sh, with a two-step budget, runs
// TRL's GRPOTrainer and SFTTrainer with LoRA; the rewards it logged equal MedBridge's answer rule applied to the
// logged completions; `import-run` brings the GRPO run back (engine, version, config and base-model hashes) and
// `diagnose` of the imported pack gives the option probabilities of the merged PyTorch model (reference script)
// within 1e-4. Bad input: a hub id, a base folder of another architecture, an engine folder without metrics.jsonl
// or with a truncated checkpoint file are coded errors naming the file, and nothing is imported.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { answerLetter } from '../../../shared/answer-rule.ts';
import { tempDir } from '../../helpers/cli.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';
import { tinyHfModel } from '../../helpers/tiny-hf-models.ts';
import { compareDumpWithReference } from '../../helpers/hf-reference-parity.ts';
import { buildDiagnosisWorkspace, cli, ok } from '../diagnosis/diagnosis-workspace.ts';

const skip = enginePythonMissing();
let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;
let hf: string;

function jsonl(path: string): any[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

function launch(folder: string, extra: string[] = []): void {
  const r = spawnSync(join(folder, 'launch.sh'), ['--max-steps', '2', '--cpu', ...extra], {
    encoding: 'utf8',
    env: { ...process.env, MEDBRIDGE_PYTHON: ENGINE_PYTHON },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  assert.equal(r.status, 0, `launch.sh failed: ${r.stderr.slice(-4000)}`);
}

before(() => {
  if (skip) return;
  ({ dir, cleanup } = tempDir('trl-round-trip'));
  ws = join(dir, 'W');
  version = buildDiagnosisWorkspace(ws, 24);
  hf = tinyHfModel('qwen2_vl').hf;
});
after(() => cleanup?.());

test('GRPO with LoRA through TRL: 2 steps, rewards = the shared answer rule on the logged completions, merged and converted', { skip: skip ?? false }, (t) => {
  const out = join(dir, 'grpo');
  const r = ok(['export-job', '--engine', 'trl', '--version', version, '--out', out, '--base-model', hf, '--algorithm', 'grpo', '--lora-rank', '4'], ws);
  assert.ok(r.files.includes('trl_config.json'));
  const config = JSON.parse(readFileSync(join(out, 'trl_config.json'), 'utf8'));
  assert.equal(config.lora.r, 4);
  launch(out, ['--guard-every', '1']);
  const completions = jsonl(join(out, 'completions.jsonl'));
  assert.ok(completions.length >= config.grpo.num_generations, `${completions.length} completions`);
  for (const c of completions) {
    const letter = answerLetter(c.completion, c.options);
    assert.equal(c.letter, letter, `letter of ${JSON.stringify(c.completion)}`);
    assert.equal(c.reward, letter === c.answer ? 1 : 0);
  }
  const metrics = jsonl(join(out, 'metrics.jsonl'));
  const train = metrics.filter((m) => m.kind === 'train');
  assert.deepEqual(
    train.map((m) => m.step),
    [1, 2],
  );
  // the support guard scored the validation items on the starting model (step 0) and at both steps
  const evals = metrics.filter((m) => m.kind === 'eval');
  assert.deepEqual(
    evals.map((m) => m.step),
    [0, 1, 2],
  );
  // … and set itself as the app's guard does: baseline = the step-0 Pass@K, margin ≥ the floor, judged only at a K
  // whose chance level stays below the support target for the items' option count
  const guard = metrics.find((m) => m.kind === 'guard');
  assert.ok(guard, 'a guard event at the start');
  assert.equal(guard.step, 0);
  assert.equal(guard.baselinePassAtK, evals[0].passAtK[String(guard.k)]);
  assert.ok(guard.margin >= config.supportGuard.margin && guard.margin === Math.max(config.supportGuard.margin, guard.bootstrapHalfWidth));
  assert.equal(guard.persistence, config.supportGuard.persistence);
  assert.equal(guard.applies, guard.chanceAtK < 0.8);
  assert.ok(evals.every((m) => m.acc1 >= 0 && m.acc1 <= 1 && Object.values(m.passAtK as Record<string, number>).every((p) => p >= 0 && p <= 1)));
  // TRL's logged mean reward of step 1 is the mean of the first generation batch the rule scored
  const firstBatch = completions.slice(0, config.grpo.num_generations);
  const mean = firstBatch.reduce((s, c) => s + c.reward, 0) / firstBatch.length;
  assert.ok(Math.abs(train[0].reward - mean) < 1e-6, `TRL reward ${train[0].reward} vs rule ${mean}`);
  const run = JSON.parse(readFileSync(join(out, 'engine-run.json'), 'utf8'));
  assert.equal(run.engine, 'trl');
  assert.equal(run.steps, 2);
  assert.match(run.engineVersion, /^\d+\.\d+/);
  assert.match(run.baseModelSha256, /^[0-9a-f]{64}$/);
  assert.ok(existsSync(join(out, 'checkpoint', 'manifest.json')));
  t.diagnostic(`${completions.length} completions scored; mean reward step 1 = ${mean}`);
});

test('SFT with LoRA through TRL: 2 steps, merged and converted', { skip: skip ?? false }, () => {
  const out = join(dir, 'sft');
  ok(['export-job', '--engine', 'trl', '--version', version, '--out', out, '--base-model', hf, '--algorithm', 'sft'], ws);
  launch(out);
  const train = jsonl(join(out, 'metrics.jsonl')).filter((m) => m.kind === 'train');
  assert.deepEqual(
    train.map((m) => m.step),
    [1, 2],
  );
  assert.ok(train.every((m) => typeof m.loss === 'number' && Number.isFinite(m.loss)));
  assert.ok(existsSync(join(out, 'checkpoint', 'manifest.json')));
});

test('import-run of the GRPO run, then diagnose: the imported pack equals the merged PyTorch model (1e-4, 24 items)', { skip: skip ?? false }, (t) => {
  const out = join(dir, 'grpo');
  const r = ok(['import-run', out], ws);
  assert.equal(r.engine, 'trl');
  assert.equal(r.version, version);
  assert.equal(r.packKind, 'vlm');
  assert.match(r.configSha256, /^[0-9a-f]{64}$/);
  assert.match(r.baseModelSha256, /^[0-9a-f]{64}$/);
  assert.match(r.engineVersion, /^\d+\.\d+/);
  const d = ok(['diagnose', '--model', r.pack, '--version', version, '--split', 'all', '--dump', join(dir, 'dump')], ws);
  const { items: dumped, worst } = compareDumpWithReference(ws, join(dir, 'dump'), join(out, 'merged'), dir);
  assert.equal(dumped.length, d.overall.n);
  assert.ok(dumped.length >= 20);
  t.diagnostic(`imported TRL pack vs merged PyTorch model: max |Δp| ${worst.toExponential(2)} over ${dumped.length} items`);
  assert.ok(worst <= 1e-4, `max |Δp| ${worst}`);
  // the guard inside TRL scores validation exactly as diagnosis does: its last evaluation (final weights) equals
  // MedBridge's diagnosis of the imported pack on the validation split
  const lastEval = jsonl(join(out, 'metrics.jsonl'))
    .filter((m) => m.kind === 'eval')
    .at(-1);
  const [k, guardPass] = Object.entries(lastEval.passAtK as Record<string, number>)[0] as [string, number];
  const val = ok(['diagnose', '--model', r.pack, '--version', version, '--split', 'val', '--k', `1,${k}`], ws);
  assert.equal(val.overall.n, lastEval.n);
  assert.ok(Math.abs(val.overall.acc1 - lastEval.acc1) < 1e-9, `Acc@1 ${val.overall.acc1} vs guard ${lastEval.acc1}`);
  assert.ok(Math.abs(val.overall.passAtK[k] - guardPass) < 1e-4, `Pass@${k} ${val.overall.passAtK[k]} vs guard ${guardPass}`);
  t.diagnostic(
    `guard's last evaluation vs diagnose --split val: Acc@1 ${lastEval.acc1} = ${val.overall.acc1}; Pass@${k} ${guardPass.toFixed(6)} vs ${val.overall.passAtK[k].toFixed(6)}`,
  );
  assert.equal(ok(['audit', 'verify'], ws).ok, true);
});

test('refused: a hub id as base, a base of another architecture, no metrics.jsonl, a truncated checkpoint file', { skip: skip ?? false }, () => {
  const hub = cli(['export-job', '--engine', 'trl', '--version', version, '--out', join(dir, 'x1'), '--base-model', 'Qwen/Qwen2.5-VL-7B-Instruct'], ws);
  assert.notEqual(hub.code, 0);
  assert.match(hub.stderr, /export\/hub-id-refused/);
  assert.equal(existsSync(join(dir, 'x1')), false);
  const other = join(dir, 'florence');
  cpSync(hf, other, { recursive: true });
  writeFileSync(join(other, 'config.json'), JSON.stringify({ model_type: 'florence2' }));
  const wrong = cli(['export-job', '--engine', 'trl', '--version', version, '--out', join(dir, 'x2'), '--base-model', other], ws);
  assert.match(wrong.stderr, /export\/unsupported-architecture.*config\.json/s);
  assert.equal(existsSync(join(dir, 'x2')), false);

  const before = ok(['runs', 'list'], ws).length;
  const packsBefore = ok(['models', 'list'], ws).length;
  const noMetrics = join(dir, 'no-metrics');
  cpSync(join(dir, 'grpo'), noMetrics, { recursive: true });
  rmSync(join(noMetrics, 'metrics.jsonl'));
  const m = cli(['import-run', noMetrics], ws);
  assert.match(m.stderr, /import\/missing-metrics.*metrics\.jsonl/s);
  const cut = join(dir, 'cut');
  cpSync(join(dir, 'sft'), cut, { recursive: true });
  const decoder = join(cut, 'checkpoint', 'onnx', 'decoder_model_merged.onnx');
  truncateSync(decoder, Math.floor(readFileSync(decoder).length / 2));
  const c = cli(['import-run', cut], ws);
  assert.notEqual(c.code, 0);
  assert.match(c.stderr, /decoder_model_merged\.onnx/);
  assert.equal(ok(['runs', 'list'], ws).length, before, 'no run imported');
  assert.equal(ok(['models', 'list'], ws).length, packsBefore, 'no pack registered');
});

test('a run trained on a qwen2_vl pack cannot be exported with a base model of another architecture (llava)', { skip: skip ?? false }, () => {
  const pack = ok(['models', 'list'], ws).find((p: { architecture: string | null }) => p.architecture === 'qwen2_vl');
  assert.ok(pack, 'the imported qwen2_vl pack');
  const cfg = join(dir, 'sft-tiny.json');
  writeFileSync(cfg, JSON.stringify({ steps: 2, evalEvery: 1 }));
  const trained = ok(['train', 'sft', '--model', pack.id, '--version', version, '--config', cfg], ws);
  const llava = tinyHfModel('llava').hf;
  const r = cli(['export-job', '--engine', 'trl', '--run', trained.run, '--out', join(dir, 'x3'), '--base-model', llava], ws);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /export\/base-architecture-mismatch.*llava.*qwen2_vl.*config\.json/s);
  assert.equal(existsSync(join(dir, 'x3')), false);
  // the same run with a base of its own architecture is accepted
  const same = ok(['export-job', '--engine', 'trl', '--run', trained.run, '--out', join(dir, 'x4'), '--base-model', hf], ws);
  assert.equal(JSON.parse(readFileSync(join(dir, 'x4', 'trl_config.json'), 'utf8')).algorithm, 'sft');
  assert.equal(same.run, trained.run);
});

test(
  'the report of a study with the TRL run names the engine, its version, the config hash and the base-model hash; the bundle verifies',
  { skip: skip ?? false },
  () => {
    const ext = ok(['runs', 'list'], ws).find((r: { kind: string }) => r.kind === 'external');
    assert.ok(ext, 'the imported run is listed');
    const shown = ok(['runs', 'show', ext.id], ws);
    const study = ok(
      ['studies', 'create', '--name', 'TRL round trip', '--runs', ext.id, '--intended-use', 'Software test of the TRL round trip; not for clinical use.'],
      ws,
    );
    const out = join(dir, 'report');
    ok(['report', '--study', study.id, '--out', out], ws);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /trained by <b>trl<\/b> \d+\.\d+/);
    assert.ok(html.includes(shown.config.configSha256), 'config hash in the report');
    assert.ok(html.includes(shown.config.baseModelSha256), 'base-model hash in the report');
    const verify = cli(['audit', 'verify', '--bundle', out], ws);
    assert.equal(verify.code, 0, verify.stderr);
    // the bundle carries the imported run (engine provenance and its curves) under its manifest: an edit is named
    const runPath = join(out, 'runs', `${ext.id}.json`);
    const record = JSON.parse(readFileSync(runPath, 'utf8'));
    assert.equal(record.config.configSha256, shown.config.configSha256);
    record.config.engineVersion = '9.9.9';
    writeFileSync(runPath, JSON.stringify(record));
    const tampered = cli(['audit', 'verify', '--bundle', out], ws);
    assert.notEqual(tampered.code, 0);
    assert.ok(tampered.stderr.includes(`runs/${ext.id}.json`) || tampered.stdout.includes(`runs/${ext.id}.json`), `${tampered.stdout} ${tampered.stderr}`);
  },
);
