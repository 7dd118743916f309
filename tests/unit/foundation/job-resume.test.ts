// Whether a job can be resumed with success: the rule the host's jobs:resume and the renderer's Resume button share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canResumeJob, isInputFailure, resumeRefusal, RESUMABLE_STATES } from '../../../shared/job-resume.ts';
import { RESUMABLE_STATES as CONTRACT_STATES } from '../../../shared/api/jobs.ts';

const j = (kind: string, state: 'queued' | 'running' | 'cancelling' | 'cancelled' | 'interrupted' | 'failed' | 'done', code: string | null = null) => ({
  id: 'job-1',
  kind,
  state,
  error: code ? { code } : null,
});

test('the contract names the same resumable states', () => {
  assert.equal(CONTRACT_STATES, RESUMABLE_STATES);
});

test('cancelled and interrupted jobs of every kind can be resumed; running, queued and done ones cannot', () => {
  for (const kind of ['import', 'train', 'register-model', 'diagnose', 'verify-blobs']) {
    assert.equal(canResumeJob(j(kind, 'cancelled')), true, kind);
    assert.equal(canResumeJob(j(kind, 'interrupted', 'job/worker-crashed')), true, kind);
    for (const state of ['queued', 'running', 'cancelling', 'done'] as const) assert.equal(canResumeJob(j(kind, state)), false, `${kind} ${state}`);
  }
  assert.equal(resumeRefusal(j('train', 'done')), 'Job job-1 is done; only cancelled, interrupted or failed jobs can be resumed.');
});

test('a failure of the job’s own input is final; other failures can be resumed', () => {
  assert.equal(
    resumeRefusal(j('import', 'failed', 'import/zip-not-a-zip')),
    'Job job-1 failed on its input (import/zip-not-a-zip); resuming would read the same input and fail again. Fix the source and import it again.',
  );
  assert.equal(canResumeJob(j('import', 'failed', 'import/replaced')), false);
  assert.equal(canResumeJob(j('train', 'failed', 'model/hash-mismatch')), false);
  // registration starts over on every attempt: a failed one is registered again, not resumed
  assert.equal(canResumeJob(j('register-model', 'failed', 'model/missing-file')), false);
  assert.match(resumeRefusal(j('register-model', 'failed', 'model/hash-mismatch')) ?? '', /Fix or re-copy the pack folder and register it again\.$/);
  // a pack folder moved away from a training job can be put back; a checkpoint that could not be saved can be retried
  assert.equal(canResumeJob(j('train', 'failed', 'model/missing-file')), true);
  assert.equal(canResumeJob(j('diagnose', 'failed', 'job/failed')), true);
  assert.equal(canResumeJob(j('convert-model', 'failed', 'python/missing-environment')), true);
  assert.equal(isInputFailure('diagnose', 'model/unsupported-architecture'), true);
  assert.equal(isInputFailure('diagnose', 'internal'), false);
});
