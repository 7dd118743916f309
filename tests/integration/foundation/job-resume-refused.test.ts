// jobs:resume refuses what cannot succeed (shared/job-resume.ts, the rule the Jobs table's Resume button follows): an
// import that failed on its file and a registration that failed on a changed pack file answer `job/not-resumable`
// (409) naming what to do instead, change nothing and write no audit entry; a cancelled job still resumes to the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, REPO_ROOT, runCli, startServe, tempDir, waitUntil } from '../../helpers/cli.ts';

const REFERENCE_PACK = join(REPO_ROOT, 'resources', 'models', 'reference-v1');
const FILES = 40;
/** Slow enough that the check can be cancelled part-way. */
const RATE = 10;

async function ended(s: { base: string; token: string }, id: string): Promise<any> {
  return waitUntil(
    `job ${id} to end`,
    async () => {
      const j = (await api(s, 'jobs:get', { id })).body.value;
      return ['done', 'failed', 'cancelled', 'interrupted'].includes(j.state) ? j : undefined;
    },
    60_000,
    50,
  );
}

test('jobs:resume: failed on its input → job/not-resumable, nothing changes; cancelled → resumes to done', async (t) => {
  const { dir, cleanup } = tempDir('resume-refused');
  t.after(cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const files: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const f = join(dir, `f${i}.bin`);
    writeFileSync(f, `stored file ${i}`);
    files.push(f);
  }
  assert.equal(runCli(['blobs', 'add', ...files, '--workspace', ws]).code, 0);
  const bad = join(dir, 'breastmnist.npz');
  writeFileSync(bad, Buffer.alloc(1024, 1));
  const pack = join(dir, 'changed-pack');
  cpSync(REFERENCE_PACK, pack, { recursive: true });
  const head = join(pack, 'answer_head.onnx');
  const bytes = readFileSync(head);
  bytes[0] = (bytes[0] as number) ^ 0xff;
  writeFileSync(head, bytes);

  const s = await startServe(ws);
  t.after(() => s.stop());

  const imported = await api(s, 'datasets:import', { source: 'medmnist', path: bad });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  const importJob = await ended(s, imported.body.value.job.id);
  assert.equal(importJob.state, 'failed');
  assert.match(importJob.error.code, /^import\//);

  const registered = await api(s, 'models:register', { path: pack });
  const registerJob = await ended(s, registered.body.value.id);
  assert.equal(registerJob.state, 'failed');
  assert.equal(registerJob.error.code, 'model/hash-mismatch');

  const auditHead = async () => (await api(s, 'audit:list', { limit: 1 })).body.value[0].seq as number;
  const before = await auditHead();
  for (const [job, instead] of [
    [importJob, /Fix the source and import it again\.$/],
    [registerJob, /Fix or re-copy the pack folder and register it again\.$/],
  ] as const) {
    const r = await api(s, 'jobs:resume', { id: job.id });
    assert.equal(r.status, 409);
    assert.equal(r.body.ok, false);
    assert.equal(r.body.error.code, 'job/not-resumable');
    assert.match(
      r.body.error.message,
      new RegExp(`^Job ${job.id} failed on its input \\(${job.error.code}\\); resuming would read the same input and fail again\\.`),
    );
    assert.match(r.body.error.message, instead);
    assert.equal(r.body.error.detail.failedWith, job.error.code);
    const after = (await api(s, 'jobs:get', { id: job.id })).body.value;
    assert.deepEqual(
      { state: after.state, attempts: after.attempts, error: after.error },
      { state: 'failed', attempts: job.attempts, error: job.error },
      'the refused job is left as it was',
    );
  }
  assert.equal(await auditHead(), before, 'a refused resume writes no audit entry');

  // A cancelled job is resumable and runs to the end.
  const started = await api(s, 'jobs:start', { kind: 'verify-blobs', params: { maxBlobsPerSecond: RATE } });
  const id = started.body.value.id as string;
  await waitUntil('the check under way', async () => (await api(s, 'jobs:get', { id })).body.value.progress.done >= 2, 20_000, 20);
  assert.equal((await api(s, 'jobs:cancel', { id })).status, 200);
  const cancelled = await ended(s, id);
  assert.equal(cancelled.state, 'cancelled');
  assert.ok(cancelled.progress.done < FILES);
  const resumed = await api(s, 'jobs:resume', { id });
  assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
  const done = await ended(s, id);
  assert.equal(done.state, 'done');
  assert.equal(done.result.checked, FILES);
  // resuming a finished job is refused as before, with the state in its message
  const again = await api(s, 'jobs:resume', { id });
  assert.equal(again.body.error.code, 'job/not-resumable');
  assert.equal(again.body.error.message, `Job ${id} is done; only cancelled, interrupted or failed jobs can be resumed.`);
});
