import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hideAfterMs, TOAST_HIDE_AFTER_MS, toastWanted } from '../../../renderer/src/lib/format/job-toast.ts';

test('a toast when the user is on another page than the one the job started from, except the Jobs page', () => {
  assert.equal(toastWanted('data', 'diagnose'), true);
  assert.equal(toastWanted('sharpen', 'report'), true);
  assert.equal(toastWanted('jobs', 'audit'), true);
  assert.equal(toastWanted('data', 'data'), false, 'its own card shows the end');
  assert.equal(toastWanted('data', 'jobs'), false, 'the Jobs page lists it');
  assert.equal(toastWanted(undefined, 'report'), false, 'never seen running here');
});

test('failures and interruptions stay until dismissed; the rest hide by themselves', () => {
  assert.equal(hideAfterMs('done'), TOAST_HIDE_AFTER_MS);
  assert.equal(hideAfterMs('cancelled'), TOAST_HIDE_AFTER_MS);
  assert.equal(hideAfterMs('failed'), null);
  assert.equal(hideAfterMs('interrupted'), null);
});
