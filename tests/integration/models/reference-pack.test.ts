// The shipped reference pack through the real ONNX Runtime (CPU): identity, errors, determinism,
// accuracy on held-out images of its training tasks, and near-chance support on MedMNIST tasks it never saw.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ModelError, ReferencePackRunner, computePackId, loadModelPack, optionProbabilities, sha256File } from '../../../electron/models/index.ts';
import { accuracyByTask, readImageSet, REFERENCE_PACK_DIR, type FixtureItem } from './image-set-fixture.ts';
import { copyPack, rehashInManifest } from './pack-copy.ts';

const MAX_PACK_BYTES = 5 * 1024 * 1024;
/** Held-out accuracy floors: several times chance (1/4 brain MRI, 1/8 blood cells). */
const HELDOUT_FLOOR: Record<string, number> = { 'brain-tumor-mri': 0.6, 'blood-cell-pbc': 0.6 };
/** Two-option MedMNIST tasks: accuracy must stay near chance 0.5 (the pack has no support there). */
const NEAR_CHANCE = { low: 0.25, high: 0.7 };
const FEATURE_TOLERANCE = 1e-5;

let runner: ReferencePackRunner;
let heldout: FixtureItem[];
let medmnist: FixtureItem[];

before(async () => {
  runner = await ReferencePackRunner.open(REFERENCE_PACK_DIR);
  heldout = readImageSet('reference-heldout');
  medmnist = readImageSet('medmnist-slice');
});
after(async () => runner.dispose());

