/// <reference lib="dom" />
// The Data step's import form checks its paths with the host (paths:inspect) before any job starts: a misspelt path
// and the DICOM fixture folder given as an image folder are refused at the path field (aria-invalid, the message tied
// by aria-describedby, focus moved there), with the message the contract's answer gives for that field
// (shared/path-fit.ts on paths:inspect), and the API then lists no job and no dataset. The DICOM folder offers the
// switch to a DICOM import, keeping the path. A real image folder still imports through the same form, and an empty
// dataset (0 items, made through the API as an old client could) is not ticked by default in Balance & freeze.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathProblem } from '../../shared/path-fit.ts';
import type { PathInspection } from '../../shared/api/paths.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, nonLoopbackRequests, num, ROOT, screenshot, until, useServedApp } from './harness.ts';

const DICOM = join(ROOT, 'tests', 'fixtures', 'dicom');
const BLOOD = join(ROOT, 'tests', 'fixtures', 'formats', 'images', 'blood-cell-pbc');
/** tests/fixtures/formats/MANIFEST.md: 80 items over 8 classes. */
const BLOOD_ITEMS = 80;
const MISSPELT = join(ROOT, 'tests', 'fixtures', 'formats', 'images', 'blood-cel-pbc');
const JOB_TIMEOUT_MS = 60_000;

const skip = chromiumMissingReason();

