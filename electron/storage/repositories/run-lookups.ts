// What the runs, training and export code reads of tables other parts of the app own: whether a dataset version
// exists, a job's stored parameters, and the option counts of a version's items.
import type { ReadDb } from '../sql-handles.ts';

export function versionExists(db: ReadDb, versionId: string): boolean {
  return db.get('SELECT 1 FROM dataset_versions WHERE id = ?', versionId) !== undefined;
}

/** The parameters a job was started with (parsed JSON, validated by the caller's schema). */
export function jobParams(db: ReadDb, jobId: string): unknown {
  const params = db.value<string>('SELECT params FROM jobs WHERE id = ?', jobId);
  if (params === undefined) throw new Error(`no job ${jobId}`);
  return JSON.parse(params);
}

/** A job's kind and the parameters it was started with (parsed JSON, validated by the caller's schema). */
export function jobKindAndParams(db: ReadDb, jobId: string): { kind: string; params: unknown } {
  const row = db.get<{ kind: string; params: string }>('SELECT kind, params FROM jobs WHERE id = ?', jobId);
  if (!row) throw new Error(`no job ${jobId}`);
  return { kind: row.kind, params: JSON.parse(row.params) };
}

/** Items of a version per task and option count (m: how many options an item has). */
export function optionCountsByTask(db: ReadDb, versionId: string): Array<{ task: string; m: number; n: number }> {
  return db.all(
    'SELECT i.task AS task, json_array_length(i.options) AS m, count(*) AS n FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? GROUP BY i.task, m',
    versionId,
  );
}

/** The state of a job (undefined when there is no such job). */
export function jobState(db: ReadDb, jobId: string): string | undefined {
  return db.get<{ state: string }>('SELECT state FROM jobs WHERE id = ?', jobId)?.state;
}
