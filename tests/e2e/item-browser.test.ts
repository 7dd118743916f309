/// <reference lib="dom" />
// The item browser end to end: BreastMNIST and the blood-cell image folder imported by the CLI, browsed in Chromium
// against `medbridge serve`. Every total, row and filter choice the page shows is compared with what items:list and
// items:facets return for the same selection: text search, task, class and split filters over the whole dataset,
// readable titles, the gallery's server pages, and the full-resolution viewer with its zoom (keyboard driven).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ItemFacets, ItemRow } from '../../shared/api/datasets.ts';
import { itemTitle } from '../../shared/item-title.ts';
import { formatCount } from '../../renderer/src/lib/format/format.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, cli, nonLoopbackRequests, num, ROOT, screenshot, until, useServedApp } from './harness.ts';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'formats');
/** tests/fixtures/formats/MANIFEST.md: BreastMNIST 780 items; blood-cell-pbc 80 items over 8 classes. */
const BREAST_TOTAL = 780;
const BLOOD_TOTAL = 80;
/** renderer/src/lib/state/items.svelte.ts ITEMS_PAGE_SIZE: the gallery shows one server page. */
const PAGE = 50;
const SMALL_SCREEN = { width: 1280, height: 720 };
const LARGE_SCREEN = { width: 1440, height: 900 };

const skip = chromiumMissingReason();

interface Listed {
  total: number;
  items: ItemRow[];
}
interface Detail {
  counts: { bySplit: Record<string, number> };
  removed: Record<string, number>;
  countsByTaskClassSplit: Record<string, Record<string, Record<string, number>>>;
}
/** Items asked of the balancer: more than the blood cells hold, so both tasks are in the version. */
const VERSION_TOTAL = 200;

