// The import_issues table: what an import rejected, quarantined or warned about, per dataset, in the order found.
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export type ImportIssueSeverity = 'rejection' | 'warning' | 'quarantine';

/** One issue as a dataset's summary lists it. */
export interface ImportIssueRow {
  file: string;
  row: number | null;
  code: string;
  reason: string;
}

export interface NewImportIssue extends ImportIssueRow {
  severity: ImportIssueSeverity;
}

/** The first `limit` issues of one severity, in the order the import found them. */
export function issuesOfDataset(db: ReadDb, datasetId: string, severity: ImportIssueSeverity, limit: number): ImportIssueRow[] {
  return db.all<ImportIssueRow>(
    'SELECT file, row, code, reason FROM import_issues WHERE dataset_id = ? AND severity = ? ORDER BY rowid LIMIT ?',
    datasetId,
    severity,
    limit,
  );
}

export function countIssuesOfDataset(db: ReadDb, datasetId: string): number {
  return db.value<number>('SELECT count(*) AS n FROM import_issues WHERE dataset_id = ?', datasetId) ?? 0;
}

export function countIssuesBySeverity(db: ReadDb, datasetId: string, severity: ImportIssueSeverity): number {
  return db.value<number>('SELECT count(*) AS n FROM import_issues WHERE dataset_id = ? AND severity = ?', datasetId, severity) ?? 0;
}

export function insertImportIssue(tx: WriteDb, datasetId: string, issue: NewImportIssue): void {
  tx.run(
    'INSERT INTO import_issues (dataset_id, severity, file, row, code, reason) VALUES (?, ?, ?, ?, ?, ?)',
    datasetId,
    issue.severity,
    issue.file,
    issue.row,
    issue.code,
    issue.reason,
  );
}

export function deleteIssuesOfDataset(tx: WriteDb, datasetId: string): void {
  tx.run('DELETE FROM import_issues WHERE dataset_id = ?', datasetId);
}
