// What `audit verify` reads to check the log: every entry's hash, the signature tables and the identity row as they
// are now (any of them may have been dropped by someone with a database tool: then null), and the triggers.
import type { TriggerRow } from '../append-only-triggers.ts';
import type { ReadDb } from '../sql-handles.ts';

export interface EntryHashRow {
  seq: number;
  hash: string;
}
export interface WorkspaceIdentityRow {
  workspace_id: string;
}
export interface AuditKeyRow {
  fingerprint: string;
  public_key: string;
  first_seq: number;
}
export interface AuditSignatureRow {
  seq: number;
  key: string;
  signature: string;
}

/** Rows of a table that may have been dropped: null when it was. */
function rowsUnlessDropped<Row>(db: ReadDb, sql: string): Row[] | null {
  try {
    return db.all<Row>(sql);
  } catch {
    return null; // the table was dropped
  }
}

export function entryHashes(db: ReadDb): EntryHashRow[] {
  return db.all<EntryHashRow>('SELECT seq, hash FROM audit_log ORDER BY seq');
}

export function identityRowsUnlessDropped(db: ReadDb): WorkspaceIdentityRow[] | null {
  return rowsUnlessDropped<WorkspaceIdentityRow>(db, 'SELECT workspace_id FROM workspace_identity WHERE id = 1');
}

export function keyRowsUnlessDropped(db: ReadDb): AuditKeyRow[] | null {
  return rowsUnlessDropped<AuditKeyRow>(db, 'SELECT fingerprint, public_key, first_seq FROM audit_keys');
}

export function signatureRowsUnlessDropped(db: ReadDb): AuditSignatureRow[] | null {
  return rowsUnlessDropped<AuditSignatureRow>(db, 'SELECT seq, key, signature FROM audit_signatures ORDER BY seq');
}

/** Every trigger in the database, as SQLite keeps it. */
export function triggers(db: ReadDb): TriggerRow[] {
  return db.all<TriggerRow>("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'");
}
