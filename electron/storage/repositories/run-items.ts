// The run_items table: a run's per-item option probabilities (in displayed option order) and the correct index,
// and the reads that join them with the items and the version they were scored on.
import type { ReadDb, WriteDb } from '../sql-handles.ts';

/** One scored item of a run. */
export interface NewRunItem {
  item: string;
  split: string;
  probs: readonly number[];
  correct: number | null;
}

export function insertRunItems(tx: WriteDb, runId: string, rows: readonly NewRunItem[]): void {
  for (const r of rows)
    tx.run('INSERT INTO run_items (run_id, item_id, split, probs, correct) VALUES (?, ?, ?, ?, ?)', runId, r.item, r.split, JSON.stringify(r.probs), r.correct);
}

/** A training run replaces its validation (or evaluation) items with those of its final checkpoint. */
export function deleteRunItems(tx: WriteDb, runId: string): void {
  tx.run('DELETE FROM run_items WHERE run_id = ?', runId);
}

export function countRunItems(db: ReadDb, runId: string): number {
  return db.value<number>('SELECT count(*) AS n FROM run_items WHERE run_id = ?', runId) ?? 0;
}

/** A run's item as a metrics report counts it: probabilities, correct index, and the item's modality, task and split. */
export interface ScoredRunItem {
  item: string;
  probs: number[];
  correct: number;
  modality: string;
  task: string;
  split: string;
}

/** The run's items in item-id order, with the modality the version gives them and the item's task. */
export function scoredRunItems(db: ReadDb, versionId: string, runId: string): ScoredRunItem[] {
  const rows = db.all<Omit<ScoredRunItem, 'probs'> & { probs: string }>(
    `SELECT r.item_id AS item, r.probs, r.correct, v.modality, i.task, r.split FROM run_items r
      JOIN items i ON i.id = r.item_id JOIN version_items v ON v.item_id = r.item_id AND v.version_id = ? WHERE r.run_id = ? ORDER BY r.item_id`,
    versionId,
    runId,
  );
  return rows.map((r) => ({ ...r, probs: JSON.parse(r.probs) as number[] }));
}

/** A run's item for the drill-down: its result with the item's question, options and image, and the version's option order. */
export interface RunItemDetail {
  item_id: string;
  split: string;
  probs: number[];
  correct: number | null;
  modality: string;
  /** Position j shows original option option_order[j] (empty: the original order). */
  option_order: number[];
  task: string;
  question: string;
  /** The item's options in their original order. */
  options: string[];
  image_hash: string | null;
}

/** The run's items in item-id order, narrowed by split, modality and task when given. */
export function runItemDetails(
  db: ReadDb,
  versionId: string | null,
  runId: string,
  f: { split?: string | undefined; modality?: string | undefined; task?: string | undefined },
): RunItemDetail[] {
  const rows = db.all<Omit<RunItemDetail, 'probs' | 'option_order' | 'options'> & { probs: string; option_order: string; options: string }>(
    `SELECT ri.item_id, ri.split, ri.probs, ri.correct, v.modality, v.option_order, i.task, i.question, i.options, i.image_hash
      FROM run_items ri JOIN items i ON i.id = ri.item_id JOIN version_items v ON v.item_id = ri.item_id AND v.version_id = ?
      WHERE ri.run_id = ? AND (? IS NULL OR ri.split = ?) AND (? IS NULL OR v.modality = ?) AND (? IS NULL OR i.task = ?) ORDER BY ri.item_id`,
    versionId,
    runId,
    f.split ?? null,
    f.split ?? null,
    f.modality ?? null,
    f.modality ?? null,
    f.task ?? null,
    f.task ?? null,
  );
  return rows.map((x) => ({
    ...x,
    probs: JSON.parse(x.probs) as number[],
    option_order: JSON.parse(x.option_order) as number[],
    options: JSON.parse(x.options) as string[],
  }));
}
