// Which job imported a dataset (datasets.job_id), for the audit excerpt of a report.
import type { ReadDb } from '../sql-handles.ts';

/** The id of the job that imported the dataset, or null (no such dataset, or none recorded). */
export function datasetImportJob(db: ReadDb, datasetId: string): string | null {
  return db.get<{ job_id: string | null }>('SELECT job_id FROM datasets WHERE id = ?', datasetId)?.job_id ?? null;
}
