// The datasets table: one row per imported dataset (its import's state, its job, its de-identification report).
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export type DatasetRowState = 'importing' | 'ready' | 'failed';

export interface DatasetRow {
  id: string;
  name: string;
  source: string;
  state: DatasetRowState;
  job_id: string | null;
  created_at: string;
  duplicates: number;
  warnings: number;
  /** The import's de-identification report (DICOM), parsed; null when there was none. */
  deidentification: Record<string, unknown> | null;
}

interface StoredDatasetRow extends Omit<DatasetRow, 'deidentification'> {
  deidentification: string | null;
}

/** A dataset's import state and the job of its latest import attempt. */
export interface DatasetImportRow {
  state: DatasetRowState;
  job_id: string | null;
}

/** A new dataset whose import has just started. */
export interface NewImportingDataset {
  id: string;
  name: string;
  source: string;
  /** The import request, stored as JSON. */
  params: unknown;
  jobId: string;
  createdAt: string;
}

/** An earlier unfinished import attempt taken over by a new one under the same id. */
export interface RestartedImport {
  id: string;
  name: string;
  params: unknown;
  jobId: string;
  createdAt: string;
}

function toDatasetRow(r: StoredDatasetRow): DatasetRow {
  return { ...r, deidentification: r.deidentification ? (JSON.parse(r.deidentification) as Record<string, unknown>) : null };
}

export function allDatasets(db: ReadDb): DatasetRow[] {
  return db.all<StoredDatasetRow>('SELECT * FROM datasets ORDER BY created_at, rowid').map(toDatasetRow);
}

export function datasetById(db: ReadDb, id: string): DatasetRow | undefined {
  const row = db.get<StoredDatasetRow>('SELECT * FROM datasets WHERE id = ?', id);
  return row ? toDatasetRow(row) : undefined;
}

export function datasetExists(db: ReadDb, id: string): boolean {
  return db.value<number>('SELECT 1 FROM datasets WHERE id = ?', id) !== undefined;
}

/** The dataset's row state alone, or undefined when there is no such dataset. */
export function datasetRowState(db: ReadDb, id: string): DatasetRowState | undefined {
  return db.value<DatasetRowState>('SELECT state FROM datasets WHERE id = ?', id);
}

export function datasetImportById(db: ReadDb, id: string): DatasetImportRow | undefined {
  return db.get<DatasetImportRow>('SELECT state, job_id FROM datasets WHERE id = ?', id);
}

/** The id and import job of a dataset, when it exists. */
export function datasetJobById(db: ReadDb, id: string): { id: string; job_id: string } | undefined {
  return db.get<{ id: string; job_id: string }>('SELECT id, job_id FROM datasets WHERE id = ?', id);
}

/** The dataset an import job fills, or undefined when a later import took it over. */
export function datasetIdOfImportJob(db: ReadDb, jobId: string): string | undefined {
  return db.get<{ id: string }>('SELECT id FROM datasets WHERE job_id = ?', jobId)?.id;
}

export function insertImportingDataset(tx: WriteDb, d: NewImportingDataset): void {
  tx.run(
    "INSERT INTO datasets (id, name, source, params, state, job_id, created_at) VALUES (?, ?, ?, ?, 'importing', ?, ?)",
    d.id,
    d.name,
    d.source,
    JSON.stringify(d.params),
    d.jobId,
    d.createdAt,
  );
}

/** Resets an unfinished dataset for a new import attempt: importing again, under the new job, with no report or counts. */
export function restartDatasetImport(tx: WriteDb, d: RestartedImport): void {
  tx.run(
    "UPDATE datasets SET name = ?, params = ?, state = 'importing', job_id = ?, deidentification = NULL, warnings = 0, duplicates = 0, created_at = ? WHERE id = ?",
    d.name,
    JSON.stringify(d.params),
    d.jobId,
    d.createdAt,
    d.id,
  );
}

export function setDatasetDeidentification(tx: WriteDb, id: string, report: Record<string, unknown>): void {
  tx.run('UPDATE datasets SET deidentification = ? WHERE id = ?', JSON.stringify(report), id);
}

export function markDatasetReady(tx: WriteDb, id: string, duplicates: number, warnings: number): void {
  tx.run("UPDATE datasets SET state = 'ready', duplicates = ?, warnings = ? WHERE id = ?", duplicates, warnings, id);
}

export function deleteDataset(tx: WriteDb, id: string): void {
  tx.run('DELETE FROM datasets WHERE id = ?', id);
}

/** The id of the job that imported the dataset, or null (no such dataset, or none recorded). */
export function datasetImportJob(db: ReadDb, datasetId: string): string | null {
  return db.get<{ job_id: string | null }>('SELECT job_id FROM datasets WHERE id = ?', datasetId)?.job_id ?? null;
}
