// A resumed every-slice DICOM import passes over committed files without reading them again (readDicomFolder's
// `resume`), and what it gives after the resume point is exactly what reading from the start gives. Checked at every
// possible resume point of a folder with a link leading outside it (a scan-time rejection), an unreadable file before
// the first readable one (so the de-identification event is not the first file's), and eight readable files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDicomFolder, type DicomFolderOptions } from '../../../electron/importers/dicom-folder-reader.ts';
import type { ImportEvent } from '../../../electron/importers/import-event.ts';
import { REPO_ROOT, tempDir } from '../../helpers/cli.ts';

const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'dicom', 'pydicom');
const READABLE = [
  'CT_small.dcm',
  'MR_small.dcm',
  'MR_small_RLE.dcm',
  'MR_small_bigendian.dcm',
  'MR_small_implicit.dcm',
  'MR_small_jpeg_ls_lossless.dcm',
  'MR_small_jp2klossless.dcm',
  'JPGExtended.dcm',
];

async function collect(root: string, opts: DicomFolderOptions, resume?: { events: number; deidentified: boolean }): Promise<ImportEvent[]> {
  const out: ImportEvent[] = [];
  for await (const ev of readDicomFolder(root, opts, undefined, resume)) out.push(ev);
  return out;
}

test('resuming at every committed event: the committed files are passed over unread, the rest equals a full read', async (t) => {
  const { dir, cleanup } = tempDir('dicom-resume');
  t.after(cleanup);
  const root = join(dir, 'src');
  mkdirSync(root);
  writeFileSync(join(root, '0-notes.dcm'), 'not a DICOM file');
  READABLE.forEach((f, i) => cpSync(join(FIXTURES, f), join(root, `${i + 1}-${f}`)));
  writeFileSync(join(dir, 'outside.dcm'), 'outside the folder');
  symlinkSync(join(dir, 'outside.dcm'), join(root, 'z-link.dcm'));
  const opts: DicomFolderOptions = { dates: 'remove', seed: 3, secret: new Uint8Array(32).fill(7) };

  const full = await collect(root, opts);
  const kinds = full.map((e) => e.type);
  // the link (scan), the unreadable file, the de-identification event, then one item per readable file
  assert.deepEqual(kinds, ['rejection', 'rejection', 'deidentification', ...READABLE.map(() => 'item')]);
  const scanEvents = 1;
  const deidAt = kinds.indexOf('deidentification');

  for (let k = 0; k <= full.length; k++) {
    const resumed = await collect(root, opts, { events: k, deidentified: deidAt < k });
    assert.equal(resumed.length, full.length, `resume at ${k}: same number of events`);
    const placeHolders = resumed.filter((e) => e.type === 'skipped').length;
    assert.equal(placeHolders, Math.max(0, k - scanEvents), `resume at ${k}: every committed event past the scan passed over`);
    const from = Math.max(k, scanEvents);
    assert.deepEqual(resumed.slice(0, scanEvents), full.slice(0, scanEvents), `resume at ${k}: the scan's events given again`);
    assert.deepEqual(resumed.slice(from), full.slice(from), `resume at ${k}: what follows the resume point`);
  }
});
