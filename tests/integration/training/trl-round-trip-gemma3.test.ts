// The TRL round trip with a Gemma 3 base (MedGemma's architecture; a tiny seeded random-weight model): SFT with LoRA
// for two steps on the CPU through the exported job's launch.sh, `import-run`, then `diagnose` of the imported pack
// against the merged PyTorch model run by the reference script (1e-4). The job converts the merged model with the
// same converter as `models convert`, so this checks that a Gemma 3 run comes back with its bidirectional image
// attention intact. (tests/integration/training/trl-round-trip.test.ts covers GRPO, the guard and the refusals.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../../helpers/cli.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';
import { compareDumpWithReference, jsonl } from '../../helpers/hf-reference-parity.ts';
import { tinyHfModel } from '../../helpers/tiny-hf-models.ts';
import { buildDiagnosisWorkspace, ok } from '../diagnosis/diagnosis-workspace.ts';

const skip = enginePythonMissing();
let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;

before(() => {
  if (skip) return;
  ({ dir, cleanup } = tempDir('trl-gemma3'));
  ws = join(dir, 'W');
  version = buildDiagnosisWorkspace(ws, 24);
});
after(() => cleanup?.());

test('gemma3 base: SFT with LoRA through TRL, import-run, and the imported pack equals the merged PyTorch model (1e-4)', { skip: skip ?? false }, (t) => {
  const out = join(dir, 'sft');
  ok(
    ['export-job', '--engine', 'trl', '--version', version, '--out', out, '--base-model', tinyHfModel('gemma3').hf, '--algorithm', 'sft', '--lora-rank', '4'],
    ws,
  );
  const run = spawnSync(join(out, 'launch.sh'), ['--max-steps', '2', '--cpu'], {
    encoding: 'utf8',
    env: { ...process.env, MEDBRIDGE_PYTHON: ENGINE_PYTHON },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  assert.equal(run.status, 0, `launch.sh failed: ${run.stderr.slice(-4000)}`);
  const train = jsonl(join(out, 'metrics.jsonl')).filter((m) => m.kind === 'train');
  assert.deepEqual(
    train.map((m) => m.step),
    [1, 2],
  );
  assert.ok(
    train.every((m) => Number.isFinite(m.loss) && m.loss > 0),
    'SFT loss logged at each step',
  );
  const r = ok(['import-run', out], ws);
  assert.equal(r.engine, 'trl');
  const added = ok(['models', 'list'], ws).find((p: { id: string }) => p.id === r.pack);
  assert.equal(added?.architecture, 'gemma3');
  const d = ok(['diagnose', '--model', r.pack, '--version', version, '--split', 'all', '--dump', join(dir, 'dump')], ws);
  const { items: dumped, worst } = compareDumpWithReference(ws, join(dir, 'dump'), join(out, 'merged'), dir);
  assert.equal(dumped.length, d.overall.n);
  t.diagnostic(`imported gemma3 TRL pack vs merged PyTorch model: max |Δp| ${worst.toExponential(2)} over ${dumped.length} items`);
  assert.ok(worst <= 1e-4, `max |Δp| ${worst}`);
});
