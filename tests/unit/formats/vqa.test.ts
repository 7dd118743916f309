import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orAlternatives } from '../../../electron/formats/closed-options.ts';
import { collectEvents } from '../../../electron/formats/issues.ts';
import { readSlake } from '../../../electron/formats/slake.ts';
import { readVqaRad } from '../../../electron/formats/vqa-rad.ts';
import { fixture, utf8 } from './helpers.ts';

const RAD = fixture('vqa-rad/testset.json');

test('VQA-RAD without images: 451 QA (272 closed / 179 open), one images-absent warning', async () => {
  const { items, rejections, warnings } = await collectEvents(readVqaRad(RAD, { seed: 5 }));
  assert.equal(items.length, 451);
  assert.deepEqual(rejections, []);
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['images-absent'],
  );
  const closed = items.filter((i) => i.item.questionType === 'closed');
  assert.equal(closed.length, 272);
  assert.equal(items.filter((i) => i.item.questionType === 'open').length, 179);
  assert.ok(items.filter((i) => i.item.questionType === 'open').every((i) => i.item.kind === 'free-form' && i.item.correct === null));
  const yesNo = closed.filter((i) => i.extra['closedOptionsRule'] === 'yes-no');
  assert.equal(yesNo.length, 251);
  assert.ok(yesNo.every((i) => [...i.item.options].sort().join() === 'no,yes'));
  const mc = closed.filter((i) => i.item.kind === 'multiple-choice');
  assert.ok(mc.length >= 270);
  assert.ok(mc.every((i) => i.item.options[i.item.correct!] === i.item.answer));
  const mri = items.find((i) => i.item.question === 'Is this an MRI or a CT scan?')!;
  assert.deepEqual([...mri.item.options].sort(), ['ct', 'mri']);
  assert.equal(mri.item.answer, 'mri');
  assert.ok(items.every((i) => i.item.benchmark === 'vqa-rad' && i.item.modality === 'none' && i.item.sourceSplit === 'test'));
  assert.equal(items[0]!.extra['vqaRadQuestionType'], 'PRES');
  assert.equal(items[0]!.extra['imageOrgan'], 'CHEST');
});

test('VQA-RAD with a partial image folder: the 10 images cover 31 questions, misses summarised once; reject policy rejects rows', async () => {
  // The fixture holds the images of the first 20 questions; 11 later questions ask about the same 10 images.
  const keep = await collectEvents(readVqaRad(RAD, { seed: 5, images: fixture('vqa-rad/images') }));
  assert.equal(keep.items.length, 451);
  assert.equal(keep.items.filter((i) => i.image !== null).length, 31);
  assert.ok(keep.items.slice(0, 20).every((i) => i.image !== null));
  assert.deepEqual(
    keep.warnings.map((w) => w.code),
    ['image-missing'],
  );
  assert.match(keep.warnings[0]!.reason, /^420 of 451 items have no image \(193 files missing/);
  const reject = await collectEvents(readVqaRad(RAD, { seed: 5, images: fixture('vqa-rad/images'), missingImage: 'reject' }));
  assert.equal(reject.items.length, 31);
  assert.equal(reject.rejections.length, 420);
  assert.ok(reject.rejections.every((r) => r.code === 'image-missing' && typeof r.row === 'number'));
});

test('VQA-RAD bad input: invalid JSON, wrong shape, invalid rows, unsafe image path', async () => {
  const bad = await collectEvents(readVqaRad('x.json', { seed: 1, bytes: utf8('[{"qid": 1,') }));
  assert.deepEqual(
    bad.rejections.map((r) => r.code),
    ['json-invalid'],
  );
  const shape = await collectEvents(readVqaRad('x.json', { seed: 1, bytes: utf8('{"a": 1}') }));
  assert.deepEqual(
    shape.rejections.map((r) => r.code),
    ['json-shape'],
  );
  const rows = await collectEvents(
    readVqaRad('x.json', {
      seed: 1,
      images: fixture('vqa-rad/images'),
      bytes: utf8(
        JSON.stringify([
          { qid: 1, image_name: 'synpic42202.jpg', question: 'Is it?', answer: 'yes', answer_type: 'CLOSED' },
          { qid: 2, image_name: 'synpic42202.jpg', question: '', answer: 'yes', answer_type: 'CLOSED' },
          { qid: 3, image_name: '../../secret.jpg', question: 'Is it?', answer: 'no', answer_type: 'closed' },
          { qid: 4, image_name: 'synpic42202.jpg', question: 'What?', answer: 'x', answer_type: 'MAYBE' },
        ]),
      ),
    }),
  );
  assert.equal(rows.items.length, 1);
  assert.deepEqual(
    rows.rejections.map((r) => `${r.row}:${r.code}`),
    ['2:row-invalid', '3:unsafe-path', '4:row-invalid'],
  );
});

test('closed-question option rules', () => {
  assert.deepEqual(orAlternatives('Is this an MRI or a CT scan?', 'MRI'), ['mri', 'ct']);
  assert.deepEqual(orAlternatives('Is the gastric bubble on the left or right side?', 'Right side'), ['left side', 'right side']);
  assert.equal(orAlternatives('Is there a mass?', 'yes'), null);
  assert.equal(orAlternatives('Is it A, B, or C?', 'c'), null);
});

test('SLAKE test.json without images: 2094 items, modality from the source, one warning', async () => {
  const { items, rejections, warnings } = await collectEvents(readSlake(fixture('slake/test.json'), { seed: 2 }));
  assert.equal(items.length, 2094);
  assert.deepEqual(rejections, []);
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['images-absent'],
  );
  assert.equal(items.filter((i) => i.item.questionType === 'closed').length, 836);
  assert.equal(items.filter((i) => i.item.questionType === 'open').length, 1258);
  assert.equal(items.filter((i) => i.extra['language'] === 'en').length, 1061);
  const mods = new Set(items.map((i) => i.item.modality));
  assert.deepEqual([...mods].sort(), ['ct', 'mri', 'x-ray']);
  assert.ok(items.every((i) => i.item.modalitySource === 'source' && i.image === null));
  const zhClosed = items.filter((i) => i.extra['language'] === 'zh' && i.extra['closedOptionsRule'] === 'yes-no');
  assert.ok(zhClosed.length > 0 && zhClosed.every((i) => [...i.item.options].sort().join() === '否,是'));
  const en = await collectEvents(readSlake(fixture('slake/test.json'), { seed: 2, languages: ['en'] }));
  assert.equal(en.items.length, 1061);
});

test('SLAKE CSV export: closed questions from the file name', async () => {
  const { items, rejections } = await collectEvents(readSlake(fixture('slake/test_close.csv'), { seed: 2 }));
  assert.equal(items.length, 416);
  assert.deepEqual(rejections, []);
  assert.ok(items.every((i) => i.item.questionType === 'closed' && i.item.kind === 'multiple-choice'));
  assert.ok(items.every((i) => i.item.modality === 'none'));
});