describe('Item browser (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 180_000 }, () => {
  const app = useServedApp({
    prepare: (ws) => {
      cli(['import', 'medmnist', join(FIXTURES, 'medmnist', 'BreastMNIST.npz'), '--workspace', ws.workspace]);
      cli([
        'import',
        'image-folder',
        join(FIXTURES, 'images', 'blood-cell-pbc'),
        '--modality',
        'microscopy',
        '--task',
        'blood-cell-type',
        '--workspace',
        ws.workspace,
      ]);
    },
  });
  const { page, text } = app;
  let bloodId = '';
  let duplicatesSeen = 0;

  /** The item ids of the table rows now in the DOM, in order. */
  const shownRowIds = () => page.getByTestId('item-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item-id') ?? ''));
  const shownTotal = async () => num(await text('items-total'));
  /** The options of a filter select as [value, label] pairs, the "Any" option left out. */
  const optionsOf = (testid: string) =>
    page
      .getByTestId(testid)
      .locator('option')
      .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, (o.textContent ?? '').trim()]).filter(([v]) => v !== ''));

  async function accessible(what: string): Promise<void> {
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], `${what}: accessibility problems`);
    assert.ok(r.checkedControls > 5, `${what}: the check saw the controls (${r.checkedControls})`);
  }

  /** The page's total and first rows equal items:list for the same selection. */
  async function sameAsApi(what: string, selection: Record<string, string>): Promise<Listed> {
    const api = await app.api<Listed>('items:list', { ...selection, offset: 0, limit: PAGE });
    await until(`${what}: total ${api.total}`, shownTotal, (n) => n === api.total, 15_000);
    const ids = await until(`${what}: rows of the selection`, shownRowIds, (r) => r.length > 0 && r.every((id) => api.items.some((i) => i.id === id)), 15_000);
    assert.deepEqual(
      ids,
      api.items.slice(0, ids.length).map((i) => i.id),
      `${what}: the rows shown are the API's first rows, in order`,
    );
    const titles = await page.getByTestId('item-row-title').allTextContents();
    assert.deepEqual(titles, api.items.slice(0, titles.length).map(itemTitle), `${what}: readable titles`);
    return api;
  }

  it('shows every item of the workspace, with readable titles', async () => {
    await page.setViewportSize(SMALL_SCREEN);
    await page.goto(app.host.url);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('data-tab-browse').click();
    const all = await sameAsApi('everything', {});
    assert.equal(all.total, BREAST_TOTAL + BLOOD_TOTAL);
    assert.match(
      all.items[0] ? itemTitle(all.items[0]) : '',
      /^breastmnist · (train|val|test) #\d+ · (malignant|normal, benign)$/,
      'a MedMNIST title says task, split, index and class',
    );
    // The task and class choices cover the whole workspace (from items:facets), not only the 50 rows loaded.
    const facets = await app.api<ItemFacets>('items:facets', {});
    await until(
      'task choices',
      () => optionsOf('filter-task'),
      (o) => o.length === facets.tasks.length,
    );
    assert.deepEqual(
      await optionsOf('filter-task'),
      facets.tasks.map((t) => [t.value, `${t.value} (${formatCount(t.n)})`]),
    );
    assert.deepEqual(
      await optionsOf('filter-class'),
      facets.answers.map((a) => [a.value, `${a.value} (${formatCount(a.n)})`]),
    );
    assert.equal(facets.answers.length, 2 + 8, 'BreastMNIST has 2 classes (shared/medmnist-tasks.ts), the blood cells 8');
    await accessible('browse list');
  });

  it('searches on the host: the total and rows equal items:list with the same search', async () => {
    await page.getByTestId('filter-search').fill('neutrophil');
    const found = await sameAsApi('search "neutrophil"', { search: 'neutrophil' });
    assert.ok(found.total > 0 && found.total < BLOOD_TOTAL, `some blood cells match (${found.total})`);
    // A source file name found case-insensitively.
    await page.getByTestId('filter-search').fill('TRAIN/12');
    await page.getByTestId('filter-search').press('Enter');
    const byKey = await sameAsApi('search "TRAIN/12"', { search: 'TRAIN/12' });
    assert.ok(
      byKey.items.every((i) => i.sourceKey.toLowerCase().includes('train/12')),
      'every match has train/12 in its source key',
    );
    await page.getByTestId('filter-search').fill('');
    await sameAsApi('search cleared', {});
  });

  it('filters by task, class and split over the whole dataset, with the counts the host gives', async () => {
    await page.getByTestId('filter-task').selectOption('breastmnist');
    await sameAsApi('task breastmnist', { task: 'breastmnist' });
    const facets = await app.api<ItemFacets>('items:facets', { task: 'breastmnist' });
    await until(
      'classes of breastmnist only',
      () => optionsOf('filter-class'),
      (o) => o.length === facets.answers.length,
    );
    assert.deepEqual(
      (await optionsOf('filter-class')).map(([v]) => v),
      facets.answers.map((a) => a.value),
    );
    await page.getByTestId('filter-class').selectOption('malignant');
    await page.getByTestId('filter-split').selectOption('test');
    const narrowed = await sameAsApi('breastmnist, malignant, test', { task: 'breastmnist', answer: 'malignant', split: 'test' });
    assert.ok(narrowed.items.every((i) => i.answer === 'malignant' && i.sourceSplit === 'test' && i.task === 'breastmnist'));
    const splitFacets = await app.api<ItemFacets>('items:facets', { task: 'breastmnist', answer: 'malignant', split: 'test' });
    const splitLabels = await optionsOf('filter-split');
    assert.deepEqual(
      splitLabels,
      ['train', 'val', 'test'].map((s) => [s, `${s} (${splitFacets.splits.find((f) => f.value === s)?.n ?? 0})`]),
      'each split says how many malignant items it holds',
    );
    await screenshot(page, 'item-browser-01-filters-1280x720');
  });

  it('shows a gallery of larger thumbnails paged on the server', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).click();
    bloodId = (await app.api<Array<{ id: string; source: string }>>('datasets:list', {})).find((d) => d.source === 'image-folder')?.id ?? '';
    assert.ok(bloodId);
    await page.getByTestId('filter-dataset').selectOption(bloodId);
    await sameAsApi('the blood-cell dataset', { datasetId: bloodId });
    await page.getByTestId('view-gallery').click();
    const first = await app.api<Listed>('items:list', { datasetId: bloodId, offset: 0, limit: PAGE });
    const tileIds = () => page.getByTestId('gallery-tile').evaluateAll((ts) => ts.map((t) => t.getAttribute('data-item-id') ?? ''));
    await until('the first gallery page', tileIds, (ids) => ids.length === PAGE);
    assert.deepEqual(
      await tileIds(),
      first.items.map((i) => i.id),
    );
    assert.deepEqual(await page.getByTestId('gallery-title').allTextContents(), first.items.map(itemTitle));
    await until(
      'gallery thumbnails',
      () => page.getByTestId('gallery-thumb').count(),
      (n) => n >= 12,
      20_000,
    );
    const side = await page
      .getByTestId('gallery-thumb')
      .first()
      .evaluate((img) => img.getBoundingClientRect().width);
    assert.ok(side >= 100, `gallery thumbnails are larger than the table's 40 px (${side} px)`);
    await screenshot(page, 'item-browser-02-gallery-1280x720');
    await page.getByTestId('gallery-next').click();
    const second = await app.api<Listed>('items:list', { datasetId: bloodId, offset: PAGE, limit: PAGE });
    await until('the second gallery page', tileIds, (ids) => ids.length === BLOOD_TOTAL - PAGE && ids[0] === second.items[0]?.id);
    assert.deepEqual(
      await tileIds(),
      second.items.map((i) => i.id),
    );
    assert.equal(await text('gallery-page'), 'Page 2 of 2');
    await accessible('gallery');
  });

  it('opens an item in the viewer at full resolution with keyboard zoom', async () => {
    const tile = page.getByTestId('gallery-tile').first();
    const id = (await tile.getAttribute('data-item-id')) ?? '';
    const item = (await app.api<Listed>('items:list', { datasetId: bloodId, offset: PAGE, limit: 1 })).items[0];
    assert.ok(item);
    assert.equal(item.id, id, 'the first tile of page 2 is the 51st item');
    await tile.click();
    await page.locator(`[data-testid="item-detail"][data-item-id="${id}"]`).waitFor();
    assert.equal(await text('item-title'), itemTitle(item));
    await page.getByTestId('item-image').waitFor();
    await page.getByTestId('item-view-full').click();
    const viewer = page.getByTestId('item-viewer');
    await viewer.waitFor();
    assert.equal(await text('viewer-title'), itemTitle(item));
    const image = page.getByTestId('viewer-image');
    await image.waitFor();
    // The viewer holds the stored image, not the 96 px thumbnail: its pixel size is the item's.
    const natural = await until(
      'the full image decoded',
      () => image.evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight]),
      ([w]) => (w ?? 0) > 0,
    );
    assert.deepEqual(natural, [item.width, item.height]);
    assert.ok((item.width ?? 0) > 96, 'the blood-cell images are larger than a thumbnail');
    const shownWidth = () => image.evaluate((img) => Math.round(img.getBoundingClientRect().width));
    const fitWidth = await shownWidth();
    // Keyboard: 1 = one image pixel per screen pixel, + zooms in one step, − out, 0 fits again.
    await page.getByTestId('viewer-frame').focus();
    await page.keyboard.press('1');
    await until('1:1', shownWidth, (w) => w === item.width);
    assert.equal(await text('viewer-zoom'), '100%');
    await page.keyboard.press('+');
    await until('200 %', shownWidth, (w) => w === (item.width ?? 0) * 2);
    assert.equal(await text('viewer-zoom'), '200%');
    await page.getByTestId('viewer-zoom-out').click();
    await until('back to 100 %', shownWidth, (w) => w === item.width);
    await page.keyboard.press('0');
    await until('fit again', shownWidth, (w) => w === fitWidth);
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await screenshot(page, 'item-browser-03-viewer-1280x720');
    await accessible('viewer');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await screenshot(page, 'item-browser-04-detail-1280x720');
  });

  it("shows a frozen version's items per class and split, and the duplicates it removed with their matches, as the API says", async () => {
    await page.getByTestId('data-tab-balance').click();
    await page.getByTestId('balance-total').fill(String(VERSION_TOTAL));
    await page.getByTestId('balance-split-source').check();
    await page.getByTestId('balance-preview').click();
    await page.getByTestId('balance-preview-panel').waitFor({ timeout: 15_000 });
    await page.getByTestId('balance-freeze').click();
    await page.getByTestId('version-class-counts').waitFor({ timeout: 15_000 });
    const id = await text('version-id');
    const detail = await app.api<Detail>('versions:show', { id });
    const splits = Object.keys(detail.counts.bySplit);
    const shown = await page
      .getByTestId('version-class-row')
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.getAttribute('data-task'),
          r.getAttribute('data-class'),
          Object.fromEntries(
            [...r.querySelectorAll('td[data-split]')].map((td) => [td.getAttribute('data-split'), Number((td.textContent ?? '').replace(/\D/g, ''))]),
          ),
        ]),
      );
    const expected = Object.keys(detail.countsByTaskClassSplit)
      .sort()
      .flatMap((task) => {
        const classes = detail.countsByTaskClassSplit[task] ?? {};
        return Object.keys(classes)
          .sort()
          .map((cls) => [task, cls, Object.fromEntries(splits.map((sp) => [sp, classes[cls]?.[sp] ?? 0]))]);
      });
    assert.deepEqual(Object.fromEntries(shown.map(([t, c, v]) => [`${t}/${c}`, v])), Object.fromEntries(expected.map(([t, c, v]) => [`${t}/${c}`, v])));
    assert.equal(shown.length, 2 + 8, 'every class of both tasks has a row');
    for (const reason of ['near-duplicate', 'exact-duplicate'] as const) {
      const n = detail.removed[reason] ?? 0;
      const panel = page.locator(`[data-testid="version-duplicates"][data-reason="${reason}"]`);
      if (n === 0) {
        assert.equal(await panel.count(), 0, `no ${reason} list when none was removed`);
        continue;
      }
      await panel.locator('summary').click();
      const api = await app.api<{ reproduced: boolean; total: number; removed: Array<{ item: ItemRow; matches: ItemRow | null }> }>('versions:removed', {
        id,
        reason,
        limit: 50,
      });
      assert.equal(api.total, n);
      const rows = () =>
        panel.getByTestId('duplicate-row').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-item-id'), r.getAttribute('data-match-id')]));
      await until(`${reason} rows`, rows, (r) => r.length === api.removed.length, 30_000);
      assert.deepEqual(
        await rows(),
        api.removed.map((d) => [d.item.id, d.matches?.id ?? '']),
      );
      assert.deepEqual(
        await panel.locator('[data-testid="duplicate-row"] td:first-child .dupe-title').allTextContents(),
        api.removed.map((d) => itemTitle(d.item)),
      );
      assert.deepEqual(
        await panel.locator('[data-testid="duplicate-row"] td:nth-child(2) .dupe-title').allTextContents(),
        api.removed.map((d) => (d.matches ? itemTitle(d.matches) : '')).filter(Boolean),
      );
      await until(
        `${reason} thumbnails`,
        () => panel.locator('img.dupe-thumb').count(),
        (k) => k >= 2 * Math.min(api.removed.length, 6),
        30_000,
      );
      duplicatesSeen += n;
    }
    await app.scrollTo('version-class-counts');
    await screenshot(page, 'item-browser-05-version-classes-1280x720');
    if (duplicatesSeen > 0) {
      await app.scrollTo('version-duplicates');
      await screenshot(page, 'item-browser-06-version-duplicates-1280x720');
    }
    await accessible('version view');
    // After a reload the version is no longer the one just frozen: the list's Show opens the same view again.
    await page.reload();
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('data-tab-balance').click();
    await page.locator(`[data-testid="version-row"][data-version-id="${id}"] [data-testid="version-show"]`).click();
    await page.getByTestId('version-class-counts').waitFor({ timeout: 15_000 });
    assert.equal(await text('version-id'), id);
    assert.equal(await page.getByTestId('version-class-row').count(), shown.length);
    assert.deepEqual(
      await page.getByTestId('version-duplicates').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-reason'))),
      ['near-duplicate', 'exact-duplicate'].filter((r) => (detail.removed[r] ?? 0) > 0),
    );
    // The browser at the larger screen size, for a look.
    await page.setViewportSize(LARGE_SCREEN);
    await page.getByTestId('data-tab-browse').click();
    await page.getByTestId('view-gallery').click();
    await until(
      'thumbnails in the gallery',
      () => page.getByTestId('gallery-thumb').count(),
      (n) => n >= 12,
      20_000,
    );
    await screenshot(page, 'item-browser-07-gallery-1440x900');
  });

  it('made no console errors and no request off the loopback interface', () => {
    assert.deepEqual(app.session.consoleErrors, []);
    assert.deepEqual(nonLoopbackRequests(app.session.requests), []);
  });
});
