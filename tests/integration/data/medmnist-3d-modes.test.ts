// Issue 14: MedMNIST 3D files (28³ and 64³) import through the CLI with the same volume modes as a DICOM series.
// The volumes are written here: volume v, slice k (along the first volume axis) holds a centred square of grey
// 100 + v whose side is S − 2|k − P| (none once that is ≤ 0), so slice P has most tissue. Counts and slice indices
// below are worked out by hand from the file's shape and the rules in shared/volume-slices.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../../helpers/cli.ts';
import { npyBytes, npzBytes } from '../../unit/formats/helpers.ts';

function volumes(count: number, side: number, peak: number, first: number): Uint8Array {
  const out = new Uint8Array(count * side ** 3);
  for (let v = 0; v < count; v++) {
    for (let k = 0; k < side; k++) {
      const square = side - 2 * Math.abs(k - peak);
      if (square <= 0) continue;
      const from = Math.floor((side - square) / 2);
      for (let y = from; y < from + square; y++)
        out.fill(100 + first + v, ((v * side + k) * side + y) * side + from, ((v * side + k) * side + y) * side + from + square);
    }
  }
  return out;
}

/** A MedMNIST 3D npz: `sizes` volumes per split of side `side`, labels v mod classes. */
function volumeNpz(side: number, peak: number, sizes: { train: number; val: number; test: number }, classes: number): Uint8Array {
  const arrays: Record<string, Uint8Array> = {};
  let first = 0;
  for (const split of ['train', 'val', 'test'] as const) {
    const n = sizes[split];
    arrays[`${split}_images`] = npyBytes('|u1', [n, side, side, side], volumes(n, side, peak, first));
    arrays[`${split}_labels`] = npyBytes(
      '|u1',
      [n, 1],
      Uint8Array.from({ length: n }, (_, i) => (first + i) % classes),
    );
    first += n;
  }
  return npzBytes(arrays);
}

interface Row {
  source_key: string;
  patient: string | null;
  image_hash: string;
  width: number;
  height: number;
  extra: string;
  answer: string;
}

test('MedMNIST 3D at 28³ and 64³: every slice, middle slice, most tissue, montage — counts and slices by hand', { timeout: 600_000 }, (t) => {
  const { dir, cleanup } = tempDir('medmnist-3d');
  t.after(cleanup);
  const organ = join(dir, 'organmnist3d.npz'); // 3 + 1 + 2 = 6 volumes of 28³, most tissue at slice 20
  writeFileSync(organ, volumeNpz(28, 20, { train: 3, val: 1, test: 2 }, 11));
  const nodule = join(dir, 'nodulemnist3d_64.npz'); // 2 + 1 + 1 = 4 volumes of 64³, most tissue at slice 45
  writeFileSync(nodule, volumeNpz(64, 45, { train: 2, val: 1, test: 1 }, 2));
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const db = () => new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  const imp = (file: string, ...extra: string[]) => {
    const r = runCli(['import', 'medmnist', file, '--workspace', ws, '--json', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.json as { dataset: string; imported: number; rejected: unknown[]; bySplit: Record<string, number> };
    assert.deepEqual(out.rejected, []);
    const d = db();
    const rows = d
      .prepare('SELECT source_key, patient, image_hash, width, height, extra, answer FROM items WHERE dataset_id = ? ORDER BY rowid')
      .all(out.dataset) as Row[];
    d.close();
    return { ...out, rows };
  };
  const slicesOf = (rows: Row[]) => [...new Set(rows.map((r) => `${JSON.parse(r.extra).slices}/${JSON.parse(r.extra).sliceCount}`))];

  // ---- 28³
  const every = imp(organ);
  assert.equal(every.imported, 6 * 28);
  assert.deepEqual(every.bySplit, { test: 2 * 28, train: 3 * 28, val: 28 });
  assert.equal(every.rows[0]!.source_key, 'train/0/slice/0');
  assert.equal(every.rows[28 * 3 + 27]!.source_key, 'val/0/slice/27');
  assert.equal(every.rows[0]!.patient, 'train/0', "a volume's slices share a grouping key, so a patient-level split keeps them together");
  assert.ok(every.rows.every((r) => r.width === 28 && r.height === 28));
  assert.deepEqual(JSON.parse(every.rows[5]!.extra), { medmnistTask: 'organmnist3d', volumeMode: 'every-slice', slices: '5', sliceCount: '28' });
  // Labels v mod 11 in class order (info.py): volume 4 (test/0) is 'femur-left'.
  assert.equal(every.rows.find((r) => r.source_key === 'test/0/slice/0')!.answer, 'femur-left');
  const hashOf = (key: string) => every.rows.find((r) => r.source_key === key)!.image_hash;

  const middle = imp(organ, '--volume', 'middle-slice');
  assert.notEqual(middle.dataset, every.dataset);
  assert.equal(middle.imported, 6);
  assert.deepEqual(
    middle.rows.map((r) => r.source_key),
    ['train/0', 'train/1', 'train/2', 'val/0', 'test/0', 'test/1'],
  );
  assert.deepEqual(slicesOf(middle.rows), ['13/28'], 'floor(27 / 2) = 13');
  assert.equal(middle.rows[1]!.image_hash, hashOf('train/1/slice/13'));
  assert.ok(middle.rows.every((r) => r.patient === null));

  const most = imp(organ, '--volume', 'most-tissue');
  assert.equal(most.imported, 6);
  assert.deepEqual(slicesOf(most.rows), ['20/28']);
  assert.equal(most.rows[3]!.image_hash, hashOf('val/0/slice/20'));

  const montage = imp(organ, '--volume', 'montage:4');
  assert.equal(montage.imported, 6);
  assert.deepEqual(slicesOf(montage.rows), ['0,9,18,27/28'], 'round(i · 27/3) = 0, 9, 18, 27');
  assert.ok(
    montage.rows.every((r) => r.width === 56 && r.height === 56),
    '2 × 2 tiles of 28 px',
  );

  // ---- 64³
  const every64 = imp(nodule);
  assert.equal(every64.imported, 4 * 64);
  assert.ok(every64.rows.every((r) => r.width === 64 && r.height === 64));
  assert.deepEqual(slicesOf(imp(nodule, '--volume', 'middle-slice').rows), ['31/64'], 'floor(63 / 2) = 31');
  const most64 = imp(nodule, '--volume', 'most-tissue');
  assert.equal(most64.imported, 4);
  assert.deepEqual(slicesOf(most64.rows), ['45/64']);
  assert.equal(most64.rows[0]!.image_hash, every64.rows.find((r) => r.source_key === 'train/0/slice/45')!.image_hash);
  const montage64 = imp(nodule, '--volume', 'montage:5');
  assert.equal(montage64.imported, 4);
  assert.deepEqual(slicesOf(montage64.rows), ['0,16,32,47,63/64'], '63/4 = 15.75 → 0, 15.75, 31.5, 47.25, 63 rounded');
  assert.ok(
    montage64.rows.every((r) => r.width === 3 * 64 && r.height === 2 * 64),
    '3 columns × 2 rows of 64 px',
  );
});
