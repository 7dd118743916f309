// The run_events table: what happened during a run, numbered per run (seq) — item counts, batches with their
// feature-cache hits, training curves, checkpoints, the final choice, and stored recommendations. Payloads are JSON.
import type { StoredRecommendation } from '../../../shared/api/runs.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';

function nextSeq(db: ReadDb, runId: string): number {
  return (db.get<{ s: number | null }>('SELECT max(seq) AS s FROM run_events WHERE run_id = ?', runId)?.s ?? 0) + 1;
}

/** Appends an event after the run's last one, written now. */
export function appendRunEvent(tx: WriteDb, runId: string, kind: string, payload: unknown, step: number | null = null): void {
  const seq = nextSeq(tx, runId);
  tx.run(
    'INSERT INTO run_events (run_id, seq, kind, step, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    runId,
    seq,
    kind,
    step,
    JSON.stringify(payload),
    new Date().toISOString(),
  );
}

/** An event with its number given (an imported engine run's logged lines, numbered from 1). */
export interface NewRunEvent {
  runId: string;
  seq: number;
  kind: string;
  step: number | null;
  payload: unknown;
  createdAt: string;
}

export function insertRunEvent(tx: WriteDb, e: NewRunEvent): void {
  tx.run(
    'INSERT INTO run_events (run_id, seq, kind, step, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    e.runId,
    e.seq,
    e.kind,
    e.step,
    JSON.stringify(e.payload),
    e.createdAt,
  );
}

/** A recommendation is an event of the diagnosis it was made from, stored with the numbers behind it. */
export function appendRecommendation(tx: WriteDb, runId: string, stored: StoredRecommendation): void {
  const seq = nextSeq(tx, runId);
  tx.run(
    "INSERT INTO run_events (run_id, seq, kind, step, payload, created_at) VALUES (?, ?, 'recommendation', NULL, ?, ?)",
    runId,
    seq,
    JSON.stringify(stored),
    stored.createdAt,
  );
}

export function latestRecommendation(db: ReadDb, runId: string): StoredRecommendation | null {
  const payload = db.value<string>("SELECT payload FROM run_events WHERE run_id = ? AND kind = 'recommendation' ORDER BY seq DESC LIMIT 1", runId);
  return payload === undefined ? null : (JSON.parse(payload) as StoredRecommendation);
}

/** The training run's final choice: why it stopped and the checkpoint and adapter it kept. */
export interface FinalChoice {
  reason: string;
  checkpoint: string;
  adapter: string;
  keptStep: number;
}

export function latestFinalChoice(db: ReadDb, runId: string): FinalChoice | null {
  const payload = db.value<string>("SELECT payload FROM run_events WHERE run_id = ? AND kind = 'final' ORDER BY seq DESC LIMIT 1", runId);
  return payload === undefined ? null : (JSON.parse(payload) as FinalChoice);
}

/** Sums the cache hits and misses recorded by the run's batch events. */
export function cacheCounts(db: ReadDb, runId: string): { hits: number; misses: number } {
  const r = db.get<{ hits: number; misses: number }>(
    "SELECT coalesce(sum(json_extract(payload, '$.hits')), 0) AS hits, coalesce(sum(json_extract(payload, '$.misses')), 0) AS misses FROM run_events WHERE run_id = ? AND kind = 'batch'",
    runId,
  );
  return { hits: r?.hits ?? 0, misses: r?.misses ?? 0 };
}

/** A stored event, payload parsed. */
export interface RunEventRow {
  seq: number;
  kind: string;
  step: number | null;
  payload: unknown;
  created_at: string;
}

/** The run's events after `afterSeq`, in order, only those of `kind` when given. */
export function runEventsAfter(db: ReadDb, runId: string, afterSeq: number, kind: string | undefined): RunEventRow[] {
  const rows = db.all<Omit<RunEventRow, 'payload'> & { payload: string }>(
    'SELECT seq, kind, step, payload, created_at FROM run_events WHERE run_id = ? AND seq > ? AND (? IS NULL OR kind = ?) ORDER BY seq',
    runId,
    afterSeq,
    kind ?? null,
    kind ?? null,
  );
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
}
