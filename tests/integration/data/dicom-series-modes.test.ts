// Issue 14: a CT series of 40 slices imported through the CLI gives 40, 1 or N items as chosen (--volume), with the
// chosen slice indices recorded on the item; the middle and most-tissue items show exactly the slice the per-file
// import stored for that file. The series is built here from CT_small.dcm (pydicom's test set): its stored pixels and
// pixel module, with InstanceNumber, ImagePositionPatient, SOP and Series Instance UIDs rewritten per slice, a fixed
// abdominal window, and air (−1000 HU) outside a disc whose radius peaks at slice 27 — so slice 27 has most tissue.
// Files are scattered over sub-folders under names that do not follow the slice order; Instance Numbers run backwards,
// so only the position along the slice normal gives the order the test expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeStoredFrames, readDicom } from '../../../electron/dicom/index.ts';
import type { ItemRow } from '../../../shared/api/datasets.ts';
import { REPO_ROOT, api, runCli, startServe, tempDir } from '../../helpers/cli.ts';
import { buildDicom, type BuildElement } from '../../unit/dicom/build-dicom.ts';

const SLICES = 40;
const PEAK = 27;
const SIDE = 128;
const SPACING_MM = 2.5;
const STUDY = '1.2.826.0.1.3680043.8.498.14.1';
const SERIES = '1.2.826.0.1.3680043.8.498.14.2';
const AIR_STORED = 24; // −1000 HU with intercept −1024
const WATER_STORED = 1024; // 0 HU

async function ctSmallStored(): Promise<Float64Array> {
  const r = readDicom(new Uint8Array(readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'dicom', 'pydicom', 'CT_small.dcm'))), 'CT_small.dcm');
  assert.ok(r.ok);
  const f = await decodeStoredFrames(r);
  assert.ok(f.ok);
  return f.frames[0]!.values;
}

