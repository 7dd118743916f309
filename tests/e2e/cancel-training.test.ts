/// <reference lib="dom" />
// Cancel on a running GRPO job, from the Sharpen step (issue 18, acceptance 3). A workspace prepared through the CLI
// (BreastMNIST balanced to 200 items, the reference pack, its diagnosis on the validation split) is opened on
// Sharpen; a long GRPO run is started from the form and its job card's step counter is watched: it climbs, then on
// Cancel the page at once says "Cancelling…" and holds the counter (checked while the request is held back a second
// and the host still counts), the counter stops changing within 2 s, the job ends `cancelled` (jobs:get) by the
// worker's own answer (no forced stop in the audit log), and the counter shown at the end equals the job's progress.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, delay, nonLoopbackRequests, num, ROOT, screenshot, until, useServedApp } from './harness.ts';

const BREAST = join(ROOT, 'tests', 'fixtures', 'formats', 'medmnist', 'BreastMNIST.npz');
const REFERENCE_PACK = join(ROOT, 'resources', 'models', 'reference-v1');
const TOTAL = 200;
/** Far more steps than the test lets run; validation (and a progress report) every few steps so the counter moves. */
const STEPS = 50_000;
const EVAL_EVERY = 5;
/** Acceptance 3: the displayed counter stops changing within this long after Cancel. */
const FREEZE_WITHIN_MS = 2_000;
/** How long the counter is watched after Cancel, and how often. */
const WATCH_MS = 4_000;
const SAMPLE_MS = 50;
const JOB_TIMEOUT_MS = 120_000;
/** How long the page's cancel request is held back, to see the page's own reaction to the press. */
const CANCEL_REQUEST_DELAY_MS = 3_000;

const skip = chromiumMissingReason();

