// Acceptance: every source file imports or is rejected with a stated reason, and item counts equal the source counts.
// Runs on the bundled fixtures always, and on the full ../shared/data sample set when it is beside the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT, runCli, tempDir } from '../../helpers/cli.ts';

const FX = join(REPO_ROOT, 'tests', 'fixtures', 'formats');
const SHARED = join(REPO_ROOT, '..', 'shared', 'data');

interface ImportOut {
  dataset: string;
  state: string;
  imported: number;
  rejected: Array<{ file: string; row?: number; code: string; reason: string }>;
  warnings: number;
  bySplit: Record<string, number>;
  byModality: Record<string, number>;
}

function importJson(ws: string, args: string[]): ImportOut {
  const r = runCli(['import', ...args, '--workspace', ws, '--json']);
  assert.equal(r.code, 0, `import ${args.join(' ')}: ${r.stderr}`);
  const out = r.json as ImportOut;
  assert.equal(out.state, 'done');
  for (const x of out.rejected) assert.ok(x.reason.length > 5 && x.code.length > 3, `rejection has a code and a reason: ${JSON.stringify(x)}`);
  return out;
}

function importFails(ws: string, args: string[]): ImportOut & { error: { code: string; message: string } } {
  const r = runCli(['import', ...args, '--workspace', ws, '--json']);
  assert.equal(r.code, 1, `import ${args.join(' ')} must fail: ${r.stdout}`);
  const out = r.json as ImportOut & { error: { code: string; message: string } };
  assert.equal(out.state, 'failed');
  return out;
}

function integrityOk(ws: string): void {
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal((db.pragma('foreign_key_check') as unknown[]).length, 0);
  db.close();
}

test('bundled fixtures: counts equal the sources, bad rows rejected with reasons', async (t) => {
  const { dir, cleanup } = tempDir('sources');
  t.after(cleanup);
  const ws = join(dir, 'W');
  runCli(['init', '--workspace', ws]);
  const breast = importJson(ws, ['medmnist', join(FX, 'medmnist', 'BreastMNIST.npz')]);
  assert.deepEqual(breast.bySplit, { test: 156, train: 546, val: 78 });
  assert.deepEqual(breast.byModality, { ultrasound: 780 });
  assert.equal(breast.rejected.length, 0);

  const classes = readdirSync(join(FX, 'images', 'blood-cell-pbc'), { withFileTypes: true }).filter((d) => d.isDirectory());
  const images = classes.reduce((n, c) => n + readdirSync(join(FX, 'images', 'blood-cell-pbc', c.name)).length, 0);
  const blood = importJson(ws, ['image-folder', join(FX, 'images', 'blood-cell-pbc'), '--modality', 'microscopy', '--task', 'blood-cell-type']);
  assert.equal(blood.imported + blood.rejected.length, images);
  assert.equal(blood.imported, 80);

  const rad = importJson(ws, ['vqa-rad', join(FX, 'vqa-rad', 'testset.json'), '--images', join(FX, 'vqa-rad', 'images')]);
  const radRows = (JSON.parse(readFileSync(join(FX, 'vqa-rad', 'testset.json'), 'utf8')) as unknown[]).length;
  assert.equal(rad.imported, radRows);
  assert.equal(rad.imported, 451);

  const slake = importJson(ws, ['slake', join(FX, 'slake', 'test.json')]);
  assert.equal(slake.imported, 2094);
  assert.ok(slake.warnings >= 1, 'images absent is said once, as a warning');

  // PMC-VQA in its published CSV format (written for the fixture): good rows imported, bad rows rejected by row.
  const pmc = importJson(ws, ['pmcvqa', join(FX, 'pmc-vqa', 'train.csv'), '--images', join(FX, 'pmc-vqa', 'images.zip')]);
  assert.equal(pmc.imported, 5);
  assert.equal(pmc.rejected.length, 3);
  assert.ok(
    pmc.rejected.every((x) => typeof x.row === 'number'),
    'CSV rejections name the row',
  );

  // A CSV missing columns, or a truncated npz: the import fails with a coded error naming the file (issue 16), the
  // rejection is kept, and no ready dataset is left.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'bad.csv'), 'Figure_path,Question\nx.jpg,What?\n');
  const bad = importFails(ws, ['pmcvqa', join(dir, 'bad.csv'), '--images', join(FX, 'pmc-vqa', 'images')]);
  assert.equal(bad.error.code, 'import/missing-columns');
  assert.equal(bad.imported, 0);
  assert.equal(bad.rejected[0]?.code, 'missing-columns');
  assert.match(bad.rejected[0]?.reason ?? '', /Choice A/);
  const npz = readFileSync(join(FX, 'medmnist', 'BreastMNIST.npz'));
  writeFileSync(join(dir, 'breastmnist.npz'), npz.subarray(0, Math.floor(npz.length / 3)));
  const trunc = importFails(ws, ['medmnist', join(dir, 'breastmnist.npz')]);
  assert.match(trunc.error.code, /^import\/zip-/);
  assert.match(trunc.error.message, /breastmnist\.npz/);
  assert.equal(trunc.imported, 0);
  assert.ok(trunc.rejected.length >= 1);
  const listed = runCli(['datasets', 'list', '--workspace', ws, '--json']).json as Array<{ state: string }>;
  assert.deepEqual(
    listed.map((d) => d.state),
    ['ready', 'ready', 'ready', 'ready', 'ready', 'failed', 'failed'],
  );
  integrityOk(ws);
});

