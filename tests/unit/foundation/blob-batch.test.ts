// Blobs staged in a batch: nothing under a content name before commit(), every blob under its name with its bytes
// after, no temporary file left, a blob already stored or staged twice written once, and discard() leaving nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobBatch } from '../../../electron/storage/blob-batch.ts';
import { BlobStore, sha256Hex } from '../../../electron/storage/blob-store.ts';

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

test('commit writes each staged blob under its SHA-256 name; before it, no name exists', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'blob-batch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new BlobStore(dir);
  const already = store.put(new TextEncoder().encode('stored before'));
  const batch = new BlobBatch(store);
  const blobs = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`blob ${i}`));
  const put = blobs.map((b) => batch.put(b));
  assert.deepEqual(
    put.map((p) => p.hash),
    blobs.map((b) => sha256Hex(b)),
  );
  assert.equal(batch.put(blobs[0]!).existed, false, 'staged twice: one entry');
  assert.equal(batch.put(new TextEncoder().encode('stored before')).existed, true);
  assert.equal(batch.size, 40);
  assert.deepEqual(
    files(store.root).map((f) => f.split('/').at(-1)),
    [already.hash],
    'only the blob stored before',
  );
  await batch.commit();
  assert.equal(batch.size, 0);
  for (const [i, b] of blobs.entries()) assert.deepEqual(readFileSync(store.pathOf(put[i]!.hash)), Buffer.from(b));
  assert.equal(files(store.root).length, 41);
  assert.deepEqual(files(join(store.root, 'tmp')), [], 'no temporary file left');
  for (const p of put) assert.equal(store.getVerified(p.hash) !== null, true);
});

test('discard drops what was staged; a later commit writes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'blob-batch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new BlobStore(dir);
  const batch = new BlobBatch(store);
  batch.put(new TextEncoder().encode('never kept'));
  batch.discard();
  await batch.commit();
  assert.deepEqual(files(store.root), []);
});
