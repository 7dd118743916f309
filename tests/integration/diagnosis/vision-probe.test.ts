// A vision-only pack end to end through the real CLI (real workers, ONNX Runtime, SQLite) on BreastMNIST + blood
// cells: `models add` registers it as kind vision; `probe` with it gives exactly the reference pack's probe (the pack
// is the reference pack's own vision tower, so the same features and the same seeded fit); `diagnose` and `train`
// refuse it at request time with model/unsupported-architecture and no job or run created; a vision manifest without
// a "vision" graph cannot be registered.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/cli.ts';
import { tempVisionPack } from '../models/vision-pack-fixture.ts';
import { REFERENCE_PACK, buildDiagnosisWorkspace, cli, ok } from './diagnosis-workspace.ts';

const TOTAL = 200;

let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;
let pack: { dir: string; cleanup(): void };
let added: any;

function counts(): { jobs: number; runs: number } {
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return {
      jobs: (db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n,
      runs: (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

before(() => {
  ({ dir, cleanup } = tempDir('vision-probe'));
  ws = join(dir, 'W');
  version = buildDiagnosisWorkspace(ws, TOTAL);
  pack = tempVisionPack();
  added = ok(['models', 'add', pack.dir], ws);
});
after(() => {
  cleanup();
  pack.cleanup();
});

test('models add registers a vision pack (one file, kind vision)', () => {
  assert.equal(added.kind, 'vision');
  assert.equal(added.created, true);
  assert.equal(added.files, 1);
  assert.match(added.label, /not a medical device/);
  const list = ok(['models', 'list'], ws) as any[];
  assert.deepEqual(
    list.map((p) => p.kind),
    ['vision'],
  );
});

test('probe with the vision pack equals the probe with the reference pack (same tower), per task', () => {
  const viaReference = ok(['probe', '--model', REFERENCE_PACK, '--version', version, '--seed', '7'], ws);
  const viaVision = ok(['probe', '--model', added.id, '--version', version, '--seed', '7'], ws);
  assert.equal(viaVision.pack, added.id);
  assert.notEqual(viaVision.pack, viaReference.pack);
  assert.equal(viaVision.dim, 128);
  assert.equal(viaReference.dim, 128);
  const n = viaVision.cache.misses;
  assert.ok(n > 0 && viaVision.cache.hits === 0, `the vision pack computed its own embeddings: ${JSON.stringify(viaVision.cache)}`);
  assert.equal(viaVision.environment.executionProvider.provider, 'cpu');
  assert.deepEqual(Object.keys(viaVision.byTask).sort(), ['blood-cell', 'breastmnist']);
  for (const task of Object.keys(viaReference.byTask)) {
    const r = viaReference.byTask[task];
    const v = viaVision.byTask[task];
    assert.ok(typeof v.accuracy === 'number' && v.counts.test > 0, `${task}: ${JSON.stringify(v)}`);
    assert.equal(v.accuracy, r.accuracy, `${task} test accuracy`);
    assert.deepEqual(v.accuracyCi, r.accuracyCi, `${task} interval`);
    assert.equal(v.valAccuracy, r.valAccuracy, `${task} val accuracy`);
    assert.equal(v.l2, r.l2, `${task} chosen L2`);
    assert.deepEqual(v.counts, r.counts, `${task} counts`);
    assert.equal(v.vlm, null, 'a vision pack has no diagnosis to stand beside');
    process.stdout.write(
      `# probe ${task}: vision ${v.accuracy.toFixed(4)} = reference ${r.accuracy.toFixed(4)} (n test ${v.counts.test}, classes ${v.classes}, L2 ${v.l2})\n`,
    );
  }
  // The embeddings themselves: each image's cached feature blob (content-addressed) is the same for both packs.
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  try {
    const pairs = db
      .prepare(
        `SELECT v.blob_hash AS vision, r.blob_hash AS reference FROM feature_cache v
      JOIN feature_cache r ON r.image_hash = v.image_hash AND r.template_hash = v.template_hash AND r.pack_id = ?
      WHERE v.pack_id = ?`,
      )
      .all(viaReference.pack, added.id) as Array<{ vision: string; reference: string }>;
    assert.equal(pairs.length, n, 'every image embedded by both packs');
    assert.equal(pairs.filter((p) => p.vision !== p.reference).length, 0, 'identical feature blobs');
    process.stdout.write(`# ${pairs.length} images: vision-pack feature blobs identical to the reference pack's\n`);
  } finally {
    db.close();
  }
});

test('diagnose with a vision pack is refused at request time: model/unsupported-architecture, no job or run', () => {
  const before = counts();
  const r = cli(['diagnose', '--model', added.id, '--version', version, '--split', 'all'], ws);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.json?.ok, false);
  assert.equal(r.json.error.code, 'model/unsupported-architecture');
  assert.match(r.json.error.message, /vision-only pack/);
  assert.match(r.json.error.message, /no answer head/);
  assert.match(r.json.error.message, /linear probe/);
  assert.match(r.stderr, /Error \[model\/unsupported-architecture\]/);
  process.stdout.write(`# ${r.json.error.message}\n`);
  assert.deepEqual(counts(), before, 'nothing was started');
});

test('training with a vision pack is refused the same way', () => {
  const before = counts();
  const r = cli(['train', 'sft', '--model', added.id, '--version', version, '--steps', '1'], ws);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.json.error.code, 'model/unsupported-architecture');
  assert.match(r.json.error.message, /cannot be used for training/);
  assert.deepEqual(counts(), before);
});

test('a vision manifest without a "vision" graph cannot be registered (model/invalid-manifest, manifest.json)', () => {
  const broken = tempVisionPack((m) => (m.graphs = { encoder: m.graphs.vision }));
  try {
    const r = cli(['models', 'add', broken.dir], ws);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.json.error.code, 'model/invalid-manifest');
    assert.equal(r.json.error.detail.file, 'manifest.json');
    assert.match(r.json.error.message, /manifest\.json/);
    assert.match(r.json.error.message, /graphs\.vision: required for kind vision/);
  } finally {
    broken.cleanup();
  }
});
