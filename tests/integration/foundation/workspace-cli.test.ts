// Acceptance: init creates a WAL workspace that passes integrity_check; the CLI exits non-zero with readable errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../../helpers/cli.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../electron/storage/migrations/index.ts';

test('init --json creates workspace.sqlite in WAL mode with integrity ok, migrations recorded, one audit entry', (t) => {
  const { dir, cleanup } = tempDir('init');
  t.after(cleanup);
  const ws = join(dir, 'W');
  const r = runCli(['init', '--workspace', ws, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const status = r.json as { schemaVersion: number; journalMode: string; integrity: string; counts: { auditEntries: number } };
  assert.equal(status.journalMode, 'wal');
  assert.equal(status.integrity, 'ok');
  assert.equal(status.counts.auditEntries, 1);
  assert.ok(existsSync(join(ws, 'workspace.sqlite')));
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  t.after(() => db.close());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);
  assert.deepEqual(
    versions,
    MIGRATIONS.map((m) => m.version),
  );
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
  assert.equal(status.schemaVersion, LATEST_SCHEMA_VERSION);
});

test('init refuses an existing workspace; status on a missing one fails with a clear message and exit 1', (t) => {
  const { dir, cleanup } = tempDir('init2');
  t.after(cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const again = runCli(['init', '--workspace', ws, '--json']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
  assert.equal((again.json as { error: { code: string } }).error.code, 'workspace/already-exists');
  const missing = runCli(['status', '--workspace', join(dir, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No MedBridge workspace in .*nope/);
  const usage = runCli(['frobnicate', '--workspace', ws]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /Unknown verb "frobnicate"/);
});

test('blobs add stores files by SHA-256 and the verify job finds a corrupted one', async (t) => {
  const { dir, cleanup } = tempDir('verify');
  t.after(cleanup);
  const ws = join(dir, 'W');
  runCli(['init', '--workspace', ws]);
  const { writeFileSync, readFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const files = [0, 1, 2, 3].map((i) => {
    const p = join(dir, `f${i}.bin`);
    writeFileSync(p, Buffer.from(`content ${i} `.repeat(100 + i)));
    return p;
  });
  const added = runCli(['blobs', 'add', ...files, '--workspace', ws, '--json']);
  assert.equal(added.code, 0, added.stderr);
  const hashes = (added.json as { added: Array<{ hash: string }> }).added.map((b) => b.hash);
  assert.deepEqual(
    hashes,
    files.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex')),
  );
  const victim = hashes[2] as string;
  const blobPath = join(ws, 'blobs', victim.slice(0, 2), victim);
  const bytes = readFileSync(blobPath);
  bytes[0] = bytes[0]! ^ 0xff;
  writeFileSync(blobPath, bytes);
  const job = runCli(['jobs', 'start', 'verify-blobs', '--workspace', ws, '--json']);
  assert.equal(job.code, 0, job.stderr);
  const result = job.json as { state: string; result: { checked: number; corrupt: string[]; ok: boolean } };
  assert.equal(result.state, 'done');
  assert.equal(result.result.checked, 4);
  assert.deepEqual(result.result.corrupt, [victim]);
  assert.equal(result.result.ok, false);
});
