// What checking an evidence bundle against the workspace asks of the audit log: an entry by its seq, and whether a
// reports:generate entry recorded a bundle's manifest hash.
import type { ReadDb } from '../sql-handles.ts';

export interface AuditLogRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string;
  /** The payload's JSON text as it was hashed. */
  payload: string;
  prev_hash: string;
  hash: string;
}

export function auditEntryBySeq(db: ReadDb, seq: number): AuditLogRow | undefined {
  return db.get<AuditLogRow>('SELECT * FROM audit_log WHERE seq = ?', seq);
}

/** Whether a reports:generate audit entry recorded this manifest hash. */
export function auditRecordsReportManifest(db: ReadDb, manifestHash: string): boolean {
  return db.get("SELECT 1 FROM audit_log WHERE action = 'reports:generate' AND json_extract(payload, '$.manifestHash') = ?", manifestHash) !== undefined;
}
