// kill -9 of the diagnose worker mid-run, then `jobs resume`: the run completes from its committed cursor with
// metrics identical to an uninterrupted run on a copy of the same workspace (same items, fresh feature cache).
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { api, runCli, startServe, tempDir, waitUntil } from '../../helpers/cli.ts';
import { REFERENCE_PACK, buildDiagnosisWorkspace, ok } from './diagnosis-workspace.ts';

/** Small batches = many checkpoints, so the kill lands mid-run. */
const BATCH = 2;
const KILL_AFTER_ITEMS = 20;
const TOTAL = 600;

let dir: string;
let cleanup: () => void;
let ws: string;
let copy: string;
let version: string;

before(() => {
  ({ dir, cleanup } = tempDir('diagnose-resume'));
  ws = join(dir, 'W');
  version = buildDiagnosisWorkspace(ws, TOTAL);
  ok(['models', 'add', REFERENCE_PACK], ws);
  copy = join(dir, 'W2');
  cpSync(ws, copy, { recursive: true });
});
after(() => cleanup());

function state(path: string): { pid: number | null; items: number; jobState: string } {
  const db = new Database(join(path, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const job = db.prepare("SELECT worker_pid AS pid, state FROM jobs WHERE kind = 'diagnose'").get() as { pid: number | null; state: string } | undefined;
    return { pid: job?.pid ?? null, jobState: job?.state ?? 'none', items: (db.prepare('SELECT count(*) AS n FROM run_items').get() as { n: number }).n };
  } finally {
    db.close();
  }
}

test('kill -9 of the worker, then jobs resume: identical metrics to an uninterrupted run', async (t) => {
  const s = await startServe(ws);
  t.after(() => s.stop());
  const started = await api(s, 'runs:diagnose', { model: REFERENCE_PACK, version, split: 'all', batchSize: BATCH });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const { run, job } = started.body.value as { run: string; job: { id: string } };
  await waitUntil('first checkpoints', () => state(ws).items >= KILL_AFTER_ITEMS, 60_000, 5);
  const pid = state(ws).pid;
  assert.ok(pid && pid !== s.proc.pid);
  process.kill(pid, 'SIGKILL');
  const interrupted = await waitUntil('interrupted', async () => {
    const j = await api(s, 'jobs:get', { id: job.id });
    return j.body.value.state === 'interrupted' ? j.body.value : undefined;
  });
  assert.equal(interrupted.error.code, 'job/worker-crashed');
  const atCrash = state(ws).items;
  const total = ok(['versions', 'show', version], copy).n as number;
  assert.ok(atCrash < total, `killed before the end (${atCrash} of ${total})`);
  assert.equal((await api(s, 'runs:get', { id: run })).body.value.state, 'interrupted');
  await s.stop();

  const resumed = runCli(['jobs', 'resume', job.id, '--workspace', ws, '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const done = resumed.json as { state: string; result: { resumedFrom: number; scoredThisAttempt: number } };
  assert.equal(done.state, 'done');
  assert.equal(done.result.resumedFrom, atCrash, 'resumed from the committed cursor');
  assert.equal(done.result.scoredThisAttempt, total - atCrash, 'no committed item scored twice');
  const resumedRun = ok(['runs', 'show', run], ws);
  assert.equal(resumedRun.n, total);

  const uninterrupted = ok(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'all', '--batch', String(BATCH)], copy);
  assert.equal(uninterrupted.cache.hits, 0, 'the copy computes everything afresh');
  assert.deepEqual(resumedRun.metrics.overall, uninterrupted.overall);
  assert.deepEqual(resumedRun.metrics.byModality, uninterrupted.byModality);
  assert.deepEqual(resumedRun.metrics.byTask, uninterrupted.byTask);
  assert.deepEqual(resumedRun.metrics.bySplit, uninterrupted.bySplit);
  assert.equal(ok(['audit', 'verify'], ws).ok, true);
});
