import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlobStore } from '../../../electron/storage/blob-store.ts';
import { tempDir } from '../../helpers/cli.ts';

test('blobs are named by SHA-256, written once, and a damaged one is refused by getVerified', (t) => {
  const { dir, cleanup } = tempDir('blobs');
  t.after(cleanup);
  const store = new BlobStore(dir);
  const data = new TextEncoder().encode('feature vector bytes');
  const a = store.put(data);
  assert.equal(a.hash, createHash('sha256').update(data).digest('hex'));
  assert.equal(a.existed, false);
  assert.equal(store.put(data).existed, true, 'same bytes, same name, not written twice');
  const b = store.put(new TextEncoder().encode('derived, recomputable'), { durable: false });
  assert.deepEqual(store.getVerified(b.hash)?.toString(), 'derived, recomputable');
  writeFileSync(store.pathOf(b.hash), 'torn write');
  assert.equal(store.getVerified(b.hash), null, 'content no longer matches its name');
  assert.equal(store.getVerified('0'.repeat(64)), null, 'missing');
  assert.throws(() => store.pathOf('../etc/passwd'), /Not a blob name/);
  assert.deepEqual(readdirSync(join(dir, 'blobs', 'tmp')), [], 'no temp files left behind');
});