describe('Cancel a running GRPO job from the Sharpen step (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 300_000 }, () => {
  const app = useServedApp({
    prepare: (ws) => {
      const w = ['--workspace', ws.workspace, '--json'];
      const dataset = (JSON.parse(cli(['import', 'medmnist', BREAST, ...w])) as { dataset: string }).dataset;
      cli(['models', 'add', REFERENCE_PACK, ...w]);
      const version = (JSON.parse(cli(['balance', '--datasets', dataset, '--split', 'source', '--total', String(TOTAL), ...w])) as { id: string }).id;
      cli(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'val', ...w]);
    },
  });
  const { page, api } = app;
  const card = () => page.locator('[data-testid="step-sharpen"] [data-testid="job-card"]');
  const counter = async () => num(((await card().getByTestId('job-done-total').textContent()) ?? '').split('/')[0] ?? '');

  it('starts a long GRPO run from the Sharpen form; its step counter climbs', async () => {
    await page.goto(`${app.host.url}#/sharpen`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('step-sharpen').waitFor();
    await until(
      'the training form is ready',
      () => page.getByTestId('start-training').isEnabled(),
      (v) => v,
      20_000,
    );
    assert.equal(await page.getByTestId('algo-grpo').isChecked(), true);
    await page.getByTestId('train-config').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.getByTestId('train-steps').fill(String(STEPS));
    await page.getByTestId('train-evalEvery').fill(String(EVAL_EVERY));
    await page.getByTestId('start-training').click();
    await card().waitFor({ timeout: JOB_TIMEOUT_MS });
    const first = await until('steps counted', counter, (n) => n >= 4 * EVAL_EVERY, JOB_TIMEOUT_MS, 100);
    // The counter really moves (so "it stopped moving" below can fail).
    await until('the counter climbing', counter, (n) => n > first, 5_000, SAMPLE_MS);
  });

  it('Cancel: "Cancelling…" at once, the counter stops within 2 s, the job ends cancelled with the counter the API gives', async () => {
    const jobId = (await card().getAttribute('data-job-id')) ?? '';
    assert.match(jobId, /\S/);
    assert.equal((await api<{ state: string }>('jobs:get', { id: jobId })).state, 'running');
    // The cancel request is held back for a moment, so what the page does on the press itself can be seen: the job
    // keeps running on the host meanwhile, and the counter on the page must not follow it.
    let released = 0;
    await page.route('**/api/call/jobs:cancel', async (route) => {
      await delay(CANCEL_REQUEST_DELAY_MS);
      released = Date.now();
      await route.continue();
    });
    await page.setViewportSize({ width: 1280, height: 720 });
    await card().getByTestId('job-cancel').click();
    await card().getByTestId('job-cancelling').waitFor({ timeout: 500 });
    const held = await counter();
    assert.match((await page.getByTestId('step-lead').textContent()) ?? '', new RegExp(`^Cancelling sharpening at step ${held} of `));
    await card().scrollIntoViewIfNeeded();
    await screenshot(page, 'cancel-training-00-cancelling-1280');
    const hostBefore = (await api<{ progress: { done: number } }>('jobs:get', { id: jobId })).progress.done;
    await until(
      'the host still counting while the request is held',
      () => api<{ state: string; progress: { done: number } }>('jobs:get', { id: jobId }),
      (j) => j.state === 'running' && j.progress.done > hostBefore,
      CANCEL_REQUEST_DELAY_MS - 500,
      50,
    );
    assert.equal(await counter(), held, 'the page holds the counter from the press on');
    // From the moment the host is asked: the counter stops changing within 2 s.
    await until(
      'the cancel request sent',
      async () => released,
      (t) => t > 0,
      CANCEL_REQUEST_DELAY_MS + 2_000,
      10,
    );
    const t1 = released;
    const seen: Array<{ t: number; n: number; cancelling: boolean; state: string }> = [];
    while (Date.now() - t1 < WATCH_MS) {
      const c = card();
      if ((await c.count()) === 0) break;
      const [n, cancelling, state] = await Promise.all([counter(), c.getByTestId('job-cancelling').count(), c.getAttribute('data-state')]);
      seen.push({ t: Date.now() - t1, n, cancelling: cancelling > 0, state: state ?? '' });
      await delay(SAMPLE_MS);
    }
    assert.ok(seen.length >= 5, `the counter was read ${seen.length} times`);
    const last = seen[seen.length - 1] as { n: number };
    const lastChange = seen.reduce((at, s, i) => (i > 0 && s.n !== seen[i - 1]?.n ? s.t : at), 0);
    assert.ok(
      lastChange <= FREEZE_WITHIN_MS,
      `the counter changed ${lastChange} ms after the cancel reached the host: ${JSON.stringify(seen.map((s) => [s.t, s.n]))}`,
    );
    const ended = await until(
      'the job ends',
      () => api<{ state: string; progress: { done: number } }>('jobs:get', { id: jobId }),
      (j) => j.state !== 'running' && j.state !== 'cancelling',
      15_000,
      100,
    );
    assert.equal(ended.state, 'cancelled');
    assert.equal(await card().getAttribute('data-state'), 'cancelled');
    assert.equal(await counter(), ended.progress.done, "the counter shown is the job's progress");
    assert.equal(last.n, ended.progress.done, 'the last counter read is the final one');
    await page.unroute('**/api/call/jobs:cancel');
    const audit = await api<Array<{ action: string; subject: string; payload: Record<string, unknown> }>>('audit:list', { limit: 1000 });
    const entry = audit.find((e) => e.subject === jobId && e.action === 'job:cancelled');
    assert.ok(entry, 'job:cancelled audited');
    assert.equal(entry.payload.forced, undefined, 'the worker stopped itself; it was not killed after the grace period');
    // The step says where it stopped.
    assert.match(
      (await page.getByTestId('step-lead').textContent()) ?? '',
      new RegExp(`cancelled at step ${ended.progress.done} of ${STEPS.toLocaleString('en-US').replace(/,/g, ',?')}`),
    );
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], 'accessibility problems');
    await card().scrollIntoViewIfNeeded();
    await screenshot(page, 'cancel-training-01-cancelled-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'cancel-training-02-cancelled-1440');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
