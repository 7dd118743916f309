/// <reference lib="dom" />
// The Data step end to end: the built renderer in Debian's Chromium against `medbridge serve` on an empty temp
// workspace. Imports the BreastMNIST fixture and the blood-cell image folder through the UI (not the CLI), checks
// the summaries against the fixture manifest, browses items with thumbnails, overrides one item's modality and finds
// it in the audit log, then balances both datasets (total 200, equal quotas, source splits), previews, freezes, and
// checks the version's per-modality and per-letter counts shown against versions:show from the API.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromiumMissingReason, nonLoopbackRequests, num, ROOT, screenshot, until, useServedApp } from './harness.ts';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'formats');
const BREAST = join(FIXTURES, 'medmnist', 'BreastMNIST.npz');
const BLOOD = join(FIXTURES, 'images', 'blood-cell-pbc');
/** tests/fixtures/formats/MANIFEST.md: BreastMNIST 546/78/156 items; blood-cell-pbc 80 items over 8 classes, 0 rejections. */
const BREAST_SPLITS = { train: 546, val: 78, test: 156 };
const BREAST_TOTAL = 780;
const BLOOD_TOTAL = 80;
const BALANCE_TOTAL = 200;
const IMPORT_TIMEOUT_MS = 90_000;
const OVERRIDE_REASON = 'Smear artefact: cell type cannot be told from this image';

const skip = chromiumMissingReason();

interface VersionDetailBody {
  ok: boolean;
  value: {
    id: string;
    n: number;
    counts: { byModality: Record<string, number>; byLetter: Record<string, number>; bySplit: Record<string, number> };
    notes: string[];
  };
}

