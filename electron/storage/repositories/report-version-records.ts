// What a study report reads about each dataset version its runs name: the version (spec, notes, what balancing
// removed) and counts over its items by split, modality, task, label source, dataset and displayed correct answer.
import type { ReadDb } from '../sql-handles.ts';

/** A dataset version as the report reads it, JSON columns parsed. */
export interface ReportVersionRow {
  id: string;
  name: string;
  spec: Record<string, unknown>;
  manifest_hash: string;
  notes: string[];
  /** Items the balancing left out, by reason. */
  removed: Record<string, number>;
  n: number;
  created_at: string;
}

/** A count of a version's items under one key (null when the item has no value for it). */
export interface VersionCountRow {
  k: string | null;
  n: number;
}

export interface ModalitySplitCountRow {
  m: string;
  s: string;
  n: number;
}

/** An item of a version: the stored correct option index and the option order the version froze. */
export interface VersionAnswerRow {
  optionOrder: number[];
  correct: number | null;
}

/** What a version's items can be counted by. */
export type VersionCountKey = 'split' | 'modality' | 'task' | 'labelSource' | 'dataset';

const COUNT_BY: Record<VersionCountKey, string> = {
  split: 'SELECT split AS k, count(*) AS n FROM version_items WHERE version_id = ? GROUP BY k ORDER BY k',
  modality: 'SELECT modality AS k, count(*) AS n FROM version_items WHERE version_id = ? GROUP BY k ORDER BY k',
  task: 'SELECT i.task AS k, count(*) AS n FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? GROUP BY k ORDER BY k',
  labelSource:
    'SELECT i.modality_source AS k, count(*) AS n FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? GROUP BY k ORDER BY k',
  dataset: 'SELECT i.dataset_id AS k, count(*) AS n FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? GROUP BY k ORDER BY k',
};

export function reportVersionById(db: ReadDb, id: string): ReportVersionRow | undefined {
  const row = db.get<{ id: string; name: string; spec: string; manifest_hash: string; notes: string; removed: string; n: number; created_at: string }>(
    'SELECT * FROM dataset_versions WHERE id = ?',
    id,
  );
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    spec: JSON.parse(row.spec) as Record<string, unknown>,
    manifest_hash: row.manifest_hash,
    notes: JSON.parse(row.notes) as string[],
    removed: JSON.parse(row.removed) as Record<string, number>,
    n: row.n,
    created_at: row.created_at,
  };
}

/** A version's item counts under one key, ordered by the key. */
export function versionItemCounts(db: ReadDb, versionId: string, key: VersionCountKey): VersionCountRow[] {
  return db.all<VersionCountRow>(COUNT_BY[key], versionId);
}

/** A version's item counts per modality and split, ordered by modality then split. */
export function versionModalitySplitCounts(db: ReadDb, versionId: string): ModalitySplitCountRow[] {
  return db.all<ModalitySplitCountRow>(
    'SELECT modality AS m, split AS s, count(*) AS n FROM version_items WHERE version_id = ? GROUP BY m, s ORDER BY m, s',
    versionId,
  );
}

/** A version's items one at a time (a version can be large), with their correct index and frozen option order. */
export function* versionAnswers(db: ReadDb, versionId: string): Generator<VersionAnswerRow> {
  for (const r of db.iterate<{ o: string; c: number | null }>(
    'SELECT v.option_order AS o, i.correct AS c FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ?',
    versionId,
  )) {
    yield { optionOrder: JSON.parse(r.o) as number[], correct: r.c };
  }
}
