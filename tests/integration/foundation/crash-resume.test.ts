// Acceptance: kill -9 of the worker mid-job, then of the whole host mid-job: the database passes integrity_check,
// the job shows `interrupted`, and `jobs resume` completes it without redoing finished work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isProcessAlive } from '../../../electron/storage/workspace-lock.ts';
import { api, runCli, startServe, tempDir, waitUntil } from '../../helpers/cli.ts';

const BLOBS = 150;
const RATE = 40;

function readDb(ws: string) {
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      job: db.prepare('SELECT state, worker_pid AS pid, cursor, progress_done AS done, attempts FROM jobs').get() as {
        state: string;
        pid: number | null;
        cursor: string | null;
        done: number;
        attempts: number;
      },
      committed: (db.prepare('SELECT count(*) AS n FROM blob_checks').get() as { n: number }).n,
      perAttempt: db.prepare('SELECT attempt, count(*) AS n FROM blob_checks GROUP BY attempt ORDER BY attempt').all() as Array<{ attempt: number; n: number }>,
    };
  } finally {
    db.close();
  }
}

test('kill -9 worker, then kill -9 host: integrity ok, job interrupted, resume finishes without redoing committed work', async (t) => {
  const { dir, cleanup } = tempDir('crash');
  t.after(cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const files = join(dir, 'files');
  mkdirSync(files);
  const paths = Array.from({ length: BLOBS }, (_, i) => {
    const p = join(files, `f${i}.bin`);
    writeFileSync(p, Buffer.from(`blob number ${i}\n`.repeat(200)));
    return p;
  });
  assert.equal(runCli(['blobs', 'add', ...paths, '--workspace', ws]).code, 0);

  // 1. Start the job in a serving host; kill -9 its worker mid-job.
  let s = await startServe(ws);
  t.after(() => s.stop());
  const started = await api(s, 'jobs:start', { kind: 'verify-blobs', params: { maxBlobsPerSecond: RATE } });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const id = started.body.value.id as string;
  await waitUntil('first checkpoints', () => readDb(ws).committed >= 20);
  const workerPid = readDb(ws).job.pid;
  assert.ok(workerPid && workerPid !== s.proc.pid, 'a separate worker process runs the job');
  process.kill(workerPid, 'SIGKILL');
  const afterWorkerKill = await waitUntil('interrupted after worker kill', async () => {
    const j = await api(s, 'jobs:get', { id });
    return j.body.value.state === 'interrupted' ? j.body.value : undefined;
  });
  assert.equal(afterWorkerKill.error.code, 'job/worker-crashed');
  assert.match(afterWorkerKill.error.message, /SIGKILL/);
  const db1 = readDb(ws);
  assert.equal(db1.integrity, 'ok');
  const committedAfterWorkerKill = db1.committed;
  assert.ok(committedAfterWorkerKill > 0 && committedAfterWorkerKill < BLOBS);
  assert.equal(s.proc.exitCode, null, 'the host survives its worker');

  // 2. Resume in the host; kill -9 the whole host mid-job (its worker must go with it).
  const resumed = await api(s, 'jobs:resume', { id });
  assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
  await waitUntil('progress after resume', () => readDb(ws).committed >= committedAfterWorkerKill + 20);
  const worker2 = readDb(ws).job.pid as number;
  s.proc.kill('SIGKILL');
  await waitUntil('host gone', () => s.proc.exitCode !== null || s.proc.signalCode !== null);
  await waitUntil('orphaned worker exits', () => !isProcessAlive(worker2), 10_000);
  const db2 = readDb(ws);
  assert.equal(db2.integrity, 'ok');
  assert.equal(db2.job.state, 'running', 'nobody could record the crash yet');
  const committedAtCrash = db2.committed;
  assert.ok(committedAtCrash < BLOBS, 'killed before the end');

  // 3. The next process to open the workspace marks the job interrupted (audited).
  const listed = runCli(['jobs', 'list', '--workspace', ws, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal((listed.json as Array<{ state: string }>)[0]?.state, 'interrupted');

  // 4. `jobs resume` completes it; every blob checked exactly once (the primary key forbids a second check).
  const done = runCli(['jobs', 'resume', id, '--workspace', ws, '--json']);
  assert.equal(done.code, 0, done.stderr);
  const job = done.json as { state: string; attempts: number; result: { checked: number; resumedFrom: number; checkedThisAttempt: number; ok: boolean } };
  assert.equal(job.state, 'done');
  assert.equal(job.result.checked, BLOBS);
  assert.equal(job.result.ok, true);
  assert.equal(job.result.resumedFrom, committedAtCrash, 'resumed from the committed cursor');
  assert.equal(job.result.checkedThisAttempt, BLOBS - committedAtCrash, 'no committed work redone');
  assert.equal(job.attempts, 3);
  const db3 = readDb(ws);
  assert.equal(db3.integrity, 'ok');
  assert.equal(db3.committed, BLOBS);
  assert.equal(
    db3.perAttempt.reduce((a, r) => a + r.n, 0),
    BLOBS,
  );
  assert.deepEqual(
    db3.perAttempt.map((r) => r.attempt),
    [1, 2, 3],
  );

  // 5. The audit log tells the story and its chain verifies.
  const audit = runCli(['audit', 'verify', '--workspace', ws, '--json']);
  assert.equal(audit.code, 0, audit.stderr);
  const adb = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  const actions = adb.prepare("SELECT action, payload FROM audit_log WHERE subject = ? OR action = 'job:start' ORDER BY seq").all(id) as Array<{
    action: string;
    payload: string;
  }>;
  adb.close();
  assert.deepEqual(
    actions.map((a) => a.action),
    ['job:start', 'job:interrupted', 'job:resume', 'job:interrupted', 'job:resume', 'job:done'],
  );
  assert.match(actions[1]!.payload, /worker-exited/);
  assert.match(actions[3]!.payload, /host-stopped/);
  s = { ...s, stop: async () => undefined };
});