/** Slice k of the series: CT_small's stored values (at least water, plus 3k so no two slices are alike) inside a disc of radius 60 − 2|k − PEAK|, air outside; `extra` replaces elements. */
function slice(k: number, stored: Float64Array, extra: BuildElement[] = []): Uint8Array {
  const radius = 60 - 2 * Math.abs(k - PEAK);
  const pixels = Array.from(stored, (v, i) => {
    const x = (i % SIDE) - SIDE / 2,
      y = Math.floor(i / SIDE) - SIDE / 2;
    return x * x + y * y <= radius * radius ? Math.max(v, WATER_STORED) + 3 * k : AIR_STORED;
  });
  const base: BuildElement[] = [
    { tag: '00080016', vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
    { tag: '00080018', vr: 'UI', value: `1.2.826.0.1.3680043.8.498.14.3.${k + 1}` },
    { tag: '00080060', vr: 'CS', value: 'CT' },
    { tag: '00100010', vr: 'PN', value: 'Series^Forty' },
    { tag: '00100020', vr: 'LO', value: 'SERIES-0040' },
    { tag: '0020000d', vr: 'UI', value: STUDY },
    { tag: '0020000e', vr: 'UI', value: SERIES },
    { tag: '00200013', vr: 'IS', value: String(SLICES - k) },
    { tag: '00200032', vr: 'DS', value: `-158.1\\-179.0\\${(-75.7 + SPACING_MM * k).toFixed(1)}` },
    { tag: '00200037', vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
    { tag: '00280002', vr: 'US', value: [1] },
    { tag: '00280004', vr: 'CS', value: 'MONOCHROME2' },
    { tag: '00280010', vr: 'US', value: [SIDE] },
    { tag: '00280011', vr: 'US', value: [SIDE] },
    { tag: '00280100', vr: 'US', value: [16] },
    { tag: '00280101', vr: 'US', value: [16] },
    { tag: '00280102', vr: 'US', value: [15] },
    { tag: '00280103', vr: 'US', value: [0] },
    { tag: '00281050', vr: 'DS', value: '40' },
    { tag: '00281051', vr: 'DS', value: '400' },
    { tag: '00281052', vr: 'DS', value: '-1024' },
    { tag: '00281053', vr: 'DS', value: '1' },
    { tag: '7fe00010', vr: 'OW', value: pixels },
  ];
  const replaced = new Set(extra.map((e) => e.tag));
  return buildDicom([...base.filter((e) => !replaced.has(e.tag)), ...extra]);
}

/** Where slice k is written: three sub-folders, names that sort in another order than the slices. */
const fileOf = (k: number) => join(['b', 'a/deep', 'c'][k % 3] as string, `img-${String((k * 17) % SLICES).padStart(2, '0')}.dcm`);

interface StoredItem {
  source_key: string;
  image_hash: string;
  width: number;
  height: number;
  extra: string;
  patient: string;
}

function items(ws: string, dataset: string): StoredItem[] {
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  try {
    return db
      .prepare('SELECT source_key, image_hash, width, height, extra, patient FROM items WHERE dataset_id = ? ORDER BY rowid')
      .all(dataset) as StoredItem[];
  } finally {
    db.close();
  }
}

test('a CT series of 40 slices: 40 items per file, 1 from the middle or most-tissue slice, 1 montage of N', { timeout: 600_000 }, async (t) => {
  const { dir, cleanup } = tempDir('series-modes');
  t.after(cleanup);
  const src = join(dir, 'series');
  const stored = await ctSmallStored();
  for (let k = 0; k < SLICES; k++) {
    mkdirSync(join(src, fileOf(k), '..'), { recursive: true });
    writeFileSync(join(src, fileOf(k)), slice(k, stored));
  }
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const imp = (...extra: string[]) => {
    const r = runCli(['import', 'dicom', src, '--workspace', ws, '--json', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return r.json as { dataset: string; created: boolean; imported: number; rejected: unknown[]; byModality: Record<string, number> };
  };

  // Every slice an item (the default): 40 items keyed by file, as before this issue.
  const every = imp();
  assert.equal(every.imported, SLICES);
  assert.deepEqual(every.rejected, []);
  const perFile = items(ws, every.dataset);
  assert.ok(perFile.every((i) => i.source_key.startsWith('dicom:') && i.width === SIDE && i.height === SIDE));
  assert.equal(new Set(perFile.map((i) => i.patient)).size, 1, 'one patient pseudonym for the series');
  // Naming the default gives the same dataset (the content id leaves the default mode out).
  const everyNamed = imp('--volume', 'every-slice');
  assert.deepEqual([everyNamed.dataset, everyNamed.created], [every.dataset, false]);

  // The image the per-file import stores for slice k: slice k alone in a folder, imported per file (same pixels, same
  // PNG hash). The middle and most-tissue items must show exactly it.
  const imageOfSlice = (k: number): string => {
    const one = join(dir, `one-${k}`);
    mkdirSync(one);
    writeFileSync(join(one, 'x.dcm'), slice(k, stored));
    const r = runCli(['import', 'dicom', one, '--workspace', ws, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return items(ws, (r.json as { dataset: string }).dataset)[0]!.image_hash;
  };
  const perFileHashes = new Set(perFile.map((i) => i.image_hash));
  assert.equal(perFileHashes.size, SLICES, 'every slice differs');

  // Middle slice: floor(39 / 2) = 19.
  const middle = imp('--volume', 'middle-slice');
  assert.notEqual(middle.dataset, every.dataset, 'the mode is part of the content id');
  assert.equal(middle.imported, 1);
  const [m] = items(ws, middle.dataset);
  assert.match(m!.source_key, /^dicom-series:[0-9a-f]{20}$/);
  assert.deepEqual(JSON.parse(m!.extra), { frames: '1', bodyPart: '', volumeMode: 'middle-slice', slices: '19', sliceCount: '40' });
  assert.equal(m!.image_hash, imageOfSlice(19), 'the middle item shows slice 19 (by position), pixel for pixel');
  assert.ok(perFileHashes.has(m!.image_hash));
  assert.equal(m!.patient, perFile[0]!.patient, 'same patient pseudonym as the per-file items: patient-level splits keep working');

  // Most tissue: the disc is widest at slice 27.
  const most = imp('--volume', 'most-tissue');
  assert.equal(most.imported, 1);
  const [mt] = items(ws, most.dataset);
  assert.equal(JSON.parse(mt!.extra).slices, String(PEAK));
  assert.equal(mt!.image_hash, imageOfSlice(PEAK));
  assert.equal(mt!.source_key, m!.source_key, 'the item key derives from the series, not a file or the mode');

  // Montage of 4: slices round(i · 39/3) = 0, 13, 26, 39 in a 2 × 2 grid of 128 px tiles.
  const montage = imp('--volume', 'montage:4');
  assert.equal(montage.imported, 1);
  const [mo] = items(ws, montage.dataset);
  assert.deepEqual(JSON.parse(mo!.extra).slices, '0,13,26,39');
  assert.deepEqual([mo!.width, mo!.height], [2 * SIDE, 2 * SIDE]);
  // Montage of 5: 0, 10, 20, 29, 39 in 3 columns × 2 rows.
  const montage5 = imp('--volume', 'montage:5');
  const [m5] = items(ws, montage5.dataset);
  assert.deepEqual([JSON.parse(m5!.extra).slices, m5!.width, m5!.height], ['0,10,20,29,39', 3 * SIDE, 2 * SIDE]);

  // What the browser reads: items:list answers each item's slices (from the same rows as above).
  const served = await startServe(ws);
  try {
    const list = async (dataset: string) => (await api(served, 'items:list', { datasetId: dataset, limit: 500 })).body.value.items as ItemRow[];
    assert.deepEqual(
      (await list(montage.dataset)).map((i) => i.slices),
      [{ indices: [0, 13, 26, 39], of: 40 }],
    );
    assert.deepEqual(
      (await list(most.dataset)).map((i) => i.slices),
      [{ indices: [PEAK], of: 40 }],
    );
    assert.ok(
      (await list(every.dataset)).every((i) => i.slices === null),
      'per-file items are not slices of a chosen volume',
    );
  } finally {
    await served.stop();
  }
});

test('series labels: one label per series from the CSV; files that disagree reject their series by name', { timeout: 300_000 }, async (t) => {
  const { dir, cleanup } = tempDir('series-labels');
  t.after(cleanup);
  const stored = await ctSmallStored();
  const src = join(dir, 'src');
  mkdirSync(join(src, 'one'), { recursive: true });
  mkdirSync(join(src, 'two'), { recursive: true });
  // Series one (3 slices) labelled by its Series Instance UID; series two (3 slices) labelled per SOP, disagreeing.
  const other = [{ tag: '0020000e', vr: 'UI', value: `${SERIES}.2` }];
  for (let k = 0; k < 3; k++) {
    writeFileSync(join(src, 'one', `${k}.dcm`), slice(k, stored));
    writeFileSync(join(src, 'two', `${k}.dcm`), slice(k, stored, [...other, { tag: '00080018', vr: 'UI', value: `1.2.826.0.1.3680043.8.498.14.4.${k + 1}` }]));
  }
  const rows = [
    'SOPInstanceUID,SeriesInstanceUID,label',
    `,${SERIES},liver`,
    `1.2.826.0.1.3680043.8.498.14.4.1,,liver`,
    `1.2.826.0.1.3680043.8.498.14.4.2,,kidney`,
    `1.2.826.0.1.3680043.8.498.14.4.3,,kidney`,
  ];
  writeFileSync(join(dir, 'labels.csv'), rows.join('\n'));
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const r = runCli(['import', 'dicom', src, '--labels', join(dir, 'labels.csv'), '--volume', 'middle-slice', '--workspace', ws, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = r.json as { dataset: string; imported: number; rejected: Array<{ file: string; code: string; reason: string }> };
  assert.equal(out.imported, 1, 'series one');
  assert.deepEqual(
    out.rejected.map((x) => [x.file, x.code]),
    [['two/0.dcm', 'series-labels-disagree']],
  );
  assert.match(out.rejected[0]!.reason, /series of 3 files starting at two\/0\.dcm.*'kidney' \(2\), 'liver' \(1\)/);
  const [it] = items(ws, out.dataset);
  assert.deepEqual(JSON.parse(it!.extra).slices, '1');
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  const row = db.prepare('SELECT answer FROM items WHERE dataset_id = ?').get(out.dataset) as { answer: string };
  db.close();
  assert.equal(row.answer, 'liver');
});
