import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../../shared/api/jobs.ts';
import { JobKind, RESUMABLE_STATES } from '../../../shared/api/jobs.ts';
import {
  canCancel,
  canResume,
  currentCopy,
  describeOutcome,
  JOB_KIND_LABEL,
  mergeJobLists,
  RESUMABLE,
  upsertJob,
} from '../../../renderer/src/lib/format/jobs.ts';

function job(id: string, over: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'verify-blobs',
    state: 'running',
    params: { maxBlobsPerSecond: 20 },
    progress: { done: 0, total: 60, rate: 0, etaSeconds: null, message: '' },
    attempts: 1,
    checkpoints: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    error: null,
    result: null,
    ...over,
  };
}

test('the renderer’s resumable states are the contract’s', () => {
  assert.deepEqual([...RESUMABLE].sort(), [...RESUMABLE_STATES].sort());
});

test('every job kind in the contract has a name in the UI', () => {
  for (const kind of JobKind.options) assert.ok(JOB_KIND_LABEL[kind], `no label for job kind "${kind}" in shared/job-kind-labels.ts`);
});

test('Cancel only while queued or running; Resume only when cancelled, interrupted or failed', () => {
  const states = ['queued', 'running', 'cancelling', 'cancelled', 'interrupted', 'failed', 'done'] as const;
  assert.deepEqual(
    states.filter((s) => canCancel({ state: s })),
    ['queued', 'running'],
  );
  assert.deepEqual(
    states.filter((s) => canResume(job('x', { state: s }))),
    ['cancelled', 'interrupted', 'failed'],
  );
});

test('upsertJob adds new jobs newest first and replaces by id', () => {
  const a = job('a', { createdAt: '2026-01-01T00:00:01.000Z' });
  const b = job('b', { createdAt: '2026-01-01T00:00:02.000Z' });
  let list = upsertJob([], a);
  list = upsertJob(list, b);
  assert.deepEqual(
    list.map((j) => j.id),
    ['b', 'a'],
  );
  const a2 = job('a', { createdAt: a.createdAt, updatedAt: '2026-01-01T00:00:05.000Z', state: 'done' });
  list = upsertJob(list, a2);
  assert.equal(list.find((j) => j.id === 'a')?.state, 'done');
  assert.equal(list.length, 2);
});

test('upsertJob ignores an older copy that raced a pushed event', () => {
  const newer = job('a', { updatedAt: '2026-01-01T00:00:09.000Z', state: 'cancelled' });
  const older = job('a', { updatedAt: '2026-01-01T00:00:08.000Z', state: 'cancelling' });
  const list = upsertJob([newer], older);
  assert.equal(list[0]?.state, 'cancelled');
});

test("currentCopy: a done event that overtook the call starting the job wins over the call's running copy", () => {
  const started = job('r', { kind: 'register-model', state: 'running', updatedAt: '2026-01-01T00:00:01.000Z' });
  const done = job('r', { kind: 'register-model', state: 'done', updatedAt: '2026-01-01T00:00:02.000Z', result: { packId: 'p' } });
  assert.equal(currentCopy(started, done), done, 'the pushed copy is newer');
  assert.equal(currentCopy(started, undefined), started, 'no event yet');
  assert.equal(currentCopy(started, job('other', { state: 'done', updatedAt: '2026-01-01T00:00:09.000Z' })), started, 'another job');
  assert.equal(currentCopy(done, job('r', { updatedAt: '2026-01-01T00:00:01.500Z' })), done, 'an older pushed copy');
  const doneSameTime = { ...done, updatedAt: started.updatedAt };
  assert.equal(currentCopy(started, doneSameTime), doneSameTime, 'same time: the ended copy');
  assert.equal(currentCopy(doneSameTime, started), doneSameTime, 'same time, the returned copy already ended');
});

test('mergeJobLists keeps held copies newer than the loaded list', () => {
  const held = [job('a', { updatedAt: '2026-01-01T00:00:09.000Z', progress: { done: 30, total: 60, rate: 10, etaSeconds: 3, message: '' } })];
  const loaded = [job('a', { updatedAt: '2026-01-01T00:00:05.000Z' }), job('b', { createdAt: '2026-01-01T00:00:10.000Z' })];
  const merged = mergeJobLists(held, loaded);
  assert.deepEqual(
    merged.map((j) => j.id),
    ['b', 'a'],
  );
  assert.equal(merged[1]?.progress.done, 30);
});

test('describeOutcome: a clean verification, and one that found corrupt files', () => {
  assert.equal(describeOutcome(job('a')), null, 'no outcome before done');
  const clean = describeOutcome(job('a', { state: 'done', result: { checked: 60, corrupt: [], ok: true, checkedThisAttempt: 54, resumedFrom: 6 } }));
  assert.equal(clean?.tone, 'success');
  assert.equal(clean?.text, 'All 60 stored files match their hash. Resumed after 6; 54 checked in the last attempt.');
  const corrupt = Array.from({ length: 10 }, (_, i) => `${i}`.repeat(64));
  const bad = describeOutcome(job('a', { state: 'done', result: { checked: 60, corrupt, ok: false } }));
  assert.equal(bad?.tone, 'danger');
  assert.match(bad?.text ?? '', /^10 of 60 stored files do not match their hash\./);
  assert.equal(bad?.items.length, 8);
  assert.equal(bad?.more, 2);
});

test('describeOutcome: a registered model pack names it, its size and the id', () => {
  const id = 'ab'.repeat(32);
  const r = describeOutcome(
    job('m', {
      kind: 'register-model',
      state: 'done',
      result: { packId: id, name: 'medbridge-reference', kind: 'reference', files: 4, bytes: 3 * 1024 ** 3, created: true },
    }),
  );
  assert.equal(r?.tone, 'success');
  assert.equal(r?.text, 'Model pack medbridge-reference (reference, 4 files, 3.00 GB) is registered as abababababab…; every file matched its SHA-256.');
  const again = describeOutcome(
    job('m', { kind: 'register-model', state: 'done', result: { packId: id, name: 'p', kind: 'vision', files: 1, bytes: 512 * 1024, created: false } }),
  );
  assert.match(again?.text ?? '', /\(vision, 1 file, 0\.5 MB\) was already registered/);
});
