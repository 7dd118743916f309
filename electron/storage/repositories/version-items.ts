// The version_items table: the items a frozen version holds, each with its split, frozen option order and the
// modality it had when frozen.
import type { Modality, Split } from '../../../shared/items.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export interface NewVersionItem {
  id: string;
  split: Split;
  /** Position j shows original option optionOrder[j]; empty for free-form. */
  optionOrder: number[];
}

/** A version's item with what its displayed correct letter and patient need. */
export interface VersionItemRow {
  item_id: string;
  split: Split;
  option_order: number[];
  modality: Modality;
  correct: number | null;
  patient: string | null;
}

/** A version's item with what a diagnosis, training or export run needs of it. */
export interface VersionWorkRow {
  item_id: string;
  split: string;
  option_order: number[];
  modality: string;
  question: string;
  options: string[];
  correct: number | null;
  image_hash: string | null;
  task: string;
  kind: string;
}

/** How many of a version's items have one task, answer and split. */
export interface VersionClassCount {
  task: string;
  answer: string;
  split: Split;
  n: number;
}

/** The item keeps the modality it has now (later overrides do not change a frozen version). */
export function insertVersionItem(tx: WriteDb, versionId: string, it: NewVersionItem): void {
  tx.run(
    'INSERT INTO version_items (version_id, item_id, split, option_order, modality) VALUES (?, ?, ?, ?, (SELECT modality FROM items WHERE id = ?))',
    versionId,
    it.id,
    it.split,
    JSON.stringify(it.optionOrder),
    it.id,
  );
}

/** The versions holding any item of the dataset, in id order. */
export function versionsHoldingDataset(db: ReadDb, datasetId: string): string[] {
  return db.values<string>(
    'SELECT DISTINCT v.version_id AS id FROM version_items v JOIN items i ON i.id = v.item_id WHERE i.dataset_id = ? ORDER BY v.version_id',
    datasetId,
  );
}

/** A version's items in item-id order. */
export function versionItemRows(db: ReadDb, versionId: string): VersionItemRow[] {
  const rows = db.all<Omit<VersionItemRow, 'option_order'> & { option_order: string }>(
    'SELECT v.item_id, v.split, v.option_order, v.modality, i.correct, i.patient FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? ORDER BY v.item_id',
    versionId,
  );
  return rows.map((r) => ({ ...r, option_order: JSON.parse(r.option_order) as number[] }));
}

/** A version's item counts per task, answer (class) and split, in that order. */
export function versionClassCounts(db: ReadDb, versionId: string): VersionClassCount[] {
  return db.all<VersionClassCount>(
    'SELECT i.task, i.answer, v.split, count(*) AS n FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? GROUP BY i.task, i.answer, v.split ORDER BY i.task, i.answer, v.split',
    versionId,
  );
}

/** A version's items of one split (or 'all'), in item-id order. */
export function versionWorkRows(db: ReadDb, versionId: string, split: string): VersionWorkRow[] {
  const rows = db.all<Omit<VersionWorkRow, 'option_order' | 'options'> & { option_order: string; options: string }>(
    `SELECT v.item_id, v.split, v.option_order, v.modality, i.question, i.options, i.correct, i.image_hash, i.task, i.kind
    FROM version_items v JOIN items i ON i.id = v.item_id WHERE v.version_id = ? AND (? = 'all' OR v.split = ?) ORDER BY v.item_id`,
    versionId,
    split,
    split,
  );
  return rows.map((r) => ({ ...r, option_order: JSON.parse(r.option_order) as number[], options: JSON.parse(r.options) as string[] }));
}
