// Determinism of training runs: the same seed gives identical metrics and identical checkpoint hashes at every
// checkpoint; kill -9 of the worker mid-run then `jobs resume` ends on the same final checkpoint hash as an
// uninterrupted run of the same job on a copy of the workspace. Real SQLite, ONNX Runtime (features), worker processes.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { api, runCli, startServe, tempDir, waitUntil } from '../../helpers/cli.ts';
import { REFERENCE_PACK, buildBreastWorkspace, ok, train } from './training-workspace.ts';

const TOTAL = 160;
/** Long enough that the kill lands mid-run (the guard is off so the run always goes the full length). */
const LONG = { steps: 400, evalEvery: 10, batchSize: 16, learningRate: 0.001, guard: { enabled: false } };
const KILL_AFTER_CHECKPOINTS = 4;

let dir: string;
let cleanup: () => void;
let ws: string;
let copy: string;
let version: string;

before(() => {
  ({ dir, cleanup } = tempDir('train-determinism'));
  ws = join(dir, 'W');
  version = buildBreastWorkspace(ws, TOTAL);
  copy = join(dir, 'W2');
  cpSync(ws, copy, { recursive: true });
});
after(() => cleanup());

const checkpoints = (out: any): string[] => out.events.filter((e: any) => e.kind === 'checkpoint').map((e: any) => e.state);

test('same seed → identical metrics and checkpoint hashes (GRPO-CARE, sampling across option orders)', () => {
  const config = { steps: 30, evalEvery: 5, batchSize: 16, guard: { enabled: false } };
  const a = train(ws, 'grpo-care', version, config, ['--seed', '7']);
  const b = train(ws, 'grpo-care', version, config, ['--seed', '7']);
  const c = train(ws, 'grpo-care', version, config, ['--seed', '8']);
  assert.notEqual(a.run, b.run);
  assert.match(a.checkpoint, /^[0-9a-f]{64}$/);
  assert.equal(a.checkpoint, b.checkpoint);
  assert.equal(a.adapter, b.adapter);
  assert.deepEqual(checkpoints(a), checkpoints(b));
  assert.ok(checkpoints(a).length >= 7, 'a checkpoint every 5 steps plus the start');
  assert.deepEqual(a.val, b.val);
  const curve = (o: any) => o.events.filter((e: any) => e.kind === 'train' || e.kind === 'eval').map((e: any) => ({ ...e, seq: 0 }));
  assert.deepEqual(curve(a), curve(b), 'identical loss / reward / consistency / validation curves');
  assert.notEqual(a.checkpoint, c.checkpoint, 'another seed takes another trajectory');
  assert.ok(
    a.events.some((e: any) => e.kind === 'train' && typeof e.consistency === 'number'),
    'GRPO-CARE records consistency',
  );
});

function jobState(path: string): { pid: number | null; state: string; checkpoints: number } {
  const db = new Database(join(path, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const job = db.prepare("SELECT worker_pid AS pid, state FROM jobs WHERE kind = 'train' ORDER BY created_at DESC LIMIT 1").get() as
      { pid: number | null; state: string } | undefined;
    const n = (db.prepare("SELECT count(*) AS n FROM run_events WHERE kind = 'checkpoint'").get() as { n: number }).n;
    return { pid: job?.pid ?? null, state: job?.state ?? 'none', checkpoints: n };
  } finally {
    db.close();
  }
}

test('kill -9 mid-run, then jobs resume → the same final checkpoint hash as an uninterrupted run', async (t) => {
  const before0 = jobState(ws).checkpoints;
  const s = await startServe(ws);
  t.after(() => s.stop());
  const started = await api(s, 'training:start', { model: REFERENCE_PACK, version, algorithm: 'grpo', config: LONG, seed: 11 });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const { run, job } = started.body.value as { run: string; job: { id: string } };
  await waitUntil('first checkpoints', () => jobState(ws).checkpoints >= before0 + KILL_AFTER_CHECKPOINTS, 60_000, 5);
  const pid = jobState(ws).pid;
  assert.ok(pid && pid !== s.proc.pid);
  process.kill(pid, 'SIGKILL');
  await waitUntil('interrupted', async () => (await api(s, 'jobs:get', { id: job.id })).body.value.state === 'interrupted');
  const events = (await api(s, 'runs:events', { id: run, kind: 'checkpoint' })).body.value as Array<{ step: number }>;
  const lastStep = Math.max(...events.map((e) => e.step ?? 0));
  assert.ok(lastStep < LONG.steps, `killed mid-run (last checkpoint at step ${lastStep})`);
  await s.stop();

  const resumed = runCli(['jobs', 'resume', job.id, '--workspace', ws, '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const done = resumed.json as { state: string; result: { resumedFrom: number; checkpoint: string } };
  assert.equal(done.state, 'done');
  assert.ok(done.result.resumedFrom > 0, 'resumed from the committed cursor, not from step 0');

  const uninterrupted = train(copy, 'grpo', version, LONG, ['--seed', '11']);
  assert.equal(done.result.checkpoint, uninterrupted.checkpoint, 'bit-for-bit the same trajectory');
  const shown = ok(['runs', 'show', run], ws);
  assert.deepEqual(shown.metrics.overall, ok(['runs', 'show', uninterrupted.run], copy).metrics.overall);
  assert.equal(ok(['audit', 'verify'], ws).ok, true);
});
