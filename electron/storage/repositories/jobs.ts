// The jobs table: a job's row (its JSON columns parsed), the listing, and the writes the job runner makes.
import type { JobKind, JobState } from '../../../shared/api/jobs.ts';
import type { AppErrorShape } from '../../../shared/errors.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';

/** A job as stored, with `params`, `error` and `result` parsed. */
export interface JobRow {
  id: string;
  kind: JobKind;
  state: JobState;
  params: Record<string, unknown>;
  progress_done: number;
  progress_total: number;
  progress_message: string;
  attempts: number;
  checkpoints: number;
  created_at: string;
  updated_at: string;
  error: AppErrorShape | null;
  result: Record<string, unknown> | null;
}

/** A job the host did not see to an end (still queued, running or cancelling). */
export interface UnfinishedJobRow {
  id: string;
  kind: string;
  progress_done: number;
  progress_total: number;
}

export interface NewJob {
  id: string;
  kind: JobKind;
  params: Record<string, unknown>;
}

/** What a state change sets besides the state: each field left undefined keeps its column as it is. */
export interface JobStateChange {
  error?: AppErrorShape | null;
  result?: unknown;
  workerPid?: number | null;
  attemptsIncrement?: boolean;
}

interface StoredJobRow {
  id: string;
  kind: string;
  state: string;
  params: string;
  cursor: string | null;
  progress_done: number;
  progress_total: number;
  progress_message: string;
  attempts: number;
  checkpoints: number;
  worker_pid: number | null;
  heartbeat: string | null;
  error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

function parsed(r: StoredJobRow): JobRow {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    state: r.state as JobState,
    params: JSON.parse(r.params) as Record<string, unknown>,
    progress_done: r.progress_done,
    progress_total: r.progress_total,
    progress_message: r.progress_message,
    attempts: r.attempts,
    checkpoints: r.checkpoints,
    created_at: r.created_at,
    updated_at: r.updated_at,
    error: r.error ? (JSON.parse(r.error) as AppErrorShape) : null,
    result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
  };
}

export function jobById(db: ReadDb, id: string): JobRow | undefined {
  const row = db.get<StoredJobRow>('SELECT * FROM jobs WHERE id = ?', id);
  return row ? parsed(row) : undefined;
}

/** The newest jobs first (in `state` only, when given), at most `limit`. */
export function latestJobs(db: ReadDb, state: JobState | undefined, limit: number): JobRow[] {
  const rows = state
    ? db.all<StoredJobRow>('SELECT * FROM jobs WHERE state = ? ORDER BY created_at DESC, rowid DESC LIMIT ?', state, limit)
    : db.all<StoredJobRow>('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?', limit);
  return rows.map(parsed);
}

/** The job's last committed cursor (parsed), or null before its first checkpoint. */
export function jobCursor(db: ReadDb, id: string): unknown {
  const row = db.get<{ cursor: string | null }>('SELECT cursor FROM jobs WHERE id = ?', id);
  return row?.cursor ? (JSON.parse(row.cursor) as unknown) : null;
}

export function jobCount(db: ReadDb): number {
  return db.value<number>('SELECT count(*) AS n FROM jobs') ?? 0;
}

export function unfinishedJobs(db: ReadDb): UnfinishedJobRow[] {
  return db.all<UnfinishedJobRow>("SELECT id, kind, progress_done, progress_total FROM jobs WHERE state IN ('running','cancelling','queued')");
}

/** A new job, queued. */
export function insertJob(tx: WriteDb, job: NewJob): void {
  const now = new Date().toISOString();
  tx.run(
    "INSERT INTO jobs (id, kind, state, params, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?)",
    job.id,
    job.kind,
    JSON.stringify(job.params),
    now,
    now,
  );
}

export function setJobState(tx: WriteDb, id: string, state: JobState, change: JobStateChange = {}): void {
  const now = new Date().toISOString();
  tx.run(
    `UPDATE jobs SET state = ?, updated_at = ?,
           error = CASE WHEN ? THEN ? ELSE error END,
           result = CASE WHEN ? THEN ? ELSE result END,
           worker_pid = CASE WHEN ? THEN ? ELSE worker_pid END,
           attempts = attempts + ?
         WHERE id = ?`,
    state,
    now,
    change.error !== undefined ? 1 : 0,
    change.error ? JSON.stringify(change.error) : null,
    change.result !== undefined ? 1 : 0,
    change.result !== undefined ? JSON.stringify(change.result) : null,
    change.workerPid !== undefined ? 1 : 0,
    change.workerPid ?? null,
    change.attemptsIncrement ? 1 : 0,
    id,
  );
}

/** A job whose host stopped while it was unfinished: interrupted, with no worker. */
export function markJobInterrupted(tx: WriteDb, id: string): void {
  tx.run("UPDATE jobs SET state = 'interrupted', worker_pid = NULL, updated_at = ? WHERE id = ?", new Date().toISOString(), id);
}

/** The cursor a resume starts from, with the progress it stands for. */
export function saveJobCheckpoint(tx: WriteDb, id: string, cursor: unknown, done: number, total: number): void {
  tx.run(
    'UPDATE jobs SET cursor = ?, progress_done = ?, progress_total = ?, checkpoints = checkpoints + 1, heartbeat = ?, updated_at = ? WHERE id = ?',
    JSON.stringify(cursor),
    done,
    total,
    new Date().toISOString(),
    new Date().toISOString(),
    id,
  );
}

export function saveJobProgress(tx: WriteDb, id: string, done: number, total: number, message: string): void {
  tx.run(
    'UPDATE jobs SET progress_done = ?, progress_total = ?, progress_message = ?, heartbeat = ? WHERE id = ?',
    done,
    total,
    message,
    new Date().toISOString(),
    id,
  );
}
