// What a study report reads about each dataset behind its versions: the dataset (import parameters,
// de-identification), its item counts and its import issues (rejections, warnings, quarantine).
import type { ReadDb } from '../sql-handles.ts';

/** A dataset as the report reads it, JSON columns parsed. */
export interface ReportDatasetRow {
  id: string;
  name: string;
  source: string;
  params: Record<string, unknown>;
  state: string;
  deidentification: Record<string, unknown> | null;
  duplicates: number;
  warnings: number;
  created_at: string;
}

interface StoredDatasetRow {
  id: string;
  name: string;
  source: string;
  params: string;
  state: string;
  deidentification: string | null;
  duplicates: number;
  warnings: number;
  created_at: string;
}

/** A count of a dataset's items or issues under one key (null when there is no value for it). */
export interface DatasetCountRow {
  k: string | null;
  n: number;
}

export interface ImportIssueRow {
  file: string;
  row: number | null;
  code: string;
  reason: string;
}

export type ImportIssueSeverity = 'rejection' | 'warning' | 'quarantine';

/** The item columns a dataset's items are counted by. */
export type DatasetItemColumn = 'modality' | 'source_split';

/** A dataset a report's version holds items of (it exists: the items reference it). */
export function reportDatasetById(db: ReadDb, id: string): ReportDatasetRow {
  const r = db.get<StoredDatasetRow>('SELECT * FROM datasets WHERE id = ?', id) as StoredDatasetRow;
  return {
    id: r.id,
    name: r.name,
    source: r.source,
    params: JSON.parse(r.params) as Record<string, unknown>,
    state: r.state,
    deidentification: r.deidentification === null ? null : (JSON.parse(r.deidentification) as Record<string, unknown> | null),
    duplicates: r.duplicates,
    warnings: r.warnings,
    created_at: r.created_at,
  };
}

export function datasetItemCount(db: ReadDb, datasetId: string): number {
  return (db.get<{ n: number }>('SELECT count(*) AS n FROM items WHERE dataset_id = ?', datasetId) as { n: number }).n;
}

/** A dataset's item counts under one column, ordered by its value. */
export function datasetItemCounts(db: ReadDb, datasetId: string, column: DatasetItemColumn): DatasetCountRow[] {
  return db.all<DatasetCountRow>(`SELECT ${column} AS k, count(*) AS n FROM items WHERE dataset_id = ? GROUP BY k ORDER BY k`, datasetId);
}

/** The first `limit` import issues of one severity, in the order they were recorded. */
export function importIssues(db: ReadDb, datasetId: string, severity: ImportIssueSeverity, limit: number): ImportIssueRow[] {
  return db.all<ImportIssueRow>(
    'SELECT file, row, code, reason FROM import_issues WHERE dataset_id = ? AND severity = ? ORDER BY rowid LIMIT ?',
    datasetId,
    severity,
    limit,
  );
}

export function importIssueCount(db: ReadDb, datasetId: string, severity: ImportIssueSeverity): number {
  return (db.get<{ n: number }>('SELECT count(*) AS n FROM import_issues WHERE dataset_id = ? AND severity = ?', datasetId, severity) as { n: number }).n;
}

/** A dataset's rejections counted by code, ordered by code. */
export function rejectionCountsByCode(db: ReadDb, datasetId: string): DatasetCountRow[] {
  return db.all<DatasetCountRow>(
    "SELECT code AS k, count(*) AS n FROM import_issues WHERE dataset_id = ? AND severity = 'rejection' GROUP BY k ORDER BY k",
    datasetId,
  );
}
