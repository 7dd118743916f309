// What the data side asks of the jobs table: the state of the job that imports a dataset.
import type { ReadDb } from '../sql-handles.ts';
import type { DatasetRowState } from './datasets.ts';

/** A dataset's row state with the state of its import job (null without a job). */
export interface DatasetWithJobState {
  state: DatasetRowState;
  job_state: string | null;
}

export function importJobState(db: ReadDb, jobId: string): string | undefined {
  return db.value<string>('SELECT state FROM jobs WHERE id = ?', jobId);
}

export function datasetWithJobState(db: ReadDb, datasetId: string): DatasetWithJobState | undefined {
  return db.get<DatasetWithJobState>('SELECT d.state, j.state AS job_state FROM datasets d LEFT JOIN jobs j ON j.id = d.job_id WHERE d.id = ?', datasetId);
}
