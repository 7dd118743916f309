// The audit-log excerpt a bundle carries: every entry about the study's records (its runs and their jobs, dataset
// versions, datasets and their import jobs, model packs, the study and its reports) plus the head entry, so the
// chain can be re-checked from the bundle alone (each entry's hash, links between consecutive entries, the head)
// and against the workspace.
import type { AuditEntry } from '../../shared/api/audit.ts';
import type { Workspace } from '../storage/workspace.ts';
import type { ReportData } from './report-data.ts';
import { auditEntriesAbout } from '../storage/repositories/audit-log.ts';
import { datasetImportJob } from '../storage/repositories/datasets.ts';

export interface AuditExcerpt {
  head: { seq: number; hash: string };
  /** Entries in sequence order. */
  entries: AuditEntry[];
}

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
    const jobId = datasetImportJob(ws.read, d.id);
    if (jobId) s.add(jobId);
  }
  return s;
}

export function auditExcerpt(ws: Workspace, subjects: ReadonlySet<string>): AuditExcerpt {
  const head = ws.audit.head();
  return { head, entries: auditEntriesAbout(ws.read, subjects, head.seq) };
}
