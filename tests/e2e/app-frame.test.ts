// The app frame end to end: the built renderer in Debian's Chromium against `medbridge serve` on a temp workspace
// with 60 stored files. Starts the stored-files check from the UI, watches progress, cancels, resumes to the end,
// then reads the audit log live and verifies its chain. No console errors, no request off the loopback interface.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumMissingReason, cli, nonLoopbackRequests, screenshot, serve, until, useServedApp } from './harness.ts';

const FILE_COUNT = 60;
/** Slow enough that a 60-file check takes seconds, so progress, cancel and resume are all observable. */
const RATE_FILES_PER_SECOND = 10;
const JOB_DONE_TIMEOUT_MS = 25_000;
const EXPECTED_JOB_ACTIONS = ['job:start', 'job:cancel-requested', 'job:cancelled', 'job:resume', 'job:done'];

const skip = chromiumMissingReason();

describe('app frame (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 90_000 }, () => {
  const app = useServedApp({
    prepare: (ws) => {
      const files = join(ws.dir, 'files');
      mkdirSync(files);
      const paths: string[] = [];
      for (let i = 0; i < FILE_COUNT; i++) {
        const p = join(files, `image-${String(i).padStart(3, '0')}.bin`);
        writeFileSync(p, randomBytes(256 + i));
        paths.push(p);
      }
      cli(['blobs', 'add', ...paths, '--workspace', ws.workspace]);
    },
  });
  const { page } = app;

  // The Jobs page shows each job as a row of its table (tests/e2e/jobs-table.test.ts checks the table's words).
  const card = () => page.locator('[data-testid="job-row"]').first();
  const progress = async () => {
    const bar = card().getByTestId('job-progress');
    return { done: Number(await bar.getAttribute('data-done')), total: Number(await bar.getAttribute('data-total')) };
  };

  it('opens on the Data step and shows the workspace in the header', async () => {
    await page.goto(app.host.url);
    await page.waitForURL(/#\/data$/);
    const shown = await page.getByTestId('workspace-path').textContent();
    assert.ok([app.ws.workspace, realpathSync(app.ws.workspace)].includes(shown ?? ''), `header shows ${shown}`);
    assert.match((await page.getByTestId('schema-version').textContent()) ?? '', /^v\d+$/);
    assert.match((await page.getByTestId('integrity').textContent()) ?? '', /ok/);
    assert.match((await page.getByTestId('step-lead').textContent()) ?? '', /Import a dataset to begin/);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await screenshot(page, '01-data-step');
  });

  it('reaches Jobs from the navigation with the keyboard', async () => {
    // Tab order: the skip link, then the five steps in order, then the workspace tools.
    const focused = () => page.locator(':focus').getAttribute('data-testid');
    const order: (string | null)[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    assert.deepEqual(order, ['skip-link', 'nav-data', 'nav-diagnose', 'nav-bridge', 'nav-sharpen', 'nav-report', 'nav-jobs']);
    await screenshot(page, '02-nav-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/jobs$/);
    await page.getByTestId('jobs-view').waitFor();
    // Focus moves to the page heading after navigating.
    await until(
      'focus on the Jobs heading',
      () => page.locator('#page-title:focus').count(),
      (n) => n === 1,
      2_000,
    );
    assert.equal(await page.getByTestId('blob-count').textContent(), `${FILE_COUNT} files are stored.`);
    await screenshot(page, '03-jobs-empty');
  });

  it('shows a refused call as a readable message with its code', async () => {
    // The host is made to refuse the next start once (Playwright answers in-process; nothing leaves the machine).
    const refusal = { code: 'workspace/locked', message: 'Another MedBridge process is changing this workspace. Try again when it has finished.' };
    await page.route(
      '**/api/call/jobs:start',
      (route) => route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ ok: false, error: refusal }) }),
      { times: 1 },
    );
    await page.getByTestId('verify-start').click();
    const message = page.getByTestId('error-message');
    await message.waitFor();
    assert.equal(await message.getAttribute('data-code'), refusal.code);
    const text = (await message.textContent()) ?? '';
    assert.ok(text.includes(refusal.message) && text.includes(refusal.code), text);
    assert.equal(await page.getByTestId('job-row').count(), 0, 'no job was started');
    await screenshot(page, '04-call-refused');
    // Chromium itself logs every 4xx answer as "Failed to load resource"; that one line is this step's doing.
    const expected = (line: string) => /status of 409/.test(line) && line.includes('/api/call/jobs:start');
    await until(
      'Chromium to log the refused request',
      async () => app.session.consoleErrors.filter(expected).length,
      (n) => n === 1,
      2_000,
    );
    app.session.consoleErrors.splice(0, app.session.consoleErrors.length, ...app.session.consoleErrors.filter((l) => !expected(l)));
    await message.getByRole('button', { name: 'Dismiss' }).click();
    await message.waitFor({ state: 'detached' });
  });

  it('starts the stored-files check at a low rate and shows progress advancing', async () => {
    await page.getByTestId('verify-rate').fill(String(RATE_FILES_PER_SECOND));
    await page.getByTestId('verify-start').click();
    await page.locator('[data-testid="job-row"][data-state="running"]').waitFor({ timeout: 10_000 });
    const first = await until('some progress', progress, (p) => p.done >= 3 && p.total === FILE_COUNT);
    await until('progress to advance', progress, (p) => p.done > first.done);
    await screenshot(page, '05-job-running');
  });

  it('cancels the running check', async () => {
    // Buttons answer the keyboard: Space on Cancel.
    await card().getByTestId('job-cancel').focus();
    await page.keyboard.press('Space');
    await page.locator('[data-testid="job-row"][data-state="cancelled"]').waitFor({ timeout: 10_000 });
    const p = await progress();
    assert.ok(p.done < FILE_COUNT, `cancelled before the end (${p.done}/${p.total})`);
    // the row says so, at the count its bar shows
    assert.equal(await card().getByTestId('job-outcome-text').textContent(), `cancelled at ${p.done} of ${FILE_COUNT} files`);
    assert.equal(await card().getByTestId('job-cancel').count(), 0, 'no Cancel on a cancelled job');
    await screenshot(page, '06-job-cancelled');
  });

  it('resumes it and runs to done with every file checked', async () => {
    // …and Enter on Resume.
    await card().getByTestId('job-resume').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="job-row"][data-state="done"]').waitFor({ timeout: JOB_DONE_TIMEOUT_MS });
    assert.deepEqual(await progress(), { done: FILE_COUNT, total: FILE_COUNT });
    assert.match((await card().getByTestId('job-done-total').textContent()) ?? '', new RegExp(`^${FILE_COUNT} / ${FILE_COUNT} files`));
    assert.equal(await card().getByTestId('job-resume').count(), 0, 'no Resume on a finished job');
    assert.equal(await card().getByTestId('job-outcome-text').textContent(), `done: all ${FILE_COUNT} stored files match their hash`);
    await screenshot(page, '07-job-done');
  });

  it('shows the job’s audit entries live and verifies the chain', async () => {
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').waitFor();
    const actions = await until(
      'the job entries in the audit table',
      () => page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))),
      (a) => EXPECTED_JOB_ACTIONS.every((x) => a.includes(x)),
    );
    // Newest first: the job's entries appear in reverse order of what happened.
    const order = EXPECTED_JOB_ACTIONS.map((x) => actions.indexOf(x));
    assert.deepEqual(
      [...order].sort((a, b) => b - a),
      order,
      `job entries newest first: ${actions.join(', ')}`,
    );

    await page.getByTestId('audit-verify').click();
    const verdict = page.locator('[data-testid="audit-verification"]');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-ok'), 'true', (await verdict.textContent()) ?? '');
    assert.match((await verdict.textContent()) ?? '', new RegExp(`All ${actions.length} entries`));
    // What the verification proves: every entry signed by this installation's key (the test's config folder).
    const guarantee = page.getByTestId('audit-guarantee');
    assert.equal(await guarantee.getAttribute('data-level'), 'signed');
    assert.match((await guarantee.textContent()) ?? '', /signed by key [0-9a-f ]+.*this installation/);
    // The header's audit head is the head the verification recomputed.
    const headerHead = await page.getByTestId('audit-head').getAttribute('title');
    const verifiedHead = await verdict.locator('code').getAttribute('title');
    assert.ok(headerHead && headerHead === verifiedHead, `header head ${headerHead} vs verified ${verifiedHead}`);
    await screenshot(page, '08-audit-verified');
  });

  it('keeps live updates after the host restarts', async () => {
    const before = new URL(app.host.url);
    const port = Number(before.port);
    const token = before.searchParams.get('token') ?? '';
    await page.getByTestId('nav-jobs').click();
    await app.host.stop();
    await page.locator('[data-testid="connection"][data-state="reconnecting"]').waitFor({ timeout: 10_000 });
    await page.getByTestId('stale-banner').waitFor();
    await screenshot(page, '09-reconnecting');
    const host = (app.host = await serve(app.ws.workspace, { port, token }));
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('stale-banner').count(), 0);
    // A job started by another client after the restart reaches this page through the re-opened stream.
    const started = await fetch(`${host.origin}/api/call/jobs:start`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'verify-blobs', params: { maxBlobsPerSecond: 0 } }),
    });
    const body = (await started.json()) as { ok: boolean; value?: { id: string } };
    assert.ok(body.ok && body.value, JSON.stringify(body));
    await page.locator(`[data-testid="job-row"][data-job-id="${body.value.id}"][data-state="done"]`).waitFor({ timeout: 10_000 });
    // While the host was down Chromium logged the refused stream and reloads; those lines are this step's doing.
    const expected = (line: string) => line.includes('ERR_CONNECTION_REFUSED');
    app.session.consoleErrors.splice(0, app.session.consoleErrors.length, ...app.session.consoleErrors.filter((l) => !expected(l)));
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.ok(app.session.requests.length > 0, 'requests were recorded');
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
