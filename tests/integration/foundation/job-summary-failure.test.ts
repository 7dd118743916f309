// A job kind whose final summary throws (its writes in the job:done transaction fail) ends `failed` with a coded
// message, the done entry rolled back, and the host carries on: the next job runs to the end. Before, the exception
// left the worker-message handler and took the whole host process down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Core } from '../../../electron/core/core.ts';
import { JOB_HANDLERS } from '../../../electron/jobs/host-handlers.ts';
import { inProcessLauncher } from '../../../electron/jobs/in-process-launcher.ts';
import { tempDir } from '../../helpers/cli.ts';

test('a summary that throws fails its job, and the host runs the next job', async (t) => {
  const { dir, cleanup } = tempDir('summary-failure');
  t.after(cleanup);
  const core = new Core({ workspaceDir: join(dir, 'W'), mode: 'cli', actor: 'test', launcher: inProcessLauncher, init: true });
  t.after(() => core.close());
  const handler = JOB_HANDLERS['verify-blobs']!;
  const summarise = handler.summarise;
  t.after(() => {
    handler.summarise = summarise;
  });
  handler.summarise = () => {
    throw new Error('disk I/O error (simulated)');
  };
  const failed = await core.jobs.waitFor(core.jobs.start('verify-blobs', { maxBlobsPerSecond: 0 }, 'test').id);
  assert.equal(failed.state, 'failed');
  assert.equal(failed.error?.code, 'job/failed');
  assert.equal(failed.error?.message, "The job's final results could not be saved: disk I/O error (simulated)");
  const actions = core.ws.read.values<string>('SELECT action FROM audit_log WHERE subject = ? ORDER BY seq', failed.id);
  assert.deepEqual(actions, ['job:start', 'job:failed'], 'no done entry survives the rolled-back transaction');

  handler.summarise = summarise;
  const done = await core.jobs.waitFor(core.jobs.start('verify-blobs', { maxBlobsPerSecond: 0 }, 'test').id);
  assert.equal(done.state, 'done');
  assert.equal(done.result?.ok, true);
});
