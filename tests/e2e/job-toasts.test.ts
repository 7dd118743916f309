/// <reference lib="dom" />
// A toast when a job ends (issue 18): the built renderer in Debian's Chromium against `medbridge serve` on an empty
// workspace. An import started from the Data step ends while the user is on Diagnose: a toast in the polite live
// region (role=status) names the job and how it ended in the words jobs:get gives for it, links back to Data, stays
// while the pointer is on it, and passes axe-core. A stored-files check started on the Jobs page and cancelled while
// the user reads the Audit log gives a "cancelled" toast with the count the job stopped at; Dismiss removes it. A job
// that ends on the page it was started from gives no toast. Screenshots at 1440×900 and 1280×720.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeViolations, runAxe } from './axe.ts';
import { chromiumMissingReason, delay, ROOT, screenshot, until, useServedApp } from './harness.ts';
import { TOAST_HIDE_AFTER_MS } from '../../renderer/src/lib/format/job-toast.ts';

const BREAST = join(ROOT, 'tests', 'fixtures', 'formats', 'medmnist', 'BreastMNIST.npz');
const IMPORT_TIMEOUT_MS = 120_000;
/** Slow enough that the check is still running when it is cancelled from another page. */
const SLOW_RATE = 20;
const JOB_TIMEOUT_MS = 60_000;

const skip = chromiumMissingReason();

interface JobBody {
  id: string;
  kind: string;
  state: string;
  params: Record<string, unknown>;
  progress: { done: number; total: number };
}

describe('A toast when a job ends on another page (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 300_000 }, () => {
  const app = useServedApp();
  const { page, api } = app;
  const toast = (jobId: string) => page.locator(`[data-testid="job-toast"][data-job-id="${jobId}"]`);
  const count = (n: number) => n.toLocaleString('en-US');
  let importJob = '';

  it('an import started on Data that ends while the user is on Diagnose: a polite toast in the words of jobs:get', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.host.url}#/data`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('import-source').selectOption('medmnist');
    await page.getByTestId('import-path').fill(BREAST);
    await page.getByTestId('import-start').click();
    // The page has seen the job running (its card), then the user moves on.
    const card = page.locator('[data-testid="import-progress"] [data-testid="job-card"]');
    await card.waitFor({ timeout: 20_000 });
    importJob = (await card.getAttribute('data-job-id')) ?? '';
    assert.match(importJob, /^job-/);
    await page.getByTestId('nav-diagnose').click();
    await page.waitForURL(/#\/diagnose$/);

    await toast(importJob).waitFor({ timeout: IMPORT_TIMEOUT_MS });
    const job = await api<JobBody>('jobs:get', { id: importJob });
    assert.equal(job.state, 'done');
    assert.equal(await toast(importJob).getAttribute('data-ending'), 'done');
    assert.equal((await toast(importJob).getByTestId('job-toast-title').textContent())?.trim(), 'Import dataset finished');
    assert.equal((await toast(importJob).getByTestId('job-toast-text').textContent())?.trim(), `BreastMNIST.npz: ${count(job.progress.done)} items.`);
    assert.ok(job.progress.done > 700, `imported ${job.progress.done}`);
    // announced politely: inside the always-present role=status region, not the alert one
    assert.equal(await page.locator('[role="status"][aria-live="polite"] [data-testid="job-toast"]').count(), 1);
    assert.equal(await page.locator('[role="alert"] [data-testid="job-toast"]').count(), 0);
    const link = toast(importJob).getByTestId('job-toast-link');
    assert.equal((await link.textContent())?.trim(), 'Go to Data');
    assert.equal(await link.getAttribute('href'), '#/data');
    await screenshot(page, 'job-toast-import-done-1440x900');
    const axe = await runAxe(page);
    assert.equal(axe.violations.length, 0, `axe-core with the toast shown\n${describeViolations(axe.violations)}`);
  });

  it('stays while the pointer is on it, and hides by itself once the pointer leaves', async () => {
    await toast(importJob).hover();
    await delay(TOAST_HIDE_AFTER_MS + 1_500);
    assert.equal(await toast(importJob).count(), 1, 'still shown while hovered');
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshot(page, 'job-toast-import-done-1280x720');
    await page.mouse.move(10, 700);
    const hiddenAfter = Date.now();
    await toast(importJob).waitFor({ state: 'detached', timeout: TOAST_HIDE_AFTER_MS + 5_000 });
    assert.ok(Date.now() - hiddenAfter >= TOAST_HIDE_AFTER_MS - 1_000, 'hidden only after its time');
  });

  it('a stored-files check started on Jobs and cancelled while the user reads the Audit log: a "cancelled" toast; Dismiss removes it', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('nav-jobs').click();
    await page.waitForURL(/#\/jobs$/);
    const started = await api<JobBody>('jobs:start', { kind: 'verify-blobs', params: { maxBlobsPerSecond: SLOW_RATE } });
    await page.locator(`[data-testid="job-row"][data-job-id="${started.id}"][data-state="running"]`).waitFor({ timeout: 20_000 });
    await page.getByTestId('nav-audit').click();
    await page.waitForURL(/#\/audit$/);
    await until(
      'some files checked',
      async () => (await api<JobBody>('jobs:get', { id: started.id })).progress.done,
      (n) => n >= SLOW_RATE,
      JOB_TIMEOUT_MS,
      200,
    );
    await api('jobs:cancel', { id: started.id });
    await toast(started.id).waitFor({ timeout: JOB_TIMEOUT_MS });
    const job = await api<JobBody>('jobs:get', { id: started.id });
    assert.equal(job.state, 'cancelled');
    assert.equal((await toast(started.id).getByTestId('job-toast-title').textContent())?.trim(), 'Verify stored files cancelled');
    assert.equal(
      (await toast(started.id).getByTestId('job-toast-text').textContent())?.trim(),
      `Stopped at ${count(job.progress.done)} of ${count(job.progress.total)} files; it can be resumed from there.`,
    );
    assert.equal(await toast(started.id).getByTestId('job-toast-link').getAttribute('href'), '#/jobs');
    assert.equal(await page.locator('[role="status"] [data-testid="job-toast"]').count(), 1);
    await screenshot(page, 'job-toast-verify-cancelled-1440x900');
    const axe = await runAxe(page);
    assert.equal(axe.violations.length, 0, `axe-core with the toast shown\n${describeViolations(axe.violations)}`);
    await toast(started.id).getByTestId('job-toast-dismiss').click();
    await toast(started.id).waitFor({ state: 'detached', timeout: 2_000 });
  });

  it('a job started and ended on the Jobs page, which lists it, gives no toast', async () => {
    await page.getByTestId('nav-jobs').click();
    await page.waitForURL(/#\/jobs$/);
    const started = await api<JobBody>('jobs:start', { kind: 'verify-blobs', params: { maxBlobsPerSecond: 0 } });
    await page.locator(`[data-testid="job-row"][data-job-id="${started.id}"][data-state="done"]`).waitFor({ timeout: JOB_TIMEOUT_MS });
    await delay(500);
    assert.equal(await page.getByTestId('job-toast').count(), 0);
  });
});
