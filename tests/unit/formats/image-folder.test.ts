import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageFolder } from '../../../electron/formats/image-folder.ts';
import { collectEvents } from '../../../electron/formats/issues.ts';
import { fixture } from './helpers.ts';

const BLOOD = fixture('images/blood-cell-pbc');
const CLASSES = ['basophil', 'eosinophil', 'erythroblast', 'ig', 'lymphocyte', 'monocyte', 'neutrophil', 'platelet'];

test('blood-cell fixture: 80 items over 8 classes, the manifest skipped, options shuffled by seed', async () => {
  const { items, rejections } = await collectEvents(readImageFolder(BLOOD, { seed: 11, modality: 'microscopy', task: 'blood-cells' }));
  assert.deepEqual(rejections, []);
  assert.equal(items.length, 80);
  for (const { item, image, extra } of items) {
    assert.deepEqual([...item.options].sort(), CLASSES);
    assert.equal(item.answer, extra['className']);
    assert.equal(item.options[item.correct!], item.answer);
    assert.equal(item.modality, 'microscopy');
    assert.equal(item.task, 'blood-cells');
    assert.ok(image && image.channels === 3 && image.width >= 360 && image.height >= 360);
  }
  assert.equal(items.filter((i) => i.item.answer === 'platelet').length, 10);
  const orders = new Set(items.map((i) => i.item.options.join('|')));
  assert.ok(orders.size > 40, 'orders vary between items');
  const again = await collectEvents(readImageFolder(BLOOD, { seed: 11, modality: 'microscopy', task: 'blood-cells' }));
  assert.deepEqual(
    again.items.map((i) => i.item.options),
    items.map((i) => i.item.options),
  );
});

test('non-image files, undecodable images, hidden files and stray root files are rejected with reasons', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'medbridge-folder-'));
  try {
    cpSync(join(BLOOD, 'basophil'), join(dir, 'basophil_cell'), { recursive: true });
    cpSync(join(BLOOD, 'platelet'), join(dir, 'platelet'), { recursive: true });
    writeFileSync(join(dir, 'platelet', 'notes.txt'), 'not an image');
    const jpg = readFileSync(join(BLOOD, 'platelet', 'PLATELET_100161.jpg'));
    writeFileSync(join(dir, 'platelet', 'truncated.jpg'), jpg.subarray(0, 2000));
    writeFileSync(join(dir, 'platelet', '.DS_Store'), 'x');
    writeFileSync(join(dir, 'stray.jpg'), jpg);
    writeFileSync(join(dir, 'README.md'), '# sidecar');
    mkdirSync(join(dir, '.hidden'));
    const { items, rejections } = await collectEvents(readImageFolder(dir, { seed: 1, modality: 'microscopy', task: 't' }));
    assert.equal(items.length, 20);
    assert.deepEqual([...items[0]!.item.options].sort(), ['basophil cell', 'platelet']);
    const byFile = Object.fromEntries(rejections.map((r) => [r.file.slice(dir.length + 1), r.code]));
    assert.deepEqual(byFile, {
      'stray.jpg': 'not-an-image',
      'platelet/.DS_Store': 'not-an-image',
      'platelet/notes.txt': 'not-an-image',
      'platelet/truncated.jpg': 'image-undecodable',
    });
    const one = await collectEvents(readImageFolder(join(dir, 'platelet'), { seed: 1, modality: 'microscopy', task: 't' }));
    assert.ok(one.rejections.some((r) => r.code === 'too-few-classes'));
    const none = await collectEvents(readImageFolder(join(dir, 'nope'), { seed: 1, modality: 'microscopy', task: 't' }));
    assert.deepEqual(
      none.rejections.map((r) => r.code),
      ['file-not-found'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
