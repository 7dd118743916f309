/// <reference lib="dom" />
// The Jobs page as a table (issue 18, item 4). A workspace holds jobs of several kinds and outcomes, made through the
// CLI and the API: a MedMNIST import (done), an import of a file that is not an .npz (failed), a diagnosis (done), an
// SFT run that stops early, a GRPO run from it (done), a stored-files check cancelled part-way, and the registration
// of a pack whose file no longer matches its manifest (failed). Each row's kind, progress and outcome must read what
// this test derives, with its own rules, from jobs:list for the same job; the filters narrow the rows to exactly the
// matching jobs; Resume appears exactly where resuming can succeed, and the host refuses it elsewhere with a code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Job } from '../../shared/api/jobs.ts';
import { CLI_ENTRY } from '../helpers/cli.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, nonLoopbackRequests, ROOT, screenshot, until, useServedApp } from './harness.ts';

const BREAST = join(ROOT, 'tests', 'fixtures', 'formats', 'medmnist', 'BreastMNIST.npz');
const REFERENCE_PACK = join(ROOT, 'resources', 'models', 'reference-v1');
const TOTAL = 200;
/** Early stopping with patience 1 over many steps: the SFT run stops long before its last step. */
const SFT_CONFIG = { steps: 300, evalEvery: 5, earlyStopping: { patience: 1 } };
const GRPO_STEPS = 20;
/** Slow enough that the check is still running when it is cancelled. */
const VERIFY_RATE = 5;
/** The issue asks for compact rows, about 40 px; a failure's reason may take a second line. */
const MAX_ROW_HEIGHT_PX = 44;
const MAX_TWO_LINE_ROW_HEIGHT_PX = 60;

const skip = chromiumMissingReason();

// ---- what each row must say, derived here from the job as jobs:list gives it (independently of the renderer) ----

const UNITS: Record<string, [string, string]> = {
  import: ['item', 'items'],
  diagnose: ['item', 'items'],
  train: ['step', 'steps'],
  'verify-blobs': ['file', 'files'],
  'register-model': ['MB', 'MB'],
};
const unit = (kind: string, n: number) => (UNITS[kind] as [string, string])[n === 1 ? 0 : 1];
/** Counts with thousands separated by commas (1,732). */
const n = (x: number) => x.toLocaleString('en-US');

function expectedKind(j: Job): string {
  if (j.kind === 'train') return ({ sft: 'SFT', grpo: 'GRPO' } as Record<string, string>)[String(j.params.algorithm)] ?? '?';
  if (j.kind === 'import') return j.params.task === 'breastmnist' ? 'Import of MedMNIST BreastMNIST' : '?';
  return (
    ({ diagnose: 'Diagnosis', 'verify-blobs': 'Stored-files check', 'register-model': 'Model pack registration' } as Record<string, string>)[j.kind] ?? '?'
  );
}

function expectedProgress(j: Job): string {
  const { done, total } = j.progress;
  if (total > 0) return `${n(done)} / ${n(total)} ${unit(j.kind, total)}`;
  return done > 0 ? `${n(done)} ${unit(j.kind, done)}` : '—';
}

const pct = (x: unknown) => `${((x as number) * 100).toFixed(1)}%`;

/** The folders and files this test made, each shown in a row's outcome by its last part (the details say it whole). */
const shortNames: Array<[string, string]> = [];

function expectedOutcome(j: Job): string {
  const r = j.result ?? {};
  if (j.state === 'failed') return `failed: ${shortNames.reduce((m, [path, name]) => m.replaceAll(path, name), j.error?.message ?? '')}`;
  if (j.state === 'cancelled') return `cancelled at ${n(j.progress.done)} of ${n(j.progress.total)} ${unit(j.kind, j.progress.total)}`;
  assert.equal(j.state, 'done', `job ${j.id} (${j.kind}) should have ended`);
  if (j.kind === 'train' && r.stopReason === 'early-stopping') return `stopped early at step ${j.progress.done}`;
  if (j.kind === 'train') return `done: val Acc@1 ${pct(r.acc1)}`;
  if (j.kind === 'import') return `done: ${n(r.imported as number)} items imported, ${n(r.rejected as number)} rejected`;
  if (j.kind === 'diagnose') return `done: Acc@1 ${pct(r.acc1)}, Pass@16 ${pct(r.passAt16)}`;
  return '?';
}

