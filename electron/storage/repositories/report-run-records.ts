// What a study report reads about each of its runs: the run, its job's state, its events, how many items it scored,
// and a diagnosis's scored items (with what the failure analysis and the paired comparison need of each).
import type { ReadDb } from '../sql-handles.ts';

/** A run as the report reads it, JSON columns parsed. */
export interface ReportRunRow {
  id: string;
  kind: string;
  pack_id: string;
  version_id: string | null;
  init_run: string | null;
  adapter_hash: string | null;
  split: string | null;
  config: Record<string, unknown> | null;
  seed: number;
  job_id: string | null;
  state: string;
  metrics: Record<string, unknown> | null;
  environment: Record<string, unknown> | null;
  created_at: string;
  finished_at: string | null;
}

interface StoredRunRow {
  id: string;
  kind: string;
  pack_id: string;
  version_id: string | null;
  init_run: string | null;
  adapter_hash: string | null;
  split: string | null;
  config: string;
  seed: number;
  job_id: string | null;
  state: string;
  metrics: string | null;
  environment: string;
  created_at: string;
  finished_at: string | null;
}

export interface RunEventRow {
  seq: number;
  kind: string;
  step: number | null;
  payload: unknown;
  created_at: string;
}

/** A diagnosis's scored item with its question, its options as stored and the version's option order. */
export interface ScoredItemRow {
  item_id: string;
  probs: number[];
  correct: number;
  option_order: number[];
  task: string;
  question: string;
  options: string[];
  thumb_hash: string | null;
}

/** A diagnosis's scored item as the paired comparison reads it (the modality frozen in the version). */
export interface PairedItemRow {
  item_id: string;
  split: string;
  probs: number[];
  correct: number;
  modality: string;
  task: string;
}

const parsedOrNull = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export function reportRunById(db: ReadDb, id: string): ReportRunRow | undefined {
  const r = db.get<StoredRunRow>('SELECT * FROM runs WHERE id = ?', id);
  if (!r) return undefined;
  return {
    id: r.id,
    kind: r.kind,
    pack_id: r.pack_id,
    version_id: r.version_id,
    init_run: r.init_run,
    adapter_hash: r.adapter_hash,
    split: r.split,
    config: parsedOrNull<Record<string, unknown>>(r.config),
    seed: r.seed,
    job_id: r.job_id,
    state: r.state,
    metrics: parsedOrNull<Record<string, unknown>>(r.metrics),
    environment: parsedOrNull<Record<string, unknown>>(r.environment),
    created_at: r.created_at,
    finished_at: r.finished_at,
  };
}

/** The state of the job that runs a run, if the job exists. */
export function runJobState(db: ReadDb, jobId: string): string | undefined {
  return db.get<{ state: string }>('SELECT state FROM jobs WHERE id = ?', jobId)?.state;
}

/** Every event of a run in order, payloads parsed. */
export function runEventsInOrder(db: ReadDb, runId: string): RunEventRow[] {
  return db
    .all<{ seq: number; kind: string; step: number | null; payload: string; created_at: string }>(
      'SELECT seq, kind, step, payload, created_at FROM run_events WHERE run_id = ? ORDER BY seq',
      runId,
    )
    .map((e) => ({ seq: e.seq, kind: e.kind, step: e.step, payload: JSON.parse(e.payload) as unknown, created_at: e.created_at }));
}

/** How many items a run scored. */
export function runItemCount(db: ReadDb, runId: string): number {
  return (db.get<{ n: number }>('SELECT count(*) AS n FROM run_items WHERE run_id = ?', runId) as { n: number }).n;
}

/** A diagnosis's scored items (those with a known answer), by item id, with the version's option order. */
export function diagnosisScoredItems(db: ReadDb, runId: string, versionId: string): ScoredItemRow[] {
  const rows = db.all<{
    item_id: string;
    probs: string;
    correct: number;
    option_order: string;
    task: string;
    question: string;
    options: string;
    thumb_hash: string | null;
  }>(
    `SELECT ri.item_id, ri.probs, ri.correct, v.option_order, i.task, i.question, i.options, i.thumb_hash
    FROM run_items ri JOIN items i ON i.id = ri.item_id JOIN version_items v ON v.item_id = ri.item_id AND v.version_id = ?
    WHERE ri.run_id = ? AND ri.correct IS NOT NULL ORDER BY ri.item_id`,
    versionId,
    runId,
  );
  return rows.map((x) => ({
    item_id: x.item_id,
    probs: JSON.parse(x.probs) as number[],
    correct: x.correct,
    option_order: JSON.parse(x.option_order) as number[],
    task: x.task,
    question: x.question,
    options: JSON.parse(x.options) as string[],
    thumb_hash: x.thumb_hash,
  }));
}

/** A diagnosis's scored items (those with a known answer), by item id, as the paired comparison reads them. */
export function diagnosisPairedItems(db: ReadDb, runId: string, versionId: string): PairedItemRow[] {
  const rows = db.all<{ item_id: string; split: string; probs: string; correct: number; modality: string; task: string }>(
    `SELECT ri.item_id, ri.split, ri.probs, ri.correct, v.modality, i.task
    FROM run_items ri JOIN items i ON i.id = ri.item_id JOIN version_items v ON v.item_id = ri.item_id AND v.version_id = ?
    WHERE ri.run_id = ? AND ri.correct IS NOT NULL ORDER BY ri.item_id`,
    versionId,
    runId,
  );
  return rows.map((x) => ({
    item_id: x.item_id,
    split: x.split,
    probs: JSON.parse(x.probs) as number[],
    correct: x.correct,
    modality: x.modality,
    task: x.task,
  }));
}
