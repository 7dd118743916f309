// The audit log's tables: the entries (audit_log) and their head (audit_head), the head signatures
// (audit_signatures), the keys that signed (audit_keys) and the workspace's id (workspace_identity).
// The chain and signing rules are electron/audit/audit-log.ts's; here are only the rows.
import type { AuditEntry } from '../../../shared/api/audit.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';

/** An entry as stored: `payload` is the canonical JSON text that was hashed. */
export interface AuditLogRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadRow {
  seq: number;
  hash: string;
}

export interface NewAuditSigningKey {
  fingerprint: string;
  algorithm: string;
  publicKey: string;
  firstSeq: number;
  addedAt: string;
}

function toEntry(r: AuditLogRow): AuditEntry {
  return {
    seq: r.seq,
    ts: r.ts,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    payload: JSON.parse(r.payload) as unknown,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function auditHead(db: ReadDb): AuditHeadRow | undefined {
  return db.get<AuditHeadRow>('SELECT seq, hash FROM audit_head WHERE id = 1');
}

export function auditEntryCount(db: ReadDb): number {
  return db.value<number>('SELECT count(*) AS n FROM audit_log') ?? 0;
}

/** The newest entries first, before `beforeSeq` when given, at most `limit`. */
export function latestAuditEntries(db: ReadDb, beforeSeq: number | undefined, limit: number): AuditEntry[] {
  const rows = beforeSeq
    ? db.all<AuditLogRow>('SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?', beforeSeq, limit)
    : db.all<AuditLogRow>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?', limit);
  return rows.map(toEntry);
}

/** Every entry as stored, oldest first, one at a time (for recomputing the chain). */
export function auditRowsInOrder(db: ReadDb): IterableIterator<AuditLogRow> {
  return db.iterate<AuditLogRow>('SELECT * FROM audit_log ORDER BY seq ASC');
}

/** The entries up to `headSeq` whose subject is one of `subjects`, and the entry `headSeq` itself, in sequence order. */
export function auditEntriesAbout(db: ReadDb, subjects: ReadonlySet<string>, headSeq: number): AuditEntry[] {
  return db
    .all<AuditLogRow>(
      'SELECT * FROM audit_log WHERE seq <= ? AND (subject IN (SELECT value FROM json_each(?)) OR seq = ?) ORDER BY seq',
      headSeq,
      JSON.stringify([...subjects]),
      headSeq,
    )
    .map(toEntry);
}

/** The random id the workspace got when signing was introduced (migration 100); undefined when its row is gone. */
/** One stored entry by its seq (checking an evidence bundle against the workspace). */
export function auditEntryBySeq(db: ReadDb, seq: number): AuditLogRow | undefined {
  return db.get<AuditLogRow>('SELECT * FROM audit_log WHERE seq = ?', seq);
}

/** Whether a reports:generate audit entry recorded this manifest hash. */
export function auditRecordsReportManifest(db: ReadDb, manifestHash: string): boolean {
  return db.get("SELECT 1 FROM audit_log WHERE action = 'reports:generate' AND json_extract(payload, '$.manifestHash') = ?", manifestHash) !== undefined;
}

export function workspaceIdentity(db: ReadDb): string | undefined {
  return db.value<string>('SELECT workspace_id FROM workspace_identity WHERE id = 1');
}

/** Fingerprints of every key that signed entries here, oldest first. */
export function auditKeyFingerprints(db: ReadDb): string[] {
  return db.values<string>('SELECT fingerprint FROM audit_keys ORDER BY first_seq');
}

export function insertAuditEntry(tx: WriteDb, row: AuditLogRow): void {
  tx.run(
    'INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    row.seq,
    row.ts,
    row.actor,
    row.action,
    row.subject,
    row.payload,
    row.prev_hash,
    row.hash,
  );
}

export function setAuditHead(tx: WriteDb, head: AuditHeadRow): void {
  tx.run('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash', head.seq, head.hash);
}

/** Records a signing key the first time it signs here (a key already recorded is left as it is). */
export function recordAuditSigningKey(tx: WriteDb, key: NewAuditSigningKey): void {
  tx.run(
    'INSERT OR IGNORE INTO audit_keys (fingerprint, algorithm, public_key, first_seq, added_at) VALUES (?, ?, ?, ?, ?)',
    key.fingerprint,
    key.algorithm,
    key.publicKey,
    key.firstSeq,
    key.addedAt,
  );
}

export function insertAuditSignature(tx: WriteDb, seq: number, key: string, signature: string): void {
  tx.run('INSERT INTO audit_signatures (seq, key, signature) VALUES (?, ?, ?)', seq, key, signature);
}