/** Resume can succeed on a cancelled or interrupted job; a failed import or registration failed on its input. */
const expectResume = (j: Job) => j.state === 'cancelled' || j.state === 'interrupted';

describe('Jobs table (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 300_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'medbridge-jobs-table-'));
  const brokenPack = join(scratch, 'broken-pack');
  const app = useServedApp({
    prepare: (ws) => {
      const w = ['--workspace', ws.workspace, '--json'];
      const dataset = (JSON.parse(cli(['import', 'medmnist', BREAST, ...w])) as { dataset: string }).dataset;
      // Random bytes under a MedMNIST name: the job starts, reads nothing, and fails naming the file.
      const bad = join(scratch, 'breastmnist.npz');
      writeFileSync(bad, Buffer.alloc(2048, 7));
      shortNames.push([bad, 'breastmnist.npz'], [brokenPack, 'broken-pack']);
      const failed = spawnSync(process.execPath, [CLI_ENTRY, 'import', 'medmnist', bad, ...w], { cwd: ROOT, encoding: 'utf8' });
      assert.notEqual(failed.status, 0, 'the bad import fails');
      cli(['models', 'add', REFERENCE_PACK, ...w]);
      const version = (JSON.parse(cli(['balance', '--datasets', dataset, '--split', 'source', '--total', String(TOTAL), ...w])) as { id: string }).id;
      cli(['diagnose', '--model', REFERENCE_PACK, '--version', version, '--split', 'val', ...w]);
      const config = join(scratch, 'sft.json');
      writeFileSync(config, JSON.stringify(SFT_CONFIG));
      const sft = JSON.parse(cli(['train', 'sft', '--model', REFERENCE_PACK, '--version', version, '--config', config, ...w])) as { run: string };
      cli(['train', 'grpo', '--model', REFERENCE_PACK, '--version', version, '--init', sft.run, '--steps', String(GRPO_STEPS), ...w]);
      // A copy of the pack with one byte of a graph changed: registering it fails on the file's hash.
      cpSync(REFERENCE_PACK, brokenPack, { recursive: true });
      const head = join(brokenPack, 'answer_head.onnx');
      const bytes = readFileSync(head);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
      writeFileSync(head, bytes);
    },
    cleanup: () => rmSync(scratch, { recursive: true, force: true }),
  });
  const { page, api } = app;
  const rows = () => page.locator('[data-testid="job-row"]');
  const row = (id: string) => page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
  const shownIds = () => rows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-job-id') ?? ''));
  const ended = (j: Job) => ['done', 'failed', 'cancelled', 'interrupted'].includes(j.state);
  let jobs: Job[] = [];

  it('adds a cancelled check and a failed registration through the API, then opens Jobs: one row per job', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.host.url}#/jobs`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    const check = await api<Job>('jobs:start', { kind: 'verify-blobs', params: { maxBlobsPerSecond: VERIFY_RATE } });
    await until(
      'the check under way',
      () => api<Job>('jobs:get', { id: check.id }),
      (j) => j.progress.done >= 2,
      20_000,
      100,
    );
    await api('jobs:cancel', { id: check.id });
    await until(
      'the check cancelled',
      () => api<Job>('jobs:get', { id: check.id }),
      (j) => j.state === 'cancelled',
      20_000,
      100,
    );
    const reg = await api<Job>('models:register', { path: brokenPack });
    await until(
      'the registration failed',
      () => api<Job>('jobs:get', { id: reg.id }),
      (j) => j.state === 'failed',
      30_000,
      100,
    );

    jobs = await api<Job[]>('jobs:list', {});
    assert.ok(jobs.every(ended), jobs.map((j) => `${j.kind} ${j.state}`).join(', '));
    // the kinds and outcomes this test is about are all there
    const has = (kind: string, pred: (j: Job) => boolean) =>
      assert.ok(
        jobs.some((j) => j.kind === kind && pred(j)),
        `a ${kind} job as needed`,
      );
    has('train', (j) => j.params.algorithm === 'sft' && j.result?.stopReason === 'early-stopping' && j.progress.done < j.progress.total);
    has('train', (j) => j.params.algorithm === 'grpo' && j.state === 'done');
    has('import', (j) => j.state === 'failed' && String(j.error?.code).startsWith('import/'));
    has('import', (j) => j.state === 'done');
    has('verify-blobs', (j) => j.state === 'cancelled');
    has('register-model', (j) => j.state === 'failed' && j.error?.code === 'model/hash-mismatch');

    await page.getByTestId('job-table').waitFor();
    await until('every job as a row', shownIds, (ids) => ids.length === jobs.length, 10_000);
    assert.deepEqual(
      await shownIds(),
      jobs.map((j) => j.id),
      'one row per job, newest first as jobs:list',
    );
  });

  it('each row says what jobs:list says: kind in words, progress in its unit, outcome; rows are compact', async () => {
    for (const j of jobs) {
      const r = row(j.id);
      const got = {
        kind: ((await r.getByTestId('job-kind').textContent()) ?? '').trim(),
        progress: ((await r.getByTestId('job-done-total').textContent()) ?? '').trim(),
        outcome: ((await r.getByTestId('job-outcome-text').textContent()) ?? '').trim(),
      };
      assert.deepEqual(got, { kind: expectedKind(j), progress: expectedProgress(j), outcome: expectedOutcome(j) }, `row of ${j.kind} job ${j.id}`);
      const bar = r.getByTestId('job-progress');
      assert.deepEqual([Number(await bar.getAttribute('data-done')), Number(await bar.getAttribute('data-total'))], [j.progress.done, j.progress.total]);
      const box = await r.boundingBox();
      const limit = j.state === 'failed' ? MAX_TWO_LINE_ROW_HEIGHT_PX : MAX_ROW_HEIGHT_PX;
      assert.ok(box && box.height <= limit, `row of ${j.kind} ${j.state}: ${box?.height} px`);
    }
    // the early-stopped SFT run no longer reads "Done" beside a part-filled bar
    const sft = jobs.find((j) => j.params.algorithm === 'sft') as Job;
    assert.equal(await row(sft.id).getAttribute('data-outcome'), 'stopped-early');
    await screenshot(page, 'jobs-table-01-all-1440');
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshot(page, 'jobs-table-02-all-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('Resume only where resuming can succeed; the host refuses the others with job/not-resumable', async () => {
    for (const j of jobs) assert.equal(await row(j.id).getByTestId('job-resume').count(), expectResume(j) ? 1 : 0, `Resume on ${j.kind} ${j.state}`);
    for (const j of jobs.filter((x) => x.state === 'failed')) {
      const answer = (await page.evaluate(async (id) => {
        const r = await fetch('/api/call/jobs:resume', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id }) });
        return { status: r.status, body: await r.json() };
      }, j.id)) as { status: number; body: { ok: boolean; error?: { code: string; message: string } } };
      assert.equal(answer.body.ok, false, `${j.kind} ${j.id} resumed`);
      assert.equal(answer.body.error?.code, 'job/not-resumable');
      assert.equal(answer.status, 409);
      assert.match(answer.body.error?.message ?? '', /failed on its input/);
      assert.equal((await api<Job>('jobs:get', { id: j.id })).state, 'failed', 'the refused job is left as it was');
    }
    // Chromium logs each refused call as a failed resource load; those lines are this step's doing.
    const expected = (line: string) => /status of 409/.test(line) && line.includes('/api/call/jobs:resume');
    app.session.consoleErrors.splice(0, app.session.consoleErrors.length, ...app.session.consoleErrors.filter((l) => !expected(l)));
  });

  it('filters by kind and by outcome narrow the rows to exactly the matching jobs', async () => {
    const pick = async (testid: string, label: RegExp) => {
      const select = page.getByTestId(testid);
      const value = await select
        .locator('option')
        .evaluateAll((os, src) => (os as HTMLOptionElement[]).find((o) => new RegExp(src).test(o.textContent ?? ''))?.value ?? null, label.source);
      assert.ok(value !== null, `an option ${label} in ${testid}`);
      await select.selectOption(value);
    };
    const expectRows = async (what: string, want: Job[]) => {
      const ids = await until(what, shownIds, (ids) => ids.length === want.length, 5_000);
      assert.deepEqual(
        ids,
        want.map((j) => j.id),
        what,
      );
      assert.equal(await page.getByTestId('jobs-shown').textContent(), `${want.length} of ${jobs.length} jobs`);
    };
    await pick('jobs-filter-outcome', /^Failed \(2\)$/);
    await expectRows(
      'failed jobs',
      jobs.filter((j) => j.state === 'failed'),
    );
    await screenshot(page, 'jobs-table-03-failed');
    await pick('jobs-filter-kind', /^Import \(2\)$/);
    await expectRows(
      'failed imports',
      jobs.filter((j) => j.state === 'failed' && j.kind === 'import'),
    );
    await pick('jobs-filter-outcome', /^All outcomes/);
    await expectRows(
      'imports',
      jobs.filter((j) => j.kind === 'import'),
    );
    await pick('jobs-filter-kind', /^SFT \(1\)$/);
    await expectRows(
      'SFT runs',
      jobs.filter((j) => j.kind === 'train' && j.params.algorithm === 'sft'),
    );
    await pick('jobs-filter-outcome', /^Stopped early \(1\)$/);
    await expectRows(
      'early-stopped SFT',
      jobs.filter((j) => j.kind === 'train' && j.params.algorithm === 'sft'),
    );
    await page.getByTestId('jobs-filter-clear').click();
    await until('every row back', shownIds, (ids) => ids.length === jobs.length, 5_000);
  });

  it('details unfold under the kind: numbers formatted, hashes short; the run link opens its step', async () => {
    const sft = jobs.find((j) => j.params.algorithm === 'sft') as Job;
    const r = row(sft.id);
    await r.getByTestId('job-details-toggle').click();
    const details = page.getByTestId('job-details');
    await details.waitFor();
    assert.equal(await r.getByTestId('job-details-toggle').getAttribute('aria-expanded'), 'true');
    const result = details.getByTestId('job-result');
    const seconds = sft.result?.seconds as number;
    const entry = async (key: string) =>
      (
        (await result
          .locator('div')
          .filter({ has: page.locator('dt', { hasText: new RegExp(`^${key}$`) }) })
          .locator('dd')
          .textContent()) ?? ''
      ).trim();
    assert.equal(await entry('seconds'), seconds < 1 ? `${seconds.toFixed(2)} s` : `${seconds.toFixed(1)} s`);
    const checkpoint = sft.result?.checkpoint as string;
    assert.equal(await entry('checkpoint'), checkpoint.slice(0, 12));
    assert.equal(await result.locator(`code[title="${checkpoint}"]`).count(), 1, 'the full hash one hover away');
    assert.deepEqual((await checkAccessibility(page)).problems, [], 'accessibility problems with details open');
    await screenshot(page, 'jobs-table-04-details');
    // The README picture: the table from its filters down, the early-stopped SFT run's details open.
    await app.scrollTo('jobs-filters');
    await screenshot(page, 'jobs-table-05-readme');

    assert.equal(await r.getByTestId('job-run-link').getAttribute('href'), '#/bridge');
    const diag = jobs.find((j) => j.kind === 'diagnose') as Job;
    assert.equal(
      await row(diag.id).getByTestId('job-run-link').getAttribute('href'),
      `#/diagnose?model=${diag.params.pack}&version=${diag.params.version}&split=val`,
    );
    const grpo = jobs.find((j) => j.params.algorithm === 'grpo') as Job;
    await row(grpo.id).getByTestId('job-run-link').click();
    await page.waitForURL(/#\/sharpen$/);
    await page.getByTestId('step-sharpen').waitFor();
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
