// What an insider with the sqlite3 command-line tool does to a workspace's audit log, as functions: run SQL with
// /usr/bin/sqlite3, read the rows, and re-chain a rewritten log (recomputing every hash from the first changed entry
// and fixing the head) — everything except signing, since the signing key is not in the workspace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { entryHash, GENESIS_HASH } from '../../../electron/audit/audit-log.ts';
import { appendOnlyTriggerSql } from '../../../electron/storage/append-only-triggers.ts';
import { canonicalJson } from '../../../shared/canonical-json.ts';

export const SQLITE3 = '/usr/bin/sqlite3';

/** Why a tampering test is skipped when the tool is absent (outside CI). */
export const NO_SQLITE3 = 'sqlite3 command-line tool not installed (apt-get install sqlite3); CI=true makes this an error';

/** Whether the sqlite3 tool is here; under CI=true its absence is an error, not a skip. */
export function sqlite3Available(): boolean {
  const present = existsSync(SQLITE3) && spawnSync(SQLITE3, ['-version']).status === 0;
  if (!present && process.env.CI === 'true')
    throw new Error(`${SQLITE3} is required under CI=true (Debian package sqlite3): the tampering tests use the real tool.`);
  return present;
}

export function sqlite3(file: string, sql: string): void {
  const r = spawnSync(SQLITE3, [file], { input: sql, encoding: 'utf8' });
  assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}\n${sql.slice(0, 500)}`);
  assert.equal(r.stderr, '', `sqlite3 reported: ${r.stderr}`);
}

export interface Row {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string;
  payload: unknown;
}

export function readRows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT seq, ts, actor, action, subject, payload FROM audit_log ORDER BY seq').all() as Array<Row & { payload: string }>).map((r) => ({
      ...r,
      payload: JSON.parse(r.payload) as unknown,
    }));
  } finally {
    db.close();
  }
}

export function workspaceIdOf(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT workspace_id FROM workspace_identity').get() as { workspace_id: string }).workspace_id;
  } finally {
    db.close();
  }
}

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export const DROP_TRIGGERS =
  'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_signatures_no_update; DROP TRIGGER audit_signatures_no_delete; DROP TRIGGER audit_keys_no_update; DROP TRIGGER audit_keys_no_delete;';
export const RESTORE_TRIGGERS = ['audit_log', 'audit_signatures', 'audit_keys']
  .flatMap((t) => [appendOnlyTriggerSql(t, 'UPDATE'), appendOnlyTriggerSql(t, 'DELETE')])
  .join('\n');

/**
 * SQL that replaces the log with `rows` (renumbered 1..n in the given order), recomputing every hash and the head,
 * with the append-only triggers dropped first and put back after — the careful rewrite.
 */
export function rechainSql(rows: readonly Row[]): string {
  let prev = GENESIS_HASH;
  const inserts: string[] = [];
  rows.forEach((r, i) => {
    const seq = i + 1;
    const hash = entryHash({ seq, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject, payload: r.payload, prevHash: prev });
    inserts.push(
      `INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (${seq}, ${q(r.ts)}, ${q(r.actor)}, ${q(r.action)}, ${q(r.subject)}, ${q(canonicalJson(r.payload))}, ${q(prev)}, ${q(hash)});`,
    );
    prev = hash;
  });
  return [
    'BEGIN;',
    DROP_TRIGGERS,
    'DELETE FROM audit_log;',
    ...inserts,
    `UPDATE audit_head SET seq = ${rows.length}, hash = ${q(prev)} WHERE id = 1;`,
    RESTORE_TRIGGERS,
    'COMMIT;',
  ].join('\n');
}

/** The hash the re-chained log ends at (to fix the head after deleting rows). */
export function headOf(rows: readonly Row[]): string {
  let prev = GENESIS_HASH;
  rows.forEach((r, i) => {
    prev = entryHash({ seq: i + 1, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject, payload: r.payload, prevHash: prev });
  });
  return prev;
}

export { q as sqlQuote };
