// Cancel stops a running GRPO job within one training step (issue 18, acceptance 3), at the job level through the
// served host: the worker's loop reads the host's cancel before every step (train-loop.ts letHostMessagesIn), so the
// job ends `cancelled` by the worker's own answer — not by the host killing it after its 10 s grace — within the time
// of one step plus one validation (the longest thing the worker can be in the middle of) and the request's overhead.
// Before the fix the steps are synchronous, the cancel waited in the pipe and the counter kept climbing for 10 s.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { api, startServe, tempDir, waitUntil, type Served } from '../../helpers/cli.ts';
import { REFERENCE_PACK, buildBreastWorkspace } from './training-workspace.ts';

const TOTAL = 200;
/** Validation (and a progress report) every EVAL_EVERY steps; a step between two validations is a plain step. */
const EVAL_EVERY = 20;
/** Far more steps than the test lets run, so the job is surely running when it is cancelled. */
const STEPS = 100_000;
/** The HTTP call, the host's transaction and audit entry, the worker's last message and exit. */
const OVERHEAD_MS = 500;
const POLL_MS = 5;

let dir: { dir: string; cleanup: () => void };
let ws: string;
let version: string;
let served: Served;

before(async () => {
  dir = tempDir('cancel-latency');
  ws = join(dir.dir, 'ws');
  version = buildBreastWorkspace(ws, TOTAL);
  served = await startServe(ws);
});
after(async () => {
  await served?.stop();
  dir?.cleanup();
});

async function job(id: string): Promise<{ state: string; progress: { done: number; total: number } }> {
  return (await api(served, 'jobs:get', { id })).body.value;
}

test('cancel on a running GRPO job: cancelled by the worker within one step, the counter stops', async (t) => {
  const started = await api(served, 'training:start', {
    model: REFERENCE_PACK,
    version,
    algorithm: 'grpo',
    config: { steps: STEPS, evalEvery: EVAL_EVERY, guard: { enabled: false } },
    seed: 7,
  });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const id: string = started.body.value.job.id;
  // Let it run a while and measure its pace from its progress: ms per step, averaged over whole validation periods.
  const first = await waitUntil(
    'the first steps',
    async () => {
      const j = await job(id);
      return j.state === 'running' && j.progress.done >= EVAL_EVERY ? { t: performance.now(), done: j.progress.done } : undefined;
    },
    120_000,
    20,
  );
  const second = await waitUntil(
    'more steps',
    async () => {
      const j = await job(id);
      return j.progress.done >= first.done + 5 * EVAL_EVERY ? { t: performance.now(), done: j.progress.done } : undefined;
    },
    120_000,
    20,
  );
  const msPerStep = (second.t - first.t) / (second.done - first.done);
  // The worst case is a cancel arriving as a validation step begins: that step, its validation and its checkpoint.
  const oneStepWithValidationMs = msPerStep * EVAL_EVERY;
  const t0 = performance.now();
  const requested = await api(served, 'jobs:cancel', { id });
  assert.equal(requested.body.value.state, 'cancelling', 'the cancel is accepted at once');
  const doneAtCancel: number = requested.body.value.progress.done;
  let end = await job(id);
  while (end.state === 'cancelling' || end.state === 'running') {
    assert.ok(performance.now() - t0 < 15_000, 'the job ends');
    await new Promise((r) => setTimeout(r, POLL_MS));
    end = await job(id);
  }
  const latencyMs = performance.now() - t0;
  t.diagnostic(
    `${msPerStep.toFixed(2)} ms per step (${oneStepWithValidationMs.toFixed(0)} ms per ${EVAL_EVERY} steps with a validation); cancel → cancelled in ${latencyMs.toFixed(0)} ms; counter ${doneAtCancel} at the request, ${end.progress.done} at the end`,
  );
  assert.equal(end.state, 'cancelled');
  assert.ok(
    latencyMs <= oneStepWithValidationMs + OVERHEAD_MS,
    `cancel took ${latencyMs.toFixed(0)} ms; one step with its validation is ${oneStepWithValidationMs.toFixed(0)} ms`,
  );
  // The counter moved by at most the one step under way (and the validation period it closes).
  assert.ok(end.progress.done - doneAtCancel <= EVAL_EVERY, `counter ${doneAtCancel} → ${end.progress.done}`);
  // The worker answered the cancel itself: no forced stop in the audit log.
  const audit = (await api(served, 'audit:list', { limit: 1000 })).body.value as Array<{ action: string; subject: string; payload: Record<string, unknown> }>;
  const cancelled = audit.filter((e) => e.subject === id && e.action === 'job:cancelled');
  assert.equal(cancelled.length, 1);
  assert.equal(cancelled[0]?.payload.forced, undefined, 'not killed after the grace period');
  // The run keeps its last checkpoint and says it was cancelled.
  const run = (await api(served, 'runs:get', { id: started.body.value.run })).body.value;
  assert.equal(run.state, 'cancelled');
});
