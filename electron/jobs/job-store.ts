// Jobs as rows: reading them into the contract's Job shape and the few writes the runner makes.
import { randomUUID } from 'node:crypto';
import type { Job, JobKind, JobState } from '../../shared/api/jobs.ts';
import type { AppErrorShape } from '../../shared/errors.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../storage/database.ts';

interface JobRow {
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

export interface LiveRate {
  rate: number;
  etaSeconds: number | null;
}

export class JobStore {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  insert(kind: JobKind, params: Record<string, unknown>): string {
    const id = `job-${randomUUID()}`;
    const now = new Date().toISOString();
    this.db
      .prepare("INSERT INTO jobs (id, kind, state, params, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?)")
      .run(id, kind, JSON.stringify(params), now, now);
    return id;
  }

  get(id: string, live?: LiveRate): Job {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new AppError('job/not-found', `There is no job ${id} in this workspace.`, { id });
    return toJob(row, live);
  }

  list(state: JobState | undefined, limit: number, live: (id: string) => LiveRate | undefined): Job[] {
    const rows = (state
      ? this.db.prepare('SELECT * FROM jobs WHERE state = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(state, limit)
      : this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit)) as JobRow[];
    return rows.map((r) => toJob(r, live(r.id)));
  }

  cursor(id: string): unknown {
    const row = this.db.prepare('SELECT cursor FROM jobs WHERE id = ?').get(id) as { cursor: string | null } | undefined;
    return row?.cursor ? (JSON.parse(row.cursor) as unknown) : null;
  }

  setState(id: string, state: JobState, extra: { error?: AppErrorShape | null; result?: unknown; workerPid?: number | null; attemptsIncrement?: boolean } = {}): void {
    const now = new Date().toISOString();
    this.db
      .prepare(
        `UPDATE jobs SET state = ?, updated_at = ?,
           error = CASE WHEN ? THEN ? ELSE error END,
           result = CASE WHEN ? THEN ? ELSE result END,
           worker_pid = CASE WHEN ? THEN ? ELSE worker_pid END,
           attempts = attempts + ?
         WHERE id = ?`,
      )
      .run(
        state, now,
        extra.error !== undefined ? 1 : 0, extra.error ? JSON.stringify(extra.error) : null,
        extra.result !== undefined ? 1 : 0, extra.result !== undefined ? JSON.stringify(extra.result) : null,
        extra.workerPid !== undefined ? 1 : 0, extra.workerPid ?? null,
        extra.attemptsIncrement ? 1 : 0,
        id,
      );
  }

  saveCheckpoint(id: string, cursor: unknown, done: number, total: number): void {
    this.db
      .prepare('UPDATE jobs SET cursor = ?, progress_done = ?, progress_total = ?, checkpoints = checkpoints + 1, heartbeat = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(cursor), done, total, new Date().toISOString(), new Date().toISOString(), id);
  }

  saveProgress(id: string, done: number, total: number, message: string): void {
    this.db
      .prepare('UPDATE jobs SET progress_done = ?, progress_total = ?, progress_message = ?, heartbeat = ? WHERE id = ?')
      .run(done, total, message, new Date().toISOString(), id);
  }

  attempts(id: string): number {
    return (this.db.prepare('SELECT attempts FROM jobs WHERE id = ?').get(id) as { attempts: number }).attempts;
  }
}

function toJob(r: JobRow, live: LiveRate | undefined): Job {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    state: r.state as JobState,
    params: JSON.parse(r.params) as Record<string, unknown>,
    progress: {
      done: r.progress_done,
      total: r.progress_total,
      rate: live?.rate ?? 0,
      etaSeconds: live?.etaSeconds ?? null,
      message: r.progress_message,
    },
    attempts: r.attempts,
    checkpoints: r.checkpoints,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    error: r.error ? (JSON.parse(r.error) as AppErrorShape) : null,
    result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
  };
}
