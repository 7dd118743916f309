import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectEvents } from '../../../electron/formats/issues.ts';
import { readPmcVqa } from '../../../electron/formats/pmc-vqa.ts';
import { fixture, utf8 } from './helpers.ts';

const CSV = fixture('pmc-vqa/train.csv');

for (const [label, images] of [
  ['folder', fixture('pmc-vqa/images')],
  ['zip', fixture('pmc-vqa/images.zip')],
] as const) {
  test(`PMC-VQA fixture with images from a ${label}`, async () => {
    const { items, rejections } = await collectEvents(readPmcVqa(CSV, { images }));
    assert.equal(items.length, 5);
    assert.deepEqual(
      rejections.map((r) => `${r.row}:${r.code}`),
      ['7:image-missing', '8:bad-answer-label', '9:unsafe-path'],
    );
    const first = items[0]!.item;
    assert.deepEqual(first.options, ['Diffuse uptake pattern', 'Focal uptake pattern', 'No uptake pattern', 'Cannot determine from the information given']);
    assert.equal(first.correct, 1);
    assert.equal(first.answer, 'Focal uptake pattern');
    assert.deepEqual([first.modality, first.modalitySource, first.modalityConfidence], ['none', 'none', 0]);
    assert.equal(first.sourceSplit, 'train');
    assert.equal(first.benchmark, 'pmc-vqa');
    assert.equal(items[1]!.item.question, 'Which imaging modality was used, "CT" or MRI?');
    assert.deepEqual(items[1]!.item.options, ['CT', 'MRI', 'PET', 'Ultrasound']);
    assert.equal(items[2]!.item.question, 'What does the arrow point to,\nin the left panel?');
    assert.equal(items[3]!.item.answer, 'Caudate lobe');
    assert.deepEqual([items[0]!.image!.width, items[0]!.image!.height, items[0]!.image!.channels], [64, 48, 3]);
    assert.equal(items[1]!.image!.channels, 1);
  });
}

test('missing columns: one rejection naming them, no items', async () => {
  const bytes = utf8('Figure_path,Question,Choice A,Choice B\nx.jpg,q,A:a,B:b\n');
  const { items, rejections } = await collectEvents(readPmcVqa('test.csv', { images: fixture('pmc-vqa/images'), bytes }));
  assert.equal(items.length, 0);
  assert.equal(rejections.length, 1);
  assert.equal(rejections[0]!.code, 'missing-columns');
  assert.match(rejections[0]!.reason, /Choice C, Choice D, Answer_label/);
});

test('duplicate and empty choices are rejected per row; a missing image location rejects the file', async () => {
  const bytes = utf8(
    'Figure_path,Question,Answer,Choice A,Choice B,Choice C,Choice D,Answer_label\n' +
      'PMC1064097_F1.jpg,q,a,A:x,B:x,C:y,D:z,A\nPMC1064097_F1.jpg,q,a,A:x,B:,C:y,D:z,A\nPMC1064097_F1.jpg,q,a,A:w,B:x,C:y,D:z,c\n',
  );
  const r = await collectEvents(readPmcVqa('test.csv', { images: fixture('pmc-vqa/images'), bytes }));
  assert.deepEqual(
    r.rejections.map((x) => `${x.row}:${x.code}`),
    ['2:duplicate-options', '3:empty-option'],
  );
  assert.equal(r.items.length, 1);
  assert.equal(r.items[0]!.item.answer, 'y');
  assert.equal(r.items[0]!.item.sourceSplit, 'test');
  const gone = await collectEvents(readPmcVqa('test.csv', { images: fixture('pmc-vqa/nowhere'), bytes }));
  assert.deepEqual(
    gone.rejections.map((x) => x.code),
    ['file-not-found'],
  );
});
