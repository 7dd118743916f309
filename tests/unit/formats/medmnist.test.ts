import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectMedMnistTask, getMedMnistTask, MEDMNIST_TASKS } from '../../../shared/medmnist-tasks.ts';
import { MODALITIES } from '../../../shared/items.ts';
import { collectEvents } from '../../../electron/formats/issues.ts';
import { readMedMnist } from '../../../electron/formats/medmnist.ts';
import { fixture, npyBytes, npzBytes } from './helpers.ts';

const BREAST = fixture('medmnist/BreastMNIST.npz');

test('task table: 12 official 2D tasks and 6 3D tasks with published class counts and valid modalities', () => {
  assert.equal(MEDMNIST_TASKS.length, 18);
  const counts = Object.fromEntries(MEDMNIST_TASKS.map((t) => [t.id, t.classes.length]));
  assert.deepEqual(counts, {
    pathmnist: 9,
    chestmnist: 14,
    dermamnist: 7,
    octmnist: 4,
    pneumoniamnist: 2,
    retinamnist: 5,
    breastmnist: 2,
    bloodmnist: 8,
    tissuemnist: 8,
    organamnist: 11,
    organcmnist: 11,
    organsmnist: 11,
    organmnist3d: 11,
    nodulemnist3d: 2,
    adrenalmnist3d: 2,
    fracturemnist3d: 3,
    vesselmnist3d: 2,
    synapsemnist3d: 2,
  });
  assert.deepEqual(
    MEDMNIST_TASKS.filter((t) => t.volumetric).map((t) => t.id),
    ['organmnist3d', 'nodulemnist3d', 'adrenalmnist3d', 'fracturemnist3d', 'vesselmnist3d', 'synapsemnist3d'],
  );
  // info.py v3.0.2: OrganMNIST3D's labels are in another order than Organ{A,C,S}MNIST's.
  assert.deepEqual(getMedMnistTask('organmnist3d')?.classes.slice(0, 3), ['liver', 'kidney-right', 'kidney-left']);
  assert.equal(detectMedMnistTask('adrenalmnist3d_64.npz')?.id, 'adrenalmnist3d');
  for (const t of MEDMNIST_TASKS) assert.ok((MODALITIES as readonly string[]).includes(t.modality), t.id);
  assert.equal(getMedMnistTask('chestmnist')?.type, 'multi-label');
  assert.equal(getMedMnistTask('retinamnist')?.type, 'ordinal');
  assert.equal(getMedMnistTask('dermamnist')?.licence, 'CC BY-NC 4.0');
  assert.deepEqual(getMedMnistTask('breastmnist')?.classes, ['malignant', 'normal, benign']);
  assert.equal(detectMedMnistTask('/x/BreastMNIST.npz')?.id, 'breastmnist');
  assert.equal(detectMedMnistTask('organcmnist_224.npz')?.id, 'organcmnist');
  assert.equal(detectMedMnistTask('mystery.npz'), undefined);
});

test('BreastMNIST fixture: 546/78/156 items, labels (N,) accepted, values match numpy', async () => {
  const { items, rejections, warnings } = await collectEvents(readMedMnist(BREAST, { seed: 7 }));
  assert.deepEqual(rejections, []);
  assert.deepEqual(warnings, []);
  const per = (s: string): typeof items => items.filter((i) => i.item.sourceSplit === s);
  assert.deepEqual([per('train').length, per('val').length, per('test').length], [546, 78, 156]);
  // Label counts per split, from numpy: bincount = [malignant, normal/benign].
  const malignant = (s: string): number => per(s).filter((i) => i.item.answer === 'malignant').length;
  assert.deepEqual([malignant('train'), malignant('val'), malignant('test')], [147, 21, 42]);
  // Pixel checks from numpy: sum of first/last image, one pixel.
  const sum = (d: Uint8Array): number => d.reduce((a, b) => a + b, 0);
  const train = per('train');
  assert.equal(sum(train[0]!.image!.data), 79609);
  assert.equal(sum(train[545]!.image!.data), 56072);
  assert.equal(train[0]!.image!.data[5 * 28 + 7], 66);
  assert.equal(sum(per('test')[155]!.image!.data), 74022);
  const first = train[0]!;
  assert.deepEqual([first.image!.width, first.image!.height, first.image!.channels], [28, 28, 1]);
  assert.equal(first.item.modality, 'ultrasound');
  assert.equal(first.item.modalitySource, 'source');
  assert.equal(first.item.task, 'breastmnist');
  assert.equal(first.item.benchmark, 'medmnist');
  assert.equal(first.item.sourceKey, 'train/0');
  for (const { item } of items) {
    assert.deepEqual([...item.options].sort(), ['malignant', 'normal, benign']);
    assert.equal(item.options[item.correct!], item.answer);
  }
});