describe('Data step (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 120_000 }, () => {
  const app = useServedApp();
  const { page, text } = app;
  let breastId = '';
  let bloodId = '';
  let overridden = '';

  /** Waits for the import summary of the import just started and returns its dataset id. */
  async function awaitSummary(expected: number): Promise<string> {
    const summary = page.getByTestId('import-summary');
    await until(
      'the import summary',
      async () => (await summary.count()) > 0 && num(await text('summary-imported')),
      (n) => n === expected,
      IMPORT_TIMEOUT_MS,
      100,
    );
    return (await summary.getAttribute('data-dataset-id')) ?? '';
  }

  it('opens on an empty Data step that says files stay on this computer', async () => {
    await page.goto(app.host.url);
    await page.waitForURL(/#\/data$/);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    assert.equal(await text('step-lead'), 'Import a dataset to begin.');
    assert.match(await text('local-note'), /Nothing is uploaded/);
    await page.getByTestId('datasets-empty').waitFor();
  });

  it('imports the BreastMNIST .npz through the UI with live progress and a matching summary', async () => {
    await page.getByTestId('import-source').selectOption('medmnist');
    await page.getByTestId('import-path').fill(BREAST);
    await page.getByTestId('import-start').click();
    // The job card appears while the import runs (progress from the jobs state's live events).
    const progress = page.locator('[data-testid="import-progress"] [data-testid="job-card"]');
    await progress.waitFor({ timeout: 10_000 });
    // Catch it mid-way when we can (items counted so far), unless it finished first.
    await until(
      'items counted or the import done',
      async () => {
        if ((await progress.count()) === 0) return 'gone';
        return Number((await progress.getByTestId('job-progress').getAttribute('data-done')) ?? 0) > 0 ? 'counting' : 'starting';
      },
      (s) => s !== 'starting',
      IMPORT_TIMEOUT_MS,
      25,
    );
    if ((await progress.count()) > 0) await progress.scrollIntoViewIfNeeded();
    await screenshot(page, 'data-01-importing');
    breastId = await awaitSummary(BREAST_TOTAL);
    assert.ok(breastId, 'summary names its dataset');
    assert.equal(num(await text('summary-rejected')), 0);
    const splits = await page
      .getByTestId('summary-by-split')
      .locator('rect.bar')
      .evaluateAll((bars) => Object.fromEntries(bars.map((b) => [b.getAttribute('data-key'), Number(b.getAttribute('data-value'))])));
    assert.deepEqual(splits, BREAST_SPLITS);
    const modalities = await page
      .getByTestId('summary-by-modality')
      .locator('rect.bar')
      .evaluateAll((bars) => bars.map((b) => [b.getAttribute('data-key'), Number(b.getAttribute('data-value'))]));
    assert.deepEqual(modalities, [['ultrasound', BREAST_TOTAL]]);
    await page.getByTestId('import-summary').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-02-breastmnist-summary');
  });

  it('imports the blood-cell image folder with its modality and task', async () => {
    await page.getByTestId('import-source').selectOption('image-folder');
    // A missing modality and task are named before anything is sent.
    await page.getByTestId('import-path').fill(BLOOD);
    await page.getByTestId('import-start').click();
    await page.locator('#import-modality-error').waitFor();
    await page.getByTestId('import-modality').selectOption('microscopy');
    await page.getByTestId('import-task').fill('blood-cell');
    await page.getByTestId('import-start').click();
    bloodId = await until(
      'the blood-cell summary',
      async () => {
        // one atomic read: the summary is replaced while an import starts, so count-then-read could wait on a vanished node
        return page.evaluate(() => document.querySelector('[data-testid="import-summary"]')?.getAttribute('data-dataset-id') ?? '');
      },
      (id) => id !== '' && id !== breastId,
      IMPORT_TIMEOUT_MS,
      100,
    );
    await until(
      '80 imported',
      () => text('summary-imported'),
      (t) => num(t) === BLOOD_TOTAL,
    );
    assert.equal(num(await text('summary-rejected')), 0);
    assert.equal(await page.getByTestId('dataset-row').count(), 2);
    const imported = await page.getByTestId('dataset-imported').allTextContents();
    assert.deepEqual(imported.map(num), [BREAST_TOTAL, BLOOD_TOTAL]);
    assert.match(await text('step-lead'), /2 datasets · 860 items/);
    await page.evaluate(() => document.getElementById('main')?.scrollTo(0, document.getElementById('main')?.scrollHeight ?? 0));
    await screenshot(page, 'data-03-datasets');
  });

  it('browses items with lazily loaded thumbnails in a virtualised table', async () => {
    await page.evaluate(() => document.getElementById('main')?.scrollTo(0, 0));
    await page.getByTestId('data-tab-browse').click();
    await until(
      '860 items',
      () => text('items-total'),
      (t) => num(t) === BREAST_TOTAL + BLOOD_TOTAL,
    );
    await until(
      'thumbnails in view',
      () => page.getByTestId('item-thumb').count(),
      (n) => n >= 8,
    );
    const rendered = await page.getByTestId('item-row').count();
    assert.ok(rendered < 30, `only rows in view are in the DOM (${rendered})`);
    // Keyboard: focus the first row, End jumps to the last item (its page and thumbnail load on demand).
    await page.getByTestId('item-row').first().focus();
    await page.keyboard.press('End');
    await until(
      'the last row',
      () => page.locator('[data-testid="item-row"][data-index="859"]').count(),
      (n) => n === 1,
    );
    await page.keyboard.press('Home');
    await until(
      'the first row again',
      () => page.locator('[data-testid="item-row"][data-index="0"]').count(),
      (n) => n === 1,
    );
    await page.getByTestId('filter-dataset').selectOption(bloodId);
    await until(
      '80 items',
      () => text('items-total'),
      (t) => num(t) === BLOOD_TOTAL,
    );
    await until(
      'blood-cell thumbnails',
      () => page.getByTestId('item-thumb').count(),
      (n) => n >= 8,
    );
    await screenshot(page, 'data-04-browse');
  });

  it('opens an item and overrides its modality, audited', async () => {
    const row = page.getByTestId('item-row').nth(2);
    overridden = (await row.getAttribute('data-item-id')) ?? '';
    await row.focus();
    await page.keyboard.press('Enter');
    const detail = page.locator(`[data-testid="item-detail"][data-item-id="${overridden}"]`);
    await detail.waitFor();
    await page.getByTestId('item-image').waitFor();
    assert.equal(await page.locator('[data-testid="item-options"] li[data-correct="true"]').count(), 1, 'one option marked correct');
    assert.equal(await text('item-modality'), 'Microscopy');
    // An image folder's modality is the one the user stated for the whole source at import.
    assert.match(await text('item-modality-source'), /Given by the source · 100%/);
    await page.evaluate(() => document.getElementById('main')?.scrollTo(0, document.getElementById('main')?.scrollHeight ?? 0));
    await screenshot(page, 'data-05-item');
    await page.getByTestId('override-modality').selectOption('none');
    await page.getByTestId('override-reason').fill(OVERRIDE_REASON);
    await page.getByTestId('override-apply').click();
    await page.getByTestId('override-saved').waitFor();
    assert.equal(await text('item-modality'), 'None');
    assert.match(await text('item-modality-source'), /Set by hand · 100%/);
    await screenshot(page, 'data-06-override');
    // Escape closes the item and gives keyboard focus back to its row.
    await page.getByTestId('override-reason').focus();
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    await until(
      'focus back on the row',
      () => page.evaluate(() => document.activeElement?.getAttribute('data-item-id') ?? null),
      (id) => id === overridden,
      2_000,
    );

    await page.getByTestId('nav-audit').click();
    const entry = page.locator('[data-testid="audit-row"][data-action="modality:override"]');
    await entry.waitFor({ timeout: 10_000 });
    const auditLine = (await entry.getByTestId('audit-detail').textContent()) ?? '';
    assert.ok(auditLine.includes('Microscopy → None') && auditLine.includes(OVERRIDE_REASON) && auditLine.includes(overridden), auditLine);
    await screenshot(page, 'data-07-audit');
  });

  it('balances both datasets, previews before/after, freezes a version whose counts match the API', async () => {
    await page.getByTestId('nav-data').click();
    await page.getByTestId('data-tab-balance').click();
    const checked = await page
      .getByTestId('balance-dataset')
      .evaluateAll((boxes) => boxes.filter((b) => (b as HTMLInputElement).checked).map((b) => b.getAttribute('data-dataset-id')));
    assert.deepEqual(checked.sort(), [breastId, bloodId].sort(), 'both datasets chosen by default');
    assert.equal(await page.getByTestId('balance-freeze').isDisabled(), true, 'freezing waits for a preview');
    await page.getByTestId('balance-total').fill(String(BALANCE_TOTAL));
    await page.getByTestId('balance-split-source').check();
    await page.getByTestId('balance-preview').click();
    const panel = page.getByTestId('balance-preview-panel');
    await panel.waitFor({ timeout: 15_000 });
    const notes = (await page.getByTestId('preview-notes').allTextContents()).join('\n');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'data-08-preview');

    await page.getByTestId('balance-freeze').click();
    const card = page.getByTestId('version-card');
    await card.waitFor({ timeout: 15_000 });
    // The detail (per-letter cells per modality, notes) arrives right after the summary.
    await page.getByTestId('version-notes').waitFor();
    const id = (await text('version-id')) ?? '';
    // versions-service: `dv-` + the first 16 hex digits of the SHA-256 of the version manifest.
    assert.match(id, /^dv-[0-9a-f]{16}$/, 'the version id comes from its content hash');

    const api = await page.evaluate(async (versionId) => {
      const r = await fetch('/api/call/versions:show', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: versionId }),
      });
      return (await r.json()) as VersionDetailBody;
    }, id);
    assert.ok(api.ok, JSON.stringify(api));
    const shownByModality = Object.fromEntries(
      await page
        .getByTestId('version-modality-row')
        .evaluateAll((rows) =>
          rows.map((r) => [
            r.getAttribute('data-modality'),
            Number(r.querySelector('[data-testid="version-modality-count"]')?.textContent?.replace(/\D/g, '')),
          ]),
        ),
    );
    const shownByLetter = Object.fromEntries(
      await page
        .getByTestId('version-letter-count')
        .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-letter'), Number(c.textContent?.replace(/\D/g, ''))])),
    );
    assert.deepEqual(shownByModality, api.value.counts.byModality);
    assert.deepEqual(shownByLetter, api.value.counts.byLetter);

    // Equal quotas of 100: ultrasound has plenty; microscopy has at most the 79 left after the override, and the
    // notes say how many exist. `none` (the overridden item) is excluded by default.
    assert.equal(api.value.counts.byModality.ultrasound, BALANCE_TOTAL / 2);
    const short = /microscopy: asked (\d+), only (\d+) available/.exec(notes);
    assert.ok(short, `a shortfall note for microscopy in: ${notes}`);
    assert.equal(Number(short[1]), BALANCE_TOTAL / 2);
    assert.equal(api.value.counts.byModality.microscopy, Number(short[2]));
    assert.ok(Number(short[2]) <= BLOOD_TOTAL - 1, 'the item overridden to none is left out');
    assert.equal(api.value.counts.byModality.none, undefined);
    assert.equal(api.value.n, BALANCE_TOTAL / 2 + Number(short[2]));
    assert.equal(num(await text('preview-n')), api.value.n, 'the frozen version holds what was previewed');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'data-09-version');
    await page.getByTestId('version-list').scrollIntoViewIfNeeded();
    assert.equal(await page.locator(`[data-testid="version-row"][data-version-id="${id}"]`).count(), 1);
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.ok(app.session.requests.length > 0, 'requests were recorded');
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
