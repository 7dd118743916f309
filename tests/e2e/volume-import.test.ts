/// <reference lib="dom" />
// Issue 14 in the browser: the import form offers the volume choice for a MedMNIST 3D file (not for a 2D one), the
// request it starts imports one montage per volume, and an opened item shows which slices of its volume it holds —
// the same slices items:list answers for it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ItemRow } from '../../shared/api/datasets.ts';
import { describeSlices } from '../../shared/volume-slices.ts';
import { npyBytes, npzBytes } from '../unit/formats/helpers.ts';
import { checkAccessibility } from './a11y.ts';
import { chromiumMissingReason, num, screenshot, until, useServedApp } from './harness.ts';

const skip = chromiumMissingReason();
const SIDE = 28;
/** Volumes per split; each volume's slice k is a square of grey 60 + 7k (so slices differ and a montage shows it). */
const SPLITS = { train: 3, val: 1, test: 2 };

function organVolumes(): Uint8Array {
  const arrays: Record<string, Uint8Array> = {};
  for (const [split, n] of Object.entries(SPLITS)) {
    const data = new Uint8Array(n * SIDE ** 3);
    for (let v = 0; v < n; v++)
      for (let k = 0; k < SIDE; k++)
        for (let y = 6; y < 22; y++) data.fill(60 + 7 * k, ((v * SIDE + k) * SIDE + y) * SIDE + 4 + v, ((v * SIDE + k) * SIDE + y) * SIDE + 24 - v);
    arrays[`${split}_images`] = npyBytes('|u1', [n, SIDE, SIDE, SIDE], data);
    arrays[`${split}_labels`] = npyBytes(
      '|u1',
      [n, 1],
      Uint8Array.from({ length: n }, (_, i) => i % 11),
    );
  }
  return npzBytes(arrays);
}

describe('Volume import (e2e, Chromium against the headless host)', { skip: skip ?? false, timeout: 180_000 }, () => {
  let file = '';
  const app = useServedApp({
    prepare: (ws) => {
      file = join(ws.dir, 'organmnist3d.npz');
      writeFileSync(file, organVolumes());
    },
  });
  const { page, text } = app;

  it('offers the volume choice for a 3D file only, and imports one montage per volume', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(app.host.url);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.getByTestId('import-source').selectOption('medmnist');
    await page.getByTestId('import-path').fill('/data/breastmnist.npz');
    assert.equal(await page.getByTestId('import-volume').count(), 0, 'a 2D file is not offered slice choices');
    await page.getByTestId('import-path').fill(file);
    await page.getByTestId('import-volume').waitFor();
    assert.equal(await page.getByTestId('import-volume-every-slice').isChecked(), true, 'every slice is the default');
    await page.getByTestId('import-volume-montage').check();
    await page.getByTestId('import-montage').fill('4');
    const r = await checkAccessibility(page);
    assert.deepEqual(r.problems, [], 'import form with the volume choice: accessibility problems');
    await page.getByTestId('import-volume').scrollIntoViewIfNeeded();
    await screenshot(page, 'volume-import-01-form-1440');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('import-volume').scrollIntoViewIfNeeded();
    await screenshot(page, 'volume-import-02-form-1280');
    await page.getByTestId('import-start').click();
    const id = await until(
      'the import summary',
      () => page.evaluate(() => document.querySelector('[data-testid="import-summary"]')?.getAttribute('data-dataset-id') ?? ''),
      (v) => v !== '',
      60_000,
      100,
    );
    const volumes = SPLITS.train + SPLITS.val + SPLITS.test;
    await until(
      '6 items imported',
      () => text('summary-imported'),
      (t) => num(t) === volumes,
      60_000,
    );
    const listed = await app.api<{ total: number; items: ItemRow[] }>('items:list', { datasetId: id, limit: 50 });
    assert.equal(listed.total, volumes, 'one item per volume');
    assert.ok(
      listed.items.every(
        (i) => i.width === 2 * SIDE && i.height === 2 * SIDE && JSON.stringify(i.slices) === JSON.stringify({ indices: [0, 9, 18, 27], of: SIDE }),
      ),
    );

    // Open an item: the detail says which slices it shows, as items:list does.
    await page.getByTestId('summary-browse').click();
    await until(
      'the items',
      () => text('items-total'),
      (t) => num(t) === volumes,
    );
    await page.getByTestId('item-row').first().click();
    await page.getByTestId('item-image').waitFor();
    const opened = (await page.getByTestId('item-detail').getAttribute('data-item-id')) ?? '';
    const item = listed.items.find((i) => i.id === opened);
    assert.ok(item?.slices);
    assert.equal(await text('item-slices'), describeSlices(item.slices.indices, item.slices.of));
    assert.equal(await text('item-slices'), 'slices 0, 9, 18, 27 of 28');
    await screenshot(page, 'volume-import-03-item-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'volume-import-04-item-1440');
  });
});
