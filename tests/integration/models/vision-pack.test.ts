// A vision-only pack (kind "vision") through the real ONNX Runtime (CPU): built from the reference pack's own
// vision_encoder.onnx, it must give the reference runner's embeddings (same graph, same preprocessing) in any batch
// size; it opens only as an image encoder (diagnosis refuses it with a coded error); broken manifests are refused
// with coded errors naming manifest.json, and graph/manifest disagreements naming the graph; an encoder exported with
// a fixed batch size still runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppError } from '../../../shared/errors.ts';
import type { DecodedImage } from '../../../shared/items.ts';
import { openImageEncoder, openRunner } from '../../../electron/models/open-model.ts';
import { ModelError, ReferencePackRunner, VisionPackRunner, computePackId, loadModelPack, sha256File } from '../../../electron/models/index.ts';
import { readImageSet, REFERENCE_PACK_DIR } from './image-set-fixture.ts';
import { rehashInManifest } from './pack-copy.ts';
import { VISION_ENCODER_FILE, tempVisionPack } from './vision-pack-fixture.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';

const SAME_GRAPH_TOLERANCE = 1e-6;

let pack: { dir: string; cleanup(): void };
let reference: ReferencePackRunner;
let images: DecodedImage[];

before(async () => {
  pack = tempVisionPack();
  reference = await ReferencePackRunner.open(REFERENCE_PACK_DIR);
  // 80 held-out 64×64 images (grey brain MRI and RGB blood cells: no resize) + 128 MedMNIST 28×28 grey (resized)
  images = [...readImageSet('reference-heldout'), ...readImageSet('medmnist-slice')].map((it) => it.images[0] as DecodedImage);
});
after(async () => {
  await reference.dispose();
  pack.cleanup();
});

function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i] as Float32Array;
    assert.equal(x.length, y.length);
    for (let d = 0; d < x.length; d++) worst = Math.max(worst, Math.abs((x[d] as number) - (y[d] as number)));
  });
  return worst;
}

function modelError(code: string, file: string, message?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof ModelError, `expected ModelError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.file, file);
    assert.ok(e.message.includes(file), e.message);
    if (message) assert.match(e.message, message);
    return true;
  };
}

test('vision pack: identity, label, feature size and provider', async () => {
  const runner = await VisionPackRunner.open(pack.dir);
  try {
    const loaded = await loadModelPack(pack.dir);
    assert.equal(loaded.manifest.kind, 'vision');
    assert.equal(runner.kind, 'vision');
    assert.equal(runner.packId, computePackId([{ path: VISION_ENCODER_FILE, sha256: await sha256File(join(pack.dir, VISION_ENCODER_FILE)) }]));
    assert.notEqual(runner.packId, reference.packId, 'a vision pack is its own pack (own feature-cache rows)');
    assert.match(runner.label, /not a medical device/);
    assert.deepEqual(runner.featureDims, { image: 128 });
    assert.equal(runner.executionProvider.provider, 'cpu');
    assert.ok(!('scoreItems' in runner), 'a vision pack has no answer head');
    assert.deepEqual(await runner.embedImages([]), []);
  } finally {
    await runner.dispose();
  }
});

test("vision pack embeddings equal the reference pack's vision tower (1e-6), in any batch size", async () => {
  const expected = await reference.embedImages(images);
  for (const batchSize of [64, 7, 1]) {
    const runner = await VisionPackRunner.open(pack.dir, { batchSize });
    try {
      const got = await runner.embedImages(images);
      assert.equal(got.length, images.length);
      assert.ok(got.every((f) => f.length === 128));
      const diff = maxAbsDiff(got, expected);
      process.stdout.write(`# batch ${batchSize}: ${images.length} images, max |vision − reference| = ${diff.toExponential(2)}\n`);
      assert.ok(diff <= SAME_GRAPH_TOLERANCE, `batch ${batchSize}: max abs difference ${diff}`);
    } finally {
      await runner.dispose();
    }
  }
});

test('probe opens a vision pack as an image encoder; diagnosis refuses it with model/unsupported-architecture', async () => {
  const encoder = await openImageEncoder('vision', pack.dir, pack.dir);
  try {
    assert.equal(encoder.kind, 'vision');
    const [a] = await encoder.embedImages(images.slice(0, 1));
    const [b] = await reference.embedImages(images.slice(0, 1));
    assert.ok(maxAbsDiff([a as Float32Array], [b as Float32Array]) <= SAME_GRAPH_TOLERANCE);
  } finally {
    await encoder.dispose();
  }
  const ref = await openImageEncoder('reference', REFERENCE_PACK_DIR, pack.dir);
  assert.equal(ref.kind, 'reference', 'other kinds open their full runner');
  await ref.dispose();
  await assert.rejects(openRunner('vision', pack.dir, pack.dir), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'model/unsupported-architecture');
    assert.match(e.message, /vision-only/);
    assert.match(e.message, /no answer head/);
    assert.match(e.message, /linear probe/);
    return true;
  });
});