function assertErrorCode(code: string, file?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof ModelError, `expected ModelError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (file) {
      assert.equal(e.file, file);
      assert.ok(e.message.includes(file), e.message);
    }
    return true;
  };
}

test('pack is small, labelled, and its id is the SHA-256 over its verified files', async () => {
  const pack = await loadModelPack(REFERENCE_PACK_DIR);
  let total = 0;
  const digests = [];
  for (const f of pack.manifest.files) {
    total += statSync(join(REFERENCE_PACK_DIR, f.path)).size;
    digests.push({ path: f.path, sha256: await sha256File(join(REFERENCE_PACK_DIR, f.path)) });
  }
  assert.ok(total < MAX_PACK_BYTES, `${total} bytes`);
  assert.equal(pack.packId, computePackId(digests));
  assert.equal(runner.packId, pack.packId);
  assert.match(runner.label, /reference model - not a medical device/);
  assert.equal(runner.executionProvider.provider, 'cpu');
  assert.ok(runner.executionProvider.reason.length > 0);
});

test('a changed byte gives model/hash-mismatch, a missing file model/missing-file, a broken graph model/corrupt-onnx', async () => {
  const copy = copyPack(REFERENCE_PACK_DIR);
  try {
    const target = join(copy.dir, 'answer_head.onnx');
    const bytes = readFileSync(target);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    writeFileSync(target, bytes);
    await assert.rejects(ReferencePackRunner.open(copy.dir), assertErrorCode('model/hash-mismatch', 'answer_head.onnx'));

    writeFileSync(target, Buffer.from('this is not an onnx protobuf'));
    await rehashInManifest(copy.dir, 'answer_head.onnx');
    await assert.rejects(ReferencePackRunner.open(copy.dir), assertErrorCode('model/corrupt-onnx', 'answer_head.onnx'));

    rmSync(join(copy.dir, 'option_encoder.onnx'));
    await assert.rejects(ReferencePackRunner.open(copy.dir), assertErrorCode('model/missing-file', 'option_encoder.onnx'));

    rmSync(join(copy.dir, 'manifest.json'));
    await assert.rejects(ReferencePackRunner.open(copy.dir), assertErrorCode('model/missing-file', 'manifest.json'));
  } finally {
    copy.cleanup();
  }
});

test('a graph without the declared inputs is model/unsupported-architecture', async () => {
  const copy = copyPack(REFERENCE_PACK_DIR);
  try {
    const path = join(copy.dir, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    m.graphs.vision.inputs = ['image'];
    writeFileSync(path, JSON.stringify(m));
    await assert.rejects(ReferencePackRunner.open(copy.dir), assertErrorCode('model/unsupported-architecture', 'vision_encoder.onnx'));
  } finally {
    copy.cleanup();
  }
});

test('outputs have the interface shapes and are deterministic across calls and batch sizes', async () => {
  const items = heldout.slice(0, 10);
  const a = await runner.scoreItems(items);
  const b = await runner.scoreItems(items);
  const single = await ReferencePackRunner.open(REFERENCE_PACK_DIR, { batchSize: 1 });
  try {
    const c = await single.scoreItems(items);
    items.forEach((it, i) => {
      const x = a[i]!;
      assert.equal(x.baseLogits.length, it.options.length);
      assert.equal(x.imageFeatures.length, 128);
      assert.equal(x.optionFeatures.length, it.options.length);
      x.optionFeatures.forEach((f) => assert.equal(f.length, 64));
      assert.deepEqual(b[i], x, 'same batch twice → identical');
      const y = c[i]!;
      y.baseLogits.forEach((v, j) => assert.ok(Math.abs(v - x.baseLogits[j]!) < FEATURE_TOLERANCE));
      y.imageFeatures.forEach((v, j) => assert.ok(Math.abs(v - x.imageFeatures[j]!) < FEATURE_TOLERANCE));
    });
  } finally {
    await single.dispose();
  }
  const emb = await runner.embedImages(items.map((it) => it.images[0]!));
  emb.forEach((e, i) => e.forEach((v, j) => assert.ok(Math.abs(v - a[i]!.imageFeatures[j]!) < FEATURE_TOLERANCE)));
  const p = optionProbabilities(a[0]!.baseLogits);
  assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-9);
});

test("option order does not change an option's score (the model scores image-option pairs)", async () => {
  const it = heldout[0]!;
  const reversed = { ...it, options: [...it.options].reverse() };
  const [x, y] = await runner.scoreItems([it, reversed]);
  const m = it.options.length;
  for (let j = 0; j < m; j++) assert.ok(Math.abs(x!.baseLogits[j]! - y!.baseLogits[m - 1 - j]!) < FEATURE_TOLERANCE);
});

test('held-out images of the training tasks: accuracy well above chance', async (t) => {
  const t0 = performance.now();
  const scores = await runner.scoreItems(heldout);
  const seconds = (performance.now() - t0) / 1000;
  const acc = accuracyByTask(
    heldout,
    scores.map((s) => s.baseLogits),
  );
  t.diagnostic(`held-out accuracy ${JSON.stringify(acc)}; ${(heldout.length / seconds).toFixed(0)} items/s (CPU, incl. resize)`);
  for (const [task, floor] of Object.entries(HELDOUT_FLOOR)) {
    assert.ok(acc[task], task);
    assert.ok(acc[task]!.accuracy >= floor, `${task}: ${acc[task]!.accuracy} < ${floor}`);
  }
});

test('MedMNIST pneumonia X-ray and breast ultrasound (never trained on): near chance', async (t) => {
  const scores = await runner.scoreItems(medmnist);
  const acc = accuracyByTask(
    medmnist,
    scores.map((s) => s.baseLogits),
  );
  t.diagnostic(`MedMNIST accuracy ${JSON.stringify(acc)}`);
  for (const task of ['pneumonia', 'breast']) {
    assert.ok(acc[task] && acc[task]!.n === 64, task);
    assert.ok(acc[task]!.accuracy >= NEAR_CHANCE.low && acc[task]!.accuracy <= NEAR_CHANCE.high, `${task}: ${acc[task]!.accuracy}`);
  }
});

test('invalid items are refused with model/invalid-input', async () => {
  const it = heldout[0]!;
  await assert.rejects(runner.scoreItems([{ ...it, options: ['only one'] }]), assertErrorCode('model/invalid-input'));
  await assert.rejects(runner.scoreItems([{ ...it, images: [] }]), assertErrorCode('model/invalid-input'));
  await assert.rejects(
    runner.scoreItems([{ ...it, images: [{ width: 4, height: 4, channels: 1, data: new Uint8Array(3) }] }]),
    assertErrorCode('model/invalid-input'),
  );
});
