// DICOM with labels: a CSV joined on SOP Instance UID turns images into multiple-choice items over the label set,
// images without a label are rejected by name, and the original UIDs of the CSV never reach the workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readDicomDataSet } from '../../../electron/dicom/index.ts';
import { REPO_ROOT, runCli, tempDir } from '../../helpers/cli.ts';

const MR = ['MR_small.dcm', 'MR_small_RLE.dcm', 'MR_small_bigendian.dcm'];
const CT = ['CT_small.dcm'];

function walk(d: string): string[] {
  return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
}

test('DICOM + labels CSV: items over the label set, unlabelled images rejected, original UIDs not stored', (t) => {
  const { dir, cleanup } = tempDir('dicom-labels');
  t.after(cleanup);
  const src = join(dir, 'src');
  mkdirSync(src);
  for (const f of [...MR, ...CT, 'rtdose.dcm']) cpSync(join(REPO_ROOT, 'tests', 'fixtures', 'dicom', 'pydicom', f), join(src, f));
  const sop = (f: string) => {
    const r = readDicomDataSet(new Uint8Array(readFileSync(join(src, f))), f);
    assert.ok(r.ok);
    return (r.dataSet.string('x00080018') ?? '').replace(/\0/g, '').trim();
  };
  const uids = [...MR, ...CT].map(sop);
  // MR_small and its re-encodings share one SOP Instance UID: one CSV row labels all three.
  const rows = [
    ['SOPInstanceUID', 'label'],
    [sop('MR_small.dcm'), 'brain'],
    [sop('CT_small.dcm'), 'abdomen'],
  ];
  writeFileSync(join(dir, 'labels.csv'), rows.map((r) => r.join(',')).join('\n'));
  const ws = join(dir, 'W');
  runCli(['init', '--workspace', ws]);
  const r = runCli([
    'import',
    'dicom',
    src,
    '--labels',
    join(dir, 'labels.csv'),
    '--question',
    'Which body region does this {modality} image show?',
    '--workspace',
    ws,
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = r.json as { dataset: string; imported: number; rejected: Array<{ file: string; reason: string }>; byModality: Record<string, number> };
  assert.equal(out.imported, 4);
  assert.deepEqual(out.byModality, { ct: 1, mri: 3 });
  assert.deepEqual(
    out.rejected.map((x) => x.file),
    ['rtdose.dcm'],
  );
  assert.match(out.rejected[0]?.reason ?? '', /no label for this image/);
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  const stored = db
    .prepare('SELECT question, options, correct, modality, patient FROM items WHERE dataset_id = ? ORDER BY modality')
    .all(out.dataset) as Array<{ question: string; options: string; correct: number; modality: string; patient: string | null }>;
  db.close();
  assert.equal(stored.length, 4);
  for (const it of stored) {
    const options = JSON.parse(it.options) as string[];
    assert.deepEqual([...options].sort(), ['abdomen', 'brain'], 'options are the label set');
    assert.equal(options[it.correct], it.modality === 'ct' ? 'abdomen' : 'brain', 'the CSV label is the correct option');
    assert.match(it.question, it.modality === 'ct' ? /this CT image/ : /this MRI image/);
    assert.match(it.patient ?? '', /^P-[0-9a-f]{16}$/);
  }
  // The workspace holds no original UID from the CSV or the files.
  const bytes = walk(ws).map((f) => readFileSync(f));
  for (const uid of new Set(uids))
    assert.ok(
      bytes.every((b) => !b.includes(Buffer.from(uid))),
      `original UID ${uid} found in the workspace`,
    );
});
