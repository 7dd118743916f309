// Which job changes are a job's end (for the renderer's toasts and the shell's OS notifications), and the words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job, JobState } from '../../../shared/api/jobs.ts';
import { jobEndNotice, jobEnding, JobEndWatcher, osNotificationWanted } from '../../../shared/job-end-notice.ts';

function job(over: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    kind: 'import',
    state: 'running',
    params: { source: 'medmnist', path: '/data/studies/BreastMNIST.npz' },
    progress: { done: 780, total: 0, rate: 0, etaSeconds: null, message: '' },
    attempts: 1,
    checkpoints: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    error: null,
    result: null,
    ...over,
  };
}

test('an end is an ended state right after an active one', () => {
  const active: JobState[] = ['queued', 'running', 'cancelling'];
  for (const from of active) {
    assert.equal(jobEnding(from, 'done'), 'done');
    assert.equal(jobEnding(from, 'failed'), 'failed');
    assert.equal(jobEnding(from, 'cancelled'), 'cancelled');
    assert.equal(jobEnding(from, 'interrupted'), 'interrupted');
    for (const to of active) assert.equal(jobEnding(from, to), null, `${from} → ${to}`);
  }
  // first seen already ended, or ended again: not news
  assert.equal(jobEnding(undefined, 'done'), null);
  assert.equal(jobEnding('done', 'done'), null);
  assert.equal(jobEnding('failed', 'cancelled'), null);
});

test('the watcher reports each run of a job once, and a resumed run again', () => {
  const w = new JobEndWatcher();
  assert.equal(w.see({ id: 'a', state: 'done' }), null, 'loaded already done');
  assert.equal(w.see({ id: 'a', state: 'queued' }), null);
  assert.equal(w.see({ id: 'a', state: 'running' }), null);
  assert.equal(w.see({ id: 'a', state: 'running' }), null, 'progress');
  assert.equal(w.see({ id: 'b', state: 'running' }), null);
  assert.equal(w.see({ id: 'a', state: 'cancelled' }), 'cancelled');
  assert.equal(w.see({ id: 'a', state: 'cancelled' }), null, 'pushed twice');
  assert.equal(w.see({ id: 'a', state: 'running' }), null, 'resumed');
  assert.equal(w.see({ id: 'a', state: 'done' }), 'done');
  assert.equal(w.see({ id: 'b', state: 'failed' }), 'failed');
});

test('an OS notification only for an end while the window is not in front', () => {
  assert.equal(osNotificationWanted('done', false), true);
  assert.equal(osNotificationWanted('failed', false), true);
  assert.equal(osNotificationWanted('done', true), false);
  assert.equal(osNotificationWanted(null, false), false);
});

test('the words: what ended, how, on what, and how far it got', () => {
  assert.deepEqual(jobEndNotice(job({ state: 'done' }), 'done'), {
    jobId: 'job-1',
    ending: 'done',
    title: 'Import dataset finished',
    text: 'BreastMNIST.npz: 780 items.',
    urgent: false,
  });
  const train = job({ kind: 'train', params: { algorithm: 'grpo' }, progress: { done: 480, total: 1200, rate: 0, etaSeconds: null, message: '' } });
  assert.deepEqual(jobEndNotice(train, 'cancelled'), {
    jobId: 'job-1',
    ending: 'cancelled',
    title: 'Train policy cancelled',
    text: 'GRPO: stopped at 480 of 1,200 steps; it can be resumed from there.',
    urgent: false,
  });
  assert.equal(jobEndNotice(train, 'interrupted').text, 'GRPO: its worker stopped at 480 of 1,200 steps; it can be resumed from there.');
  assert.equal(jobEndNotice(train, 'interrupted').urgent, true);
  const failed = jobEndNotice(
    job({ params: { path: 'C:\\data\\scans\\' }, error: { code: 'import/unreadable', message: 'The file is not a MedMNIST .npz archive.' } }),
    'failed',
  );
  assert.deepEqual([failed.title, failed.text, failed.urgent], ['Import dataset failed', 'scans: The file is not a MedMNIST .npz archive.', true]);
  const verify = jobEndNotice(
    job({ kind: 'verify-blobs', params: { maxBlobsPerSecond: 0 }, progress: { done: 12, total: 12, rate: 0, etaSeconds: null, message: '' } }),
    'done',
  );
  assert.equal(verify.title, 'Verify stored files finished');
  assert.equal(verify.text, '12 of 12 files.');
  assert.equal(
    jobEndNotice(job({ kind: 'verify-blobs', params: {}, progress: { done: 3, total: 12, rate: 0, etaSeconds: null, message: '' } }), 'cancelled').text,
    'Stopped at 3 of 12 files; it can be resumed from there.',
  );
  assert.equal(jobEndNotice(job({ params: {} }), 'failed').text, 'No reason was recorded.');
});
