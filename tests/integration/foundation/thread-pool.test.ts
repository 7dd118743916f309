// The worker-thread pool (electron/jobs/thread-pool.ts) on its one task today, a DICOM file of an every-slice import:
// outputs come back in input order and equal the same work done on the calling thread; a pool whose threads cannot
// set up is refused at start (so the caller reads on its own thread); stopping early ends the threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ThreadPool } from '../../../electron/jobs/thread-pool.ts';
import { dicomFileEvents, type DicomFileEvents, type DicomFolderOptions, type DicomLabels } from '../../../electron/importers/dicom-folder-reader.ts';
import { REPO_ROOT, tempDir } from '../../helpers/cli.ts';

const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'dicom', 'pydicom');
const FILES = [
  'CT_small.dcm',
  'MR_small.dcm',
  'MR_small_RLE.dcm',
  'MR_small_bigendian.dcm',
  'MR_small_implicit.dcm',
  'MR_small_jpeg_ls_lossless.dcm',
  'MR_small_jp2klossless.dcm',
  'JPGExtended.dcm',
  'rtdose.dcm',
  'ExplVR_BigEnd.dcm',
];

test("three threads give each file's events in file order, equal to the calling thread's; a bad task is refused at start; stopping early ends the pool", async (t) => {
  const { dir, cleanup } = tempDir('thread-pool');
  t.after(cleanup);
  const root = join(dir, 'src');
  mkdirSync(root);
  const paths = FILES.map((f, i) => {
    const p = join(root, `${String(i).padStart(2, '0')}-${f}`);
    cpSync(join(FIXTURES, f), p);
    return p;
  });
  const opts: DicomFolderOptions = { dates: 'remove', seed: 4, secret: new Uint8Array(32).fill(9) };
  const labels: DicomLabels = { labels: null, labelSet: null };
  const expected: DicomFileEvents[] = [];
  for (const p of paths) expected.push(await dicomFileEvents(p, root, opts, labels));

  const before = ThreadPool.threadsStarted;
  const pool = await ThreadPool.start<string, DicomFileEvents>('dicom-file', { root, opts, labels }, 3);
  assert.equal(ThreadPool.threadsStarted, before + 3);
  const got: DicomFileEvents[] = [];
  for await (const r of pool.map(paths)) got.push(r);
  assert.equal(got.length, paths.length);
  assert.deepEqual(got, expected);
  assert.ok(
    got.some((r) => r.events[0]?.type === 'rejection'),
    'a rejected file (rtdose: no modality to ask about) keeps its place',
  );

  await assert.rejects(ThreadPool.start('no-such-task' as never, {}, 2), /not a function|undefined/);
  assert.equal(ThreadPool.threadsStarted, before + 3, 'a refused pool counts no thread');

  const early = await ThreadPool.start<string, DicomFileEvents>('dicom-file', { root, opts, labels }, 2);
  let n = 0;
  for await (const r of early.map(paths)) {
    assert.deepEqual(r, expected[n]);
    if (++n === 2) break;
  }
  assert.equal(n, 2);
});
