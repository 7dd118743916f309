// The audit-log excerpt a bundle carries: every entry about the study's records (its runs and their jobs, dataset
// versions, datasets and their import jobs, model packs, the study and its reports) plus the head entry, so the
// chain can be re-checked from the bundle alone (each entry's hash, links between consecutive entries, the head)
// and against the workspace.
import type { AuditEntry } from '../../shared/api/audit.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ReportData } from './report-data.ts';

export interface AuditExcerpt {
  head: { seq: number; hash: string };
  /** Entries in sequence order. */
  entries: AuditEntry[];
}

interface Row { seq: number; ts: string; actor: string; action: string; subject: string; payload: string; prev_hash: string; hash: string }

export function subjectsOf(ws: Workspace, data: ReportData, reportIds: readonly string[]): Set<string> {
  const s = new Set<string>([data.study.id, ...reportIds]);
  for (const r of data.runs) {
    s.add(r.id);
    if (r.jobId) s.add(r.jobId);
  }
  for (const v of data.versions) s.add(v.id);
  for (const m of data.models) s.add(m.id);
  for (const d of data.datasets) {
    s.add(d.id);
    const job = ws.db.prepare('SELECT job_id FROM datasets WHERE id = ?').get(d.id) as { job_id: string | null } | undefined;
    if (job?.job_id) s.add(job.job_id);
  }
  return s;
}

export function auditExcerpt(ws: Workspace, subjects: ReadonlySet<string>): AuditExcerpt {
  const head = ws.audit.head();
  const rows = ws.db.prepare('SELECT * FROM audit_log WHERE seq <= ? AND (subject IN (SELECT value FROM json_each(?)) OR seq = ?) ORDER BY seq').all(head.seq, JSON.stringify([...subjects]), head.seq) as Row[];
  const entries = rows.map((r) => ({ seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject, payload: JSON.parse(r.payload) as unknown, prevHash: r.prev_hash, hash: r.hash }));
  return { head, entries };
}
