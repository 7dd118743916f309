// SQL lives only in electron/storage/: its repositories take a read or write handle and return typed rows, so no
// other module writes SQL, touches a statement, casts a database row, or imports the driver. This test reads every
// TypeScript file under electron/ outside storage/ and names each line that breaks the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ELECTRON = join(ROOT, 'electron');

/** SQL as it is written in this code base: upper-case keywords. */
const SQL_TEXT =
  /\b(SELECT\s+(DISTINCT\s+)?[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|CREATE\s+(TEMP\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b|DROP\s+(TABLE|INDEX|TRIGGER)\b|PRAGMA\s)/;
/** A database handle used directly, instead of through a repository. */
const HANDLE_USE =
  /\b(db|tx|read|write|connection)\s*\.\s*(get|all|iterate|value|values|run|prepare|pragma|exec|transaction|snapshot)\s*[<(]|^\s*\.(prepare|pragma)\(|\.db\b/;
const DRIVER_IMPORT = /from\s+['"]better-sqlite3['"]/;

function typeScriptFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...typeScriptFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

export function sqlOutsideStorage(): string[] {
  const offences: string[] = [];
  for (const file of typeScriptFiles(ELECTRON)) {
    const rel = relative(ROOT, file).split('\\').join('/');
    if (rel.startsWith('electron/storage/')) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.replace(/^\s*(\/\/|\*).*$/, '');
        if (SQL_TEXT.test(code)) offences.push(`${rel}:${i + 1} SQL text: ${line.trim().slice(0, 100)}`);
        else if (HANDLE_USE.test(code)) offences.push(`${rel}:${i + 1} database handle used directly: ${line.trim().slice(0, 100)}`);
        else if (DRIVER_IMPORT.test(code)) offences.push(`${rel}:${i + 1} imports the database driver`);
      });
  }
  return offences;
}

test('no SQL, statement or database driver outside electron/storage/', () => {
  const offences = sqlOutsideStorage();
  assert.deepEqual(offences, [], `${offences.length} line(s) outside electron/storage/ touch the database directly:\n${offences.join('\n')}`);
});

test('the rule sees SQL and direct handle use when they are there', () => {
  assert.ok(SQL_TEXT.test("ws.read.all('SELECT id FROM items WHERE dataset_id = ?')"));
  assert.ok(SQL_TEXT.test('`UPDATE jobs SET state = ?`'));
  assert.ok(SQL_TEXT.test('"INSERT OR IGNORE INTO blobs (hash) VALUES (?)"'));
  assert.ok(HANDLE_USE.test('const n = tx.run(sql);'));
  assert.ok(HANDLE_USE.test('ws.read.get<Row>(sql, id)'));
  assert.ok(!SQL_TEXT.test("const message = 'Select a dataset to import';"));
  assert.ok(!HANDLE_USE.test('itemsTable.itemById(ws.read, id)'));
});
