// "Run on an engine" (renderer/src/lib/format/engine.ts): which requests go to training:export / training:import,
// the commands shown and the import sentence. Expected values are worked by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkEngineExport,
  checkImportFolder,
  engineCommands,
  importSummary,
  type EngineExport,
  type EngineImport,
} from '../../../renderer/src/lib/format/engine.ts';

test("checkEngineExport: TRL gets the step's algorithm; paths trimmed; hub names, relative paths, SFT on verl and no version refused", () => {
  assert.deepEqual(checkEngineExport('trl', 'bridge', 'dv-1', ' /models/qwen ', ' /jobs/a '), {
    ok: true,
    request: { engine: 'trl', version: 'dv-1', out: '/jobs/a', baseModel: '/models/qwen', algorithm: 'sft' },
  });
  assert.deepEqual(checkEngineExport('trl', 'sharpen', 'dv-1', '/m', '/j'), {
    ok: true,
    request: { engine: 'trl', version: 'dv-1', out: '/j', baseModel: '/m', algorithm: 'grpo' },
  });
  assert.deepEqual(checkEngineExport('verl', 'sharpen', 'dv-1', '/m', '/j'), {
    ok: true,
    request: { engine: 'verl', version: 'dv-1', out: '/j', baseModel: '/m' },
  });
  const err = (r: ReturnType<typeof checkEngineExport>) => (r.ok ? '' : r.error);
  assert.match(err(checkEngineExport('verl', 'bridge', 'dv-1', '/m', '/j')), /runs on TRL/);
  assert.match(err(checkEngineExport('trl', 'bridge', null, '/m', '/j')), /Freeze a dataset version/);
  assert.match(err(checkEngineExport('trl', 'bridge', 'dv-1', 'Qwen/Qwen2.5-VL-7B-Instruct', '/j')), /model-hub name is not downloaded/);
  assert.match(err(checkEngineExport('trl', 'bridge', 'dv-1', '', '/j')), /config\.json/);
  assert.match(err(checkEngineExport('trl', 'bridge', 'dv-1', '/m', 'job')), /full path/);
});

test('engineCommands: run and import commands; a CPU smoke run for TRL only', () => {
  const r = { out: '/jobs/a', engine: 'trl' } as EngineExport;
  assert.deepEqual(engineCommands(r), {
    run: 'cd /jobs/a && ./launch.sh',
    smoke: 'cd /jobs/a && ./launch.sh --max-steps 2 --cpu',
    back: 'medbridge import-run /jobs/a',
  });
  assert.equal(engineCommands({ ...r, engine: 'verl' }).smoke, null);
});

test('checkImportFolder and importSummary', () => {
  assert.deepEqual(checkImportFolder(' /jobs/a '), { ok: true, dir: '/jobs/a' });
  assert.equal(checkImportFolder('jobs').ok, false);
  const r = {
    run: 'run-ext-1',
    pack: 'a'.repeat(64),
    packKind: 'vlm',
    engine: 'trl',
    version: 'dv-1',
    sourceRun: null,
    steps: 2,
    final: null,
    engineVersion: '1.16.0',
    configSha256: 'b'.repeat(64),
    baseModelSha256: 'c'.repeat(64),
  } as EngineImport;
  assert.equal(
    importSummary(r),
    `Imported run run-ext-1 trained by trl 1.16.0 (2 logged steps; config SHA-256 bbbbbbbbbbbb…, base model cccccccccccc…); its model is registered as pack aaaaaaaaaaaa… — pick it in Diagnose to measure it.`,
  );
  assert.match(
    importSummary({ ...r, engine: null, engineVersion: null, configSha256: null, baseModelSha256: null, steps: 1 }),
    /trained by an external engine \(1 logged step\)/,
  );
});
