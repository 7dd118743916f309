// The every-slice DICOM import on a pool of reader threads gives exactly what reading the files one by one gives: the
// same items (ids, source keys, questions, options, image and thumbnail blobs, dHash, sizes, patients) in the same
// order, the same rejections in the same order, the same de-identification record. One workspace is created and
// copied, so both imports use the same workspace secret (pseudonyms and source keys come from it). The folder is a
// generated corpus (tests/helpers/dicom-corpus.ts) above the pool's size threshold, with an unreadable and a
// truncated file among the slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIN_FILES_FOR_THREADS } from '../../../electron/importers/dicom-files-on-threads.ts';
import { runCli, tempDir } from '../../helpers/cli.ts';
import { writeDicomCorpus } from '../../helpers/dicom-corpus.ts';

const FILES = MIN_FILES_FOR_THREADS + 40;

interface Imported {
  items: unknown[];
  issues: unknown[];
  deidentification: unknown;
  result: { threads: number; consumed: number };
}

function importWith(ws: string, src: string, threads: number): Imported {
  const r = runCli(['import', 'dicom', src, '--workspace', ws, '--json'], { MEDBRIDGE_THREADS: String(threads) });
  assert.equal(r.code, 0, r.stderr);
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  try {
    const items = db
      .prepare(
        `SELECT id, source_key, question, options, correct, answer, modality, modality_source, modality_confidence, task, patient, option_seed,
      image_hash, thumb_hash, phash, width, height, extra FROM items WHERE dataset_id = (SELECT id FROM datasets ORDER BY created_at DESC, rowid DESC LIMIT 1) ORDER BY rowid`,
      )
      .all();
    const issues = db
      .prepare(
        'SELECT severity, file, row, code, reason FROM import_issues WHERE dataset_id = (SELECT id FROM datasets ORDER BY created_at DESC, rowid DESC LIMIT 1) ORDER BY rowid',
      )
      .all();
    const job = db.prepare("SELECT result FROM jobs WHERE kind = 'import' ORDER BY rowid DESC LIMIT 1").get() as { result: string };
    const summary = r.json as { deidentification: unknown };
    return { items, issues, deidentification: summary.deidentification, result: JSON.parse(job.result) as Imported['result'] };
  } finally {
    db.close();
  }
}

test(`DICOM import on 3 reader threads equals the one-by-one import of the same ${FILES + 2} files`, (t) => {
  const { dir, cleanup } = tempDir('dicom-threads');
  t.after(cleanup);
  const corpus = writeDicomCorpus(join(dir, 'src'), { files: FILES, seed: 5 });
  const src = corpus.root;
  writeFileSync(join(src, 'patient-00001', 'notes.dcm'), 'not a DICOM file');
  const first = corpus.files[0] as string;
  writeFileSync(join(src, 'patient-00001', 'truncated.dcm'), readFileSync(first).subarray(0, 400));
  const a = join(dir, 'A');
  assert.equal(runCli(['init', '--workspace', a]).code, 0);
  // The workspace secret is made by its first import: one file first, then the copy.
  const seed = join(dir, 'seed');
  mkdirSync(seed);
  cpSync(first, join(seed, 'one.dcm'));
  assert.equal(runCli(['import', 'dicom', seed, '--workspace', a, '--json']).code, 0);
  const b = join(dir, 'B');
  cpSync(a, b, { recursive: true });

  const one = importWith(a, src, 1);
  const pooled = importWith(b, src, 3);
  assert.equal(one.result.threads, 0, 'MEDBRIDGE_THREADS=1 reads on the worker thread');
  assert.equal(pooled.result.threads, 3, 'three reader threads');
  assert.equal(one.items.length, FILES);
  assert.equal(pooled.items.length, FILES);
  assert.deepEqual(pooled.items, one.items);
  assert.equal(one.issues.length, 2, JSON.stringify(one.issues));
  assert.deepEqual(pooled.issues, one.issues);
  assert.ok(one.deidentification);
  assert.deepEqual(pooled.deidentification, one.deidentification);
  assert.equal(pooled.result.consumed, one.result.consumed);
});