test('a vision manifest without preprocessing or without a "vision" graph is refused, naming manifest.json', async () => {
  const cases: Array<{ what: string; edit: (m: Record<string, any>) => void; message: RegExp }> = [
    { what: 'no preprocessing', edit: (m) => delete m.preprocessing, message: /preprocessing: required for kind vision/ },
    { what: 'no vision graph', edit: (m) => (m.graphs = { encoder: m.graphs.vision }), message: /graphs\.vision: required for kind vision/ },
  ];
  for (const c of cases) {
    const broken = tempVisionPack(c.edit);
    try {
      await assert.rejects(loadModelPack(broken.dir), modelError('model/invalid-manifest', 'manifest.json', c.message), c.what);
      await assert.rejects(VisionPackRunner.open(broken.dir), modelError('model/invalid-manifest', 'manifest.json', c.message), c.what);
      await assert.rejects(
        openImageEncoder('vision', broken.dir, broken.dir),
        (e: unknown) => {
          assert.ok(e instanceof AppError, String(e));
          assert.equal(e.code, 'model/invalid-manifest');
          assert.equal(e.detail?.file, 'manifest.json');
          assert.match(e.message, /manifest\.json/);
          return true;
        },
        c.what,
      );
    } finally {
      broken.cleanup();
    }
  }
});

test('a manifest that disagrees with its graph is refused at open, naming the graph', async () => {
  const cases: Array<{ what: string; edit: (m: Record<string, any>) => void; code: string; file: string; message: RegExp }> = [
    {
      what: 'featureDims.image 64 for a 128-wide output',
      edit: (m) => (m.featureDims = { image: 64, option: 64 }),
      code: 'model/unsupported-architecture',
      file: VISION_ENCODER_FILE,
      message: /output image_embeds has shape \(batch, 128\); expected \(batch, 64\)/,
    },
    {
      what: '32×32 preprocessing for a 64×64 input',
      edit: (m) => (m.preprocessing.size = [32, 32]),
      code: 'model/unsupported-architecture',
      file: VISION_ENCODER_FILE,
      message: /input pixel_values has shape \(batch, 3, 64, 64\)/,
    },
    {
      what: 'non-square input',
      edit: (m) => (m.preprocessing.size = [64, 48]),
      code: 'model/unsupported-architecture',
      file: 'manifest.json',
      message: /square 3-channel/,
    },
    {
      what: 'undeclared output name',
      edit: (m) => (m.graphs.vision.outputs = ['pooled']),
      code: 'model/unsupported-architecture',
      file: VISION_ENCODER_FILE,
      message: /output pooled/,
    },
  ];
  for (const c of cases) {
    const broken = tempVisionPack(c.edit);
    try {
      await assert.rejects(VisionPackRunner.open(broken.dir), modelError(c.code, c.file, c.message), c.what);
    } finally {
      broken.cleanup();
    }
  }
});

test('a vision pack with a tampered encoder is refused by hash', async () => {
  const tampered = tempVisionPack();
  try {
    appendFileSync(join(tampered.dir, VISION_ENCODER_FILE), Buffer.from([0]));
    await assert.rejects(VisionPackRunner.open(tampered.dir), modelError('model/hash-mismatch', VISION_ENCODER_FILE));
  } finally {
    tampered.cleanup();
  }
});

/** Rewrites the encoder's batch dimension to a fixed size (as many exporters do), with Debian python3-onnx (as make_tiny_vlm.py). */
const PY = ENGINE_PYTHON;
const FIX_BATCH_PY = `
import sys, onnx
m = onnx.load(sys.argv[1])
for v in list(m.graph.input) + list(m.graph.output):
    d = v.type.tensor_type.shape.dim[0]
    d.ClearField('dim_param'); d.dim_value = int(sys.argv[2])
onnx.save(m, sys.argv[1])
`;
const pythonMissing = enginePythonMissing();

test('an encoder exported with a fixed batch size runs in that size, the last batch padded', { skip: pythonMissing ?? false }, async () => {
  const FIXED = 5;
  const fixed = tempVisionPack();
  try {
    const py = spawnSync(PY, ['-c', FIX_BATCH_PY, join(fixed.dir, VISION_ENCODER_FILE), String(FIXED)], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    await rehashInManifest(fixed.dir, VISION_ENCODER_FILE);
    const runner = await VisionPackRunner.open(fixed.dir, { batchSize: 64 });
    try {
      const subset = images.slice(0, 2 * FIXED + 3);
      const got = await runner.embedImages(subset);
      const diff = maxAbsDiff(got, await reference.embedImages(subset));
      process.stdout.write(`# fixed batch ${FIXED}: ${subset.length} images, max |vision − reference| = ${diff.toExponential(2)}\n`);
      assert.ok(diff <= SAME_GRAPH_TOLERANCE, String(diff));
    } finally {
      await runner.dispose();
    }
  } finally {
    fixed.cleanup();
  }
});
