// Acceptance: `audit verify` is ok on an untouched workspace and fails, naming the entry, after any single audit row
// is edited, deleted or reordered with the sqlite3 tool (which must first drop the append-only triggers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../../helpers/cli.ts';

const SQLITE3 = spawnSync('sqlite3', ['-version']).status === 0;

function sqlite(file: string, sql: string): void {
  if (SQLITE3) {
    const r = spawnSync('sqlite3', [file, sql], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  } else {
    const db = new Database(file);
    db.exec(sql);
    db.close();
  }
}

const DROP = 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;';

test('audit verify: untouched ok; each single-row tampering is detected and named', (t) => {
  const { dir, cleanup } = tempDir('audit');
  t.after(cleanup);
  const base = join(dir, 'base');
  runCli(['init', '--workspace', base]);
  for (let i = 0; i < 3; i++) {
    const f = join(dir, `f${i}`);
    writeFileSync(f, `file ${i}`);
    assert.equal(runCli(['blobs', 'add', f, '--workspace', base]).code, 0);
  }
  const ok = runCli(['audit', 'verify', '--workspace', base, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual({ ok: (ok.json as any).ok, entries: (ok.json as any).entries }, { ok: true, entries: 4 });

  const cases: Array<{ name: string; sql: string; seq: number; kind: string }> = [
    {
      name: 'payload edited',
      sql: `${DROP} UPDATE audit_log SET payload = replace(payload, '"alreadyPresent":0', '"alreadyPresent":1') WHERE seq = 3;`,
      seq: 3,
      kind: 'hash-mismatch',
    },
    { name: 'actor edited', sql: `${DROP} UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2;`, seq: 2, kind: 'hash-mismatch' },
    { name: 'middle row deleted', sql: `${DROP} DELETE FROM audit_log WHERE seq = 2;`, seq: 2, kind: 'gap' },
    { name: 'first row deleted', sql: `${DROP} DELETE FROM audit_log WHERE seq = 1;`, seq: 1, kind: 'gap' },
    { name: 'last row deleted', sql: `${DROP} DELETE FROM audit_log WHERE seq = 4;`, seq: 4, kind: 'head-mismatch' },
    {
      name: 'rows reordered (seq swapped)',
      sql: `${DROP} UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 100;`,
      seq: 2,
      kind: 'prev-mismatch',
    },
    {
      name: 'row re-hashed after edit (chain link breaks at the next row)',
      sql: `${DROP} UPDATE audit_log SET subject = 'x', hash = '${'a'.repeat(64)}' WHERE seq = 2;`,
      seq: 2,
      kind: 'hash-mismatch',
    },
  ];
  for (const c of cases) {
    const ws = join(dir, c.name.replace(/\W+/g, '-'));
    cpSync(base, ws, { recursive: true });
    sqlite(join(ws, 'workspace.sqlite'), c.sql);
    const r = runCli(['audit', 'verify', '--workspace', ws, '--json']);
    assert.equal(r.code, 1, `${c.name}: expected failure`);
    const v = r.json as { ok: boolean; firstProblem: { seq: number; kind: string } };
    assert.equal(v.ok, false, c.name);
    assert.equal(v.firstProblem.seq, c.seq, `${c.name}: ${JSON.stringify(v.firstProblem)}`);
    assert.equal(v.firstProblem.kind, c.kind, c.name);
    assert.match(r.stderr, new RegExp(`entry #${c.seq}`), c.name);
  }
});

test('the audit log refuses UPDATE and DELETE through SQLite itself', (t) => {
  const { dir, cleanup } = tempDir('audit-trig');
  t.after(cleanup);
  const ws = join(dir, 'W');
  runCli(['init', '--workspace', ws]);
  const db = new Database(join(ws, 'workspace.sqlite'));
  t.after(() => db.close());
  assert.throws(() => db.prepare("UPDATE audit_log SET actor = 'x'").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
});