test(
  'the full shared sample set: every file imported or rejected with a reason, counts equal the sources',
  { skip: existsSync(SHARED) ? false : `no ../shared/data beside the repository (${SHARED})`, timeout: 600_000 },
  (t) => {
    const { dir, cleanup } = tempDir('shared');
    t.after(cleanup);
    const ws = join(dir, 'W');
    runCli(['init', '--workspace', ws]);
    const expected: Record<string, Record<string, number>> = {
      'medmnist/aksufatih_snn-medmnist/pneumoniamnist.npz': { train: 2428, val: 270, test: 468 },
      'medmnist/varun19424_pneumonia_mnist/data/pneumoniamnist.npz': { train: 3882, val: 524, test: 624 },
      'medmnist/KamalJain777_AMLS_25_26/BreastMNIST.npz': { train: 546, val: 78, test: 156 },
    };
    for (const [file, splits] of Object.entries(expected)) {
      const out = importJson(ws, ['medmnist', join(SHARED, file)]);
      assert.deepEqual(out.bySplit, Object.fromEntries(Object.entries(splits).sort()), file);
    }
    for (const [folder, modality] of [
      ['blood-cell-pbc', 'microscopy'],
      ['brain-tumor-mri', 'mri'],
      ['fundus-eye-disease', 'fundus'],
    ] as const) {
      const manifest = readFileSync(join(SHARED, 'images', folder, 'MANIFEST.sha256'), 'utf8')
        .trim()
        .split('\n').length;
      const out = importJson(ws, ['image-folder', join(SHARED, 'images', folder), '--modality', modality, '--task', folder]);
      assert.equal(out.imported + out.rejected.length, manifest, folder);
    }
    const rad = importJson(ws, [
      'vqa-rad',
      join(SHARED, 'vqa', 'vqa-rad', 'data_RAD', 'testset.json'),
      '--images',
      join(SHARED, 'vqa', 'vqa-rad', 'data_RAD', 'images'),
    ]);
    assert.equal(rad.imported, 451);
    const slake = importJson(ws, ['slake', join(SHARED, 'vqa', 'slake', 'Slake1.0', 'test.json')]);
    assert.equal(slake.imported, 2094);
    const dicomFiles = (function walk(d: string): string[] {
      return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    })(join(SHARED, 'dicom'));
    const dicom = importJson(ws, ['dicom', join(SHARED, 'dicom')]);
    assert.equal(dicom.imported + dicom.rejected.length, dicomFiles.length);
    integrityOk(ws);
  },
);
