// One check per migration: applied in order on top of the previous ones, in its own transaction with user_version,
// STRICT tables, and a failing migration leaves the database at the previous version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from '../../../electron/storage/migrations/index.ts';
import { migrate } from '../../../electron/storage/database.ts';

const EXPECTED_TABLES: Record<number, string[]> = {
  10: ['audit_log', 'audit_head'],
  20: ['blobs'],
  30: ['jobs', 'blob_checks'],
  40: ['datasets', 'items', 'import_issues', 'workspace_secrets'],
  50: ['dataset_versions', 'version_items'],
  60: ['model_packs', 'runs', 'run_items', 'run_events', 'feature_cache'],
  80: ['studies', 'study_runs', 'reports', 'reviews', 'signatures'],
  100: ['workspace_identity', 'audit_keys', 'audit_signatures'],
  110: ['blob_replacements'],
  120: [],
};

function tables(db: Database.Database): Array<{ name: string; sql: string }> {
  return db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string; sql: string }>;
}

test('versions go up in tens, each listed in the expectations', () => {
  const versions = MIGRATIONS.map((m) => m.version);
  assert.deepEqual(
    versions,
    [...versions].sort((a, b) => a - b),
  );
  for (const v of versions) assert.equal(v % 10, 0);
  assert.deepEqual(Object.keys(EXPECTED_TABLES).map(Number), versions);
  assert.equal(LATEST_SCHEMA_VERSION, versions.at(-1));
});

for (const m of MIGRATIONS) {
  test(`migration ${m.version}-${m.name} creates its STRICT tables on top of the previous ones`, () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const before = MIGRATIONS.filter((x) => x.version < m.version);
    for (const x of before) db.exec(x.sql);
    db.pragma(`user_version = ${before.at(-1)?.version ?? 0}`);
    const names = new Set(tables(db).map((t) => t.name));
    migrate(db);
    const after = tables(db);
    for (const t of EXPECTED_TABLES[m.version] ?? []) {
      assert.ok(!names.has(t), `${t} existed before ${m.version}`);
      const row = after.find((x) => x.name === t);
      assert.ok(row, `${t} created`);
      assert.match(row.sql, /\)\s*STRICT\s*$/, `${t} is STRICT`);
    }
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
    const recorded = db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>;
    assert.ok(recorded.some((r) => r.version === m.version));
    assert.equal((db.pragma('foreign_key_check') as unknown[]).length, 0);
    db.close();
  });
}

test('a migration that fails leaves the schema at the previous version', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE audit_log (x INTEGER) STRICT'); // collides with migration 10
  assert.throws(() => migrate(db), /already exists/);
  assert.equal(db.pragma('user_version', { simple: true }), 0);
  db.close();
});