test('option order is shuffled, reproducible from the recorded seed, and differs across seeds', async () => {
  const a = await collectEvents(readMedMnist(BREAST, { seed: 7, splits: ['val'] }));
  const b = await collectEvents(readMedMnist(BREAST, { seed: 7, splits: ['val'] }));
  const c = await collectEvents(readMedMnist(BREAST, { seed: 8, splits: ['val'] }));
  assert.deepEqual(
    a.items.map((i) => i.item),
    b.items.map((i) => i.item),
  );
  assert.notDeepEqual(
    a.items.map((i) => i.item.options),
    c.items.map((i) => i.item.options),
  );
  const firstPos = a.items.filter((i) => i.item.options[0] === 'malignant').length;
  assert.ok(firstPos > 20 && firstPos < 58, `both orders occur (${firstPos}/78)`);
  assert.ok(a.items.every((i) => typeof i.item.optionSeed === 'number'));
});

test('RGB (N,H,W,3) images, (N,1) int64 labels and out-of-range labels', async () => {
  const n = 4,
    h = 3,
    w = 2;
  const imgs = Uint8Array.from({ length: n * h * w * 3 }, (_, i) => i & 255);
  const labels = new BigInt64Array([0n, 8n, 9n, 3n]);
  const bytes = npzBytes({
    test_images: npyBytes('|u1', [n, h, w, 3], imgs),
    test_labels: npyBytes('<i8', [n, 1], new Uint8Array(labels.buffer)),
  });
  const { items, rejections } = await collectEvents(readMedMnist('pathmnist_64.npz', { seed: 1, bytes }));
  assert.equal(items.length, 3);
  assert.equal(rejections.length, 1);
  assert.equal(rejections[0]!.code, 'label-out-of-range');
  assert.equal(rejections[0]!.row, 3);
  assert.deepEqual([items[0]!.image!.width, items[0]!.image!.height, items[0]!.image!.channels], [2, 3, 3]);
  assert.deepEqual(Array.from(items[1]!.image!.data.subarray(0, 3)), [18, 19, 20]);
  assert.equal(items[1]!.item.answer, 'colorectal adenocarcinoma epithelium');
  assert.equal(items[0]!.item.options.length, 9);
});

test('ChestMNIST (multi-label): one yes/no item per finding', async () => {
  const labels = new Uint8Array(2 * 14);
  labels[1] = 1; // image 0: cardiomegaly
  labels[14 + 13] = 1; // image 1: hernia
  const bytes = npzBytes({ val_images: npyBytes('|u1', [2, 4, 4], new Uint8Array(32)), val_labels: npyBytes('|u1', [2, 14], labels) });
  const { items, rejections } = await collectEvents(readMedMnist('chestmnist.npz', { seed: 3, bytes }));
  assert.deepEqual(rejections, []);
  assert.equal(items.length, 28);
  const yes = items.filter((i) => i.item.answer === 'yes').map((i) => i.item.sourceKey);
  assert.deepEqual(yes, ['val/0/cardiomegaly', 'val/1/hernia']);
  assert.equal(items[1]!.item.question, 'Does this chest X-ray show cardiomegaly?');
  assert.ok(items.every((i) => i.item.options.length === 2 && i.item.modality === 'x-ray'));
});

test('bad inputs: unknown task, missing arrays, count mismatch, wrong dtype — rejections, never throws', async () => {
  const unknown = await collectEvents(readMedMnist('mystery.npz', { seed: 1, bytes: new Uint8Array(10) }));
  assert.equal(unknown.rejections[0]!.code, 'medmnist-unknown-task');
  const noLabels = await collectEvents(
    readMedMnist('breastmnist.npz', { seed: 1, bytes: npzBytes({ train_images: npyBytes('|u1', [1, 2, 2], new Uint8Array(4)) }) }),
  );
  assert.equal(noLabels.rejections[0]!.code, 'npz-missing-array');
  const mismatch = await collectEvents(
    readMedMnist('breastmnist.npz', {
      seed: 1,
      bytes: npzBytes({ train_images: npyBytes('|u1', [2, 2, 2], new Uint8Array(8)), train_labels: npyBytes('|u1', [3], new Uint8Array(3)) }),
    }),
  );
  assert.equal(mismatch.rejections[0]!.code, 'npz-shape-mismatch');
  const floats = await collectEvents(
    readMedMnist('breastmnist.npz', {
      seed: 1,
      bytes: npzBytes({ train_images: npyBytes('<f4', [1, 2, 2], new Uint8Array(16)), train_labels: npyBytes('|u1', [1], new Uint8Array(1)) }),
    }),
  );
  assert.equal(floats.rejections[0]!.code, 'medmnist-bad-images');
  const notZip = await collectEvents(readMedMnist('breastmnist.npz', { seed: 1, bytes: new Uint8Array(100) }));
  assert.equal(notZip.rejections[0]!.code, 'zip-not-a-zip');
  assert.equal(notZip.rejections[0]!.file, 'breastmnist.npz');
});