describe('Import form path checks (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 180_000 }, () => {
  const app = useServedApp();
  const { page, text, api } = app;

  async function accessible(what: string): Promise<void> {
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], `${what}: accessibility problems`);
    assert.ok(r.checkedControls > 5, `${what}: the check saw the form (${r.checkedControls} controls)`);
  }

  /** Nothing was started or created: the contract lists no job and no dataset. */
  async function nothingStarted(what: string): Promise<void> {
    assert.deepEqual(await api<unknown[]>('jobs:list', {}), [], `${what}: no job`);
    assert.deepEqual(await api<unknown[]>('datasets:list', {}), [], `${what}: no dataset`);
  }

  /** The path field is marked invalid, describes itself with the error shown, has the focus; returns the error text. */
  async function refusedAtPathField(what: string, expected: string): Promise<void> {
    const error = page.getByTestId('import-path-error');
    await until(
      `${what}: the path field's error`,
      async () => ((await error.count()) > 0 ? ((await error.textContent()) ?? '').trim() : ''),
      (t) => t === expected,
      15_000,
    );
    const field = page.getByTestId('import-path');
    assert.equal(await field.getAttribute('aria-invalid'), 'true', `${what}: aria-invalid`);
    assert.ok(((await field.getAttribute('aria-describedby')) ?? '').split(' ').includes('import-path-error'), `${what}: aria-describedby names the error`);
    await until(
      `${what}: focus on the path field`,
      () => page.evaluate(() => document.activeElement?.id ?? ''),
      (id) => id === 'import-path',
      2_000,
    );
    // The message is at the field: inside its box, right under the input.
    const [input, message] = await Promise.all([field.boundingBox(), error.boundingBox()]);
    assert.ok(
      input && message && message.y >= input.y + input.height - 1 && message.y - (input.y + input.height) < 40,
      `${what}: the message sits under the field`,
    );
    assert.equal(await page.getByTestId('import-progress').count(), 0, `${what}: no job card`);
  }

  it('refuses a misspelt image-folder path at the field, with the message paths:inspect gives, and starts nothing', async () => {
    await page.goto(app.host.url);
    await page.waitForURL(/#\/data$/);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('import-source').selectOption('image-folder');
    await page.getByTestId('import-modality').selectOption('microscopy');
    await page.getByTestId('import-task').fill('blood-cell');
    await page.getByTestId('import-path').fill(MISSPELT);
    // Focus elsewhere first, so moving it to the field is the form's doing.
    await page.getByTestId('import-start').focus();
    await page.getByTestId('import-start').click();
    const inspection = await api<PathInspection>('paths:inspect', { path: MISSPELT });
    assert.equal(inspection.kind, 'missing');
    const expected = pathProblem(inspection, 'class-image-folder');
    assert.equal(expected?.code, 'path/not-found');
    await refusedAtPathField('misspelt path', expected?.message ?? '');
    assert.match(await text('import-path-error'), /Check the spelling/);
    await nothingStarted('misspelt path');
    await accessible('misspelt path refused');
  });

  it('refuses the DICOM fixture folder given as an image folder, offers the DICOM import, and starts nothing', async () => {
    await page.getByTestId('import-path').fill(DICOM);
    await page.getByTestId('import-start').focus();
    await page.getByTestId('import-start').click();
    const inspection = await api<PathInspection>('paths:inspect', { path: DICOM });
    assert.equal(inspection.content, 'dicom-folder');
    const expected = pathProblem(inspection, 'class-image-folder');
    assert.equal(expected?.suggest, 'dicom');
    await refusedAtPathField('DICOM folder as image folder', expected?.message ?? '');
    assert.match(await text('import-path-error'), /^This folder holds DICOM files \(\d+ of .*\) — import it as a DICOM folder\?$/);
    const suggestion = page.getByTestId('import-suggestion');
    assert.equal(await suggestion.getAttribute('data-source'), 'dicom');
    assert.equal(((await suggestion.textContent()) ?? '').trim(), 'Import as DICOM folder');
    await nothingStarted('DICOM folder as image folder');
    await accessible('DICOM folder refused');
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshot(page, 'import-path-checks-01-dicom-refused-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'import-path-checks-02-dicom-refused-1440');
    await page.setViewportSize({ width: 1280, height: 800 });
    // The switch keeps the path and clears the error; nothing is started until the user presses Start.
    await suggestion.click();
    assert.equal(await page.getByTestId('import-source').inputValue(), 'dicom');
    assert.equal(await page.getByTestId('import-path').inputValue(), DICOM);
    assert.equal(await page.getByTestId('import-path-error').count(), 0);
    assert.equal(await page.getByTestId('import-path').getAttribute('aria-invalid'), null);
    await nothingStarted('after the switch');
  });

  it('a class-image folder passes the check and imports; an empty dataset is not ticked in Balance & freeze', async () => {
    // An empty import, as a client that does not check its paths could still make one: an image-folder import of a
    // folder with no class sub-folders of images ends with 0 items.
    const empty = await api<{ dataset: string; job: { id: string } }>('datasets:import', {
      source: 'image-folder',
      path: join(BLOOD, 'basophil'),
      modality: 'microscopy',
      task: 'empty',
    });
    await until(
      'the empty import ends',
      () => api<{ state: string }>('jobs:get', { id: empty.job.id }),
      (j) => j.state !== 'running' && j.state !== 'queued',
      JOB_TIMEOUT_MS,
      200,
    );
    const emptyDetail = await api<{ imported: number; state: string }>('datasets:get', { id: empty.dataset });
    assert.equal(emptyDetail.imported, 0, 'the empty import holds no item');

    await page.getByTestId('import-source').selectOption('image-folder');
    await page.getByTestId('import-modality').selectOption('microscopy');
    await page.getByTestId('import-task').fill('blood-cell');
    await page.getByTestId('import-path').fill(BLOOD);
    await page.getByTestId('import-start').click();
    const id = await until(
      'the blood-cell import summary',
      () => page.evaluate(() => document.querySelector('[data-testid="import-summary"]')?.getAttribute('data-dataset-id') ?? ''),
      (v) => v !== '',
      JOB_TIMEOUT_MS,
      100,
    );
    await until(
      `${BLOOD_ITEMS} imported`,
      () => text('summary-imported'),
      (t) => num(t) === BLOOD_ITEMS,
    );
    assert.equal((await api<{ imported: number }>('datasets:get', { id })).imported, BLOOD_ITEMS);

    await page.getByTestId('data-tab-balance').click();
    const box = (d: string) => page.locator(`[data-testid="balance-dataset"][data-dataset-id="${d}"]`);
    await box(id).waitFor();
    if (emptyDetail.state === 'ready') {
      await box(empty.dataset).waitFor();
      assert.equal(await box(empty.dataset).isChecked(), false, 'the 0-item dataset is not ticked');
    }
    assert.equal(await box(id).isChecked(), true, 'the imported dataset is ticked');
    await accessible('balance form');
  });

  it("the empty dataset is deleted from the Data step (audited); a dataset a frozen version holds is refused in its row with the host's reason", async () => {
    const datasets = await api<Array<{ id: string; name: string; imported: number }>>('datasets:list', {});
    const emptyOne = datasets.find((d) => d.imported === 0);
    const blood = datasets.find((d) => d.imported === BLOOD_ITEMS);
    assert.ok(emptyOne && blood, 'the empty dataset and the blood-cell one');
    await page.getByTestId('data-tab-import').click();
    const row = (d: string) => page.locator(`[data-testid="dataset-row"][data-dataset-id="${d}"]`);
    await row(emptyOne.id).waitFor();
    const auditBefore = (await api<unknown[]>('audit:list', { limit: 1000 })).length;

    await row(emptyOne.id).getByTestId('dataset-delete').click();
    const confirm = page.getByTestId('dataset-delete-confirm');
    await confirm.waitFor();
    assert.match((await confirm.textContent()) ?? '', new RegExp(`Delete ${emptyOne.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} and its 0 items`));
    await screenshot(page, 'dataset-delete-01-confirm');
    await accessible('delete confirmation');
    await confirm.getByTestId('dataset-delete-yes').click();
    await row(emptyOne.id).waitFor({ state: 'detached', timeout: 15_000 });
    assert.deepEqual(
      (await api<Array<{ id: string }>>('datasets:list', {})).map((d) => d.id),
      [blood.id],
      'the API lists only the blood-cell dataset',
    );
    const audit = await api<Array<{ action: string; subject: string }>>('audit:list', { limit: 1000 });
    assert.equal(audit.length, auditBefore + 1, 'one audit entry');
    assert.ok(
      audit.some((e) => e.action === 'datasets:delete' && e.subject === emptyOne.id),
      'the deletion is audited',
    );

    // A version holds the blood-cell items: the host refuses, and the row says why in the host's words.
    await api('versions:create', { datasets: [blood.id], seed: 5, name: 'holds blood' });
    await row(blood.id).getByTestId('dataset-delete').click();
    await page.getByTestId('dataset-delete-yes').click();
    const refused = page.getByTestId('dataset-delete-refused');
    await refused.waitFor({ timeout: 15_000 });
    // The same call straight to the host (refused again, so nothing changes) gives the words the row must show.
    const expected = (await page.evaluate(async (id) => {
      const r = await fetch('/api/call/datasets:delete', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id }) });
      return r.json();
    }, blood.id)) as { ok: boolean; error?: { code: string; message: string } };
    assert.equal(expected.error?.code, 'dataset/in-version');
    assert.equal(((await refused.textContent()) ?? '').trim(), expected.error?.message);
    assert.equal((await api<{ imported: number }>('datasets:get', { id: blood.id })).imported, BLOOD_ITEMS, 'nothing deleted');
    await screenshot(page, 'dataset-delete-02-refused');
    await accessible('delete refused');
  });

  it('the model-pack field refuses an image folder before any register job starts, at the field', async () => {
    await page.getByTestId('nav-diagnose').click();
    await page.waitForURL(/#\/diagnose$/);
    await page.getByTestId('no-models').waitFor();
    await page.locator('summary', { hasText: 'Register another pack folder' }).click();
    await page.getByTestId('pack-path').fill(BLOOD);
    await page.getByTestId('register-path').click();
    const expected = pathProblem(await api<PathInspection>('paths:inspect', { path: BLOOD }), 'model-pack');
    assert.equal(expected?.code, 'path/not-a-model-pack');
    const error = page.getByTestId('pack-path-error');
    await until(
      "the pack field's error",
      async () => ((await error.count()) > 0 ? ((await error.textContent()) ?? '').trim() : ''),
      (t) => t === expected?.message,
      10_000,
    );
    assert.match(expected?.message ?? '', /holds images in class sub-folders .*not a model pack/);
    const field = page.getByTestId('pack-path');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.getAttribute('aria-describedby'), 'pack-path-error');
    await until(
      'focus on the pack field',
      () => page.evaluate(() => document.activeElement?.id ?? ''),
      (id) => id === 'pack-path',
      2_000,
    );
    const jobs = await api<Array<{ kind: string }>>('jobs:list', {});
    assert.deepEqual(
      jobs.filter((j) => j.kind === 'register-model'),
      [],
      'no register-model job',
    );
    assert.deepEqual(await api<unknown[]>('models:list', {}), [], 'no model pack');
    await accessible('model-pack path refused');
    await error.scrollIntoViewIfNeeded();
    await screenshot(page, 'import-path-checks-03-pack-refused');
  });

  it('made no console errors and no request off the loopback interface', () => {
    // The two refused deletions above (the page's and the test's own) are the only failed requests Chromium may log.
    const refusedDeletes = app.session.consoleErrors.filter((e) => /status of 409 .*\/api\/call\/datasets:delete\)$/.test(e));
    assert.equal(refusedDeletes.length, 2);
    assert.deepEqual(
      app.session.consoleErrors.filter((e) => !refusedDeletes.includes(e)),
      [],
    );
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
