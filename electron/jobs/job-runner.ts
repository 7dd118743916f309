// Runs jobs in worker processes and is the only place their rows change. Every lifecycle change
// (start, cancel request, cancelled, interrupted, resumed, failed, done) is one transaction with one audit entry;
// checkpoint output is committed together with the new cursor, so resume never redoes committed work.
import { randomUUID } from 'node:crypto';
import type { Job, JobKind, JobState } from '../../shared/api/jobs.ts';
import { resumeRefusal } from '../../shared/job-resume.ts';
import { AppError } from '../../shared/errors.ts';
import type { WorkerToHost } from '../../shared/worker-protocol.ts';
import type { Workspace } from '../storage/workspace.ts';
import { JOB_HANDLERS } from './host-handlers.ts';
import { insertJob, jobById, jobCursor, latestJobs, saveJobCheckpoint, saveJobProgress, setJobState, type JobRow } from '../storage/repositories/jobs.ts';
import type { WriteDb } from '../storage/sql-handles.ts';
import type { WorkerHandle, WorkerLauncher } from './worker-launcher.ts';

const CANCEL_GRACE_MS = 10_000;
const PROGRESS_WRITE_INTERVAL_MS = 1_000;
const TERMINAL: readonly JobState[] = ['cancelled', 'interrupted', 'failed', 'done'];

interface Active {
  worker: WorkerHandle;
  attempt: number;
  startedAt: number;
  startDone: number;
  done: number;
  total: number;
  lastProgressWrite: number;
  /** Progress at the last committed checkpoint: where a cancelled or interrupted job will resume. */
  checkpointDone?: number;
  finished: boolean;
  cancelTimer?: NodeJS.Timeout;
}

export class JobRunner {
  private readonly ws: Workspace;
  private readonly launch: WorkerLauncher;
  private readonly active = new Map<string, Active>();
  private readonly listeners = new Set<(job: Job) => void>();
  private readonly waiters = new Map<string, Array<(job: Job) => void>>();

  constructor(ws: Workspace, launch: WorkerLauncher) {
    this.ws = ws;
    this.launch = launch;
  }

  onJobUpdated(listener: (job: Job) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): Job {
    return toJob(this.stored(id), this.liveRate(id));
  }

  list(state: JobState | undefined, limit: number): Job[] {
    return latestJobs(this.ws.read, state, limit).map((r) => toJob(r, this.liveRate(r.id)));
  }

  /** Pid of a job's worker process (for tests and diagnostics). */
  workerPid(id: string): number | undefined {
    return this.active.get(id)?.worker.pid;
  }

  start(kind: JobKind, rawParams: unknown, actor: string): Job {
    const handler = JOB_HANDLERS[kind];
    if (!handler) throw new AppError('request/invalid-input', `Unknown job kind "${kind}".`);
    const params = handler.params.parse(rawParams) as Record<string, unknown>;
    const id = this.ws.change(
      (r: { id: string; created: Record<string, unknown> }) => ({ actor, action: 'job:start', subject: r.id, payload: { kind, params, ...r.created } }),
      (tx) => {
        const jobId = `job-${randomUUID()}`;
        insertJob(tx, { id: jobId, kind, params });
        return { id: jobId, created: handler.create?.(this.ws, jobId, params, tx) ?? {} };
      },
    ).id;
    this.launchAttempt(id, actor);
    return this.get(id);
  }

  resume(id: string, actor: string): Job {
    const job = this.stored(id);
    const refusal = resumeRefusal(job);
    if (refusal !== null) throw new AppError('job/not-resumable', refusal, { id, state: job.state, ...(job.error ? { failedWith: job.error.code } : {}) });
    this.ws.change(
      { actor, action: 'job:resume', subject: id, payload: { kind: job.kind, fromState: job.state, done: job.progress_done, total: job.progress_total } },
      (tx) => {
        setJobState(tx, id, 'queued', { error: null });
      },
    );
    this.launchAttempt(id, actor);
    return this.get(id);
  }

  cancel(id: string, actor: string): Job {
    const job = this.stored(id);
    const active = this.active.get(id);
    if (!active || job.state !== 'running') {
      throw new AppError('job/not-running', `Job ${id} is ${job.state}, not running, so there is nothing to cancel.`, { id, state: job.state });
    }
    this.ws.change({ actor, action: 'job:cancel-requested', subject: id, payload: { done: active.done, total: active.total } }, (tx) =>
      setJobState(tx, id, 'cancelling'),
    );
    active.worker.send({ type: 'cancel' });
    active.cancelTimer = setTimeout(() => active.worker.kill(), CANCEL_GRACE_MS);
    this.emit(id);
    return this.get(id);
  }

  /** Resolves when the job reaches a terminal state. */
  waitFor(id: string): Promise<Job> {
    const job = this.get(id);
    if (TERMINAL.includes(job.state) && !this.active.has(id)) return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  /** Stops every worker (host shutdown): their jobs become interrupted and can be resumed next time. */
  shutdown(actor: string): void {
    for (const [id, a] of this.active) {
      a.finished = true;
      a.worker.kill();
      this.finish(id, 'interrupted', actor, 'job:interrupted', { reason: 'host-shutdown', done: a.done, total: a.total });
    }
  }

  private launchAttempt(id: string, actor: string): void {
    const job = this.stored(id);
    const handler = JOB_HANDLERS[job.kind];
    if (!handler) throw new AppError('job/failed', `Unknown job kind ${job.kind}`);
    const cursor = jobCursor(this.ws.read, id);
    let input: unknown;
    try {
      input = handler.prepareInput(this.ws, id, job.params, cursor);
    } catch (e) {
      // e.g. the folder a job reads was removed: the job fails (audited, resumable once fixed) instead of staying queued
      const error = e instanceof AppError ? e.toShape() : { code: 'job/failed', message: `The job could not start: ${(e as Error).message}` };
      this.finish(id, 'failed', actor, 'job:failed', { error, stage: 'prepare' }, error);
      throw e;
    }
    const worker = this.launch();
    const attempt = job.attempts + 1;
    const a: Active = {
      worker,
      attempt,
      startedAt: Date.now(),
      startDone: job.progress_done,
      done: job.progress_done,
      total: job.progress_total,
      lastProgressWrite: 0,
      finished: false,
    };
    this.active.set(id, a);
    // Attempt bookkeeping is not a separate user-visible change: start/resume above carried the audit entry.
    this.ws.jobBookkeeping((tx) => setJobState(tx, id, 'running', { workerPid: worker.pid ?? null, attemptsIncrement: true }));
    worker.onMessage((m) => this.onWorkerMessage(id, a, m, actor));
    worker.onExit((code, signal) => this.onWorkerExit(id, a, code, signal, actor));
    worker.send({ type: 'start', jobId: id, kind: job.kind, params: job.params, cursor, input, workspaceDir: this.ws.dir });
    this.emit(id);
  }

  private onWorkerMessage(id: string, a: Active, m: WorkerToHost, actor: string): void {
    if (a.finished) return;
    switch (m.type) {
      case 'progress': {
        a.done = m.done;
        a.total = m.total;
        const now = Date.now();
        if (now - a.lastProgressWrite >= PROGRESS_WRITE_INTERVAL_MS) {
          a.lastProgressWrite = now;
          this.ws.jobBookkeeping((tx) => saveJobProgress(tx, id, m.done, m.total, m.message));
        }
        this.emit(id, m.message);
        return;
      }
      case 'checkpoint': {
        const handler = JOB_HANDLERS[this.stored(id).kind];
        try {
          this.ws.jobBookkeeping((tx) => {
            handler?.applyCheckpoint(this.ws, { jobId: id, attempt: a.attempt }, m.output, tx);
            saveJobCheckpoint(tx, id, m.cursor, m.done, m.total);
          });
          a.checkpointDone = m.done;
        } catch (e) {
          a.finished = true;
          a.worker.kill();
          this.finish(
            id,
            'failed',
            actor,
            'job:failed',
            { reason: 'checkpoint-rejected', message: (e as Error).message },
            { code: 'job/failed', message: `The job's results could not be saved: ${(e as Error).message}` },
          );
        }
        return;
      }
      case 'done': {
        a.finished = true;
        const handler = JOB_HANDLERS[this.stored(id).kind];
        try {
          this.finish(id, 'done', actor, 'job:done', {}, undefined, (tx) => ({ ...(handler?.summarise(this.ws, id, m.result, tx) ?? {}), ...m.result }));
        } catch (e) {
          // The kind's final writes failed (rolled back with the done entry): the job fails and the host carries on.
          this.finish(
            id,
            'failed',
            actor,
            'job:failed',
            { reason: 'summary-rejected', message: (e as Error).message },
            { code: 'job/failed', message: `The job's final results could not be saved: ${(e as Error).message}` },
          );
          return;
        }
        try {
          handler?.afterCommit?.(this.ws, id);
        } catch (e) {
          process.stderr.write(`MedBridge: job ${id} is done; tidying up after it failed (${(e as Error).message})\n`);
        }
        return;
      }
      case 'cancelled':
        a.finished = true;
        this.finish(id, 'cancelled', actor, 'job:cancelled', { done: a.done, total: a.total });
        return;
      case 'error':
        a.finished = true;
        this.finish(id, 'failed', actor, 'job:failed', { error: m.error }, m.error);
        return;
    }
  }

  private onWorkerExit(id: string, a: Active, code: number | null, signal: string | null, actor: string): void {
    if (a.cancelTimer) clearTimeout(a.cancelTimer);
    if (!a.finished) {
      a.finished = true;
      const wasCancelling = this.stored(id).state === 'cancelling';
      if (wasCancelling) this.finish(id, 'cancelled', actor, 'job:cancelled', { done: a.done, total: a.total, forced: true });
      else
        this.finish(
          id,
          'interrupted',
          actor,
          'job:interrupted',
          { reason: 'worker-exited', code, signal, done: a.done, total: a.total },
          {
            code: 'job/worker-crashed',
            message: `The worker process stopped unexpectedly (${signal ?? `exit code ${code}`}). Resume the job to continue from its last checkpoint.`,
          },
        );
    }
    this.active.delete(id);
    const job = this.get(id);
    for (const w of this.waiters.get(id) ?? []) w(job);
    this.waiters.delete(id);
    this.emit(id);
  }

  /** One lifecycle change: the job row, the kind's own final writes (`result`), and one audit entry, in one transaction. */
  private finish(
    id: string,
    state: JobState,
    actor: string,
    action: string,
    payload: Record<string, unknown>,
    error?: { code: string; message: string },
    result?: (tx: WriteDb) => Record<string, unknown>,
  ): void {
    const a = this.active.get(id);
    this.ws.change(
      (r: Record<string, unknown> | undefined) => ({ actor, action, subject: id, payload: r ? { ...payload, result: r } : payload }),
      (tx) => {
        const r = result?.(tx);
        // A job that stops early keeps its last checkpoint: its progress says where it will resume, not how far the
        // discarded work after that checkpoint had got (nor a throttled progress message older than the checkpoint).
        const done = state !== 'done' && a?.checkpointDone !== undefined ? a.checkpointDone : a?.done;
        if (a) saveJobProgress(tx, id, done ?? a.done, a.total, state === 'done' ? 'Finished' : `Stopped: ${state}`);
        setJobState(tx, id, state, { workerPid: null, ...(error ? { error } : {}), ...(r !== undefined ? { result: r } : {}) });
        return r;
      },
    );
    this.emit(id);
  }

  /** The job's row; a job that is not in this workspace is `job/not-found`. */
  private stored(id: string): JobRow {
    const row = jobById(this.ws.read, id);
    if (!row) throw new AppError('job/not-found', `There is no job ${id} in this workspace.`, { id });
    return row;
  }

  private liveRate(id: string): LiveRate | undefined {
    const a = this.active.get(id);
    if (!a) return undefined;
    const seconds = (Date.now() - a.startedAt) / 1000;
    const rate = seconds > 0 ? (a.done - a.startDone) / seconds : 0;
    return { rate, etaSeconds: rate > 0 ? Math.max(0, (a.total - a.done) / rate) : null };
  }

  private emit(id: string, message?: string): void {
    if (this.listeners.size === 0) return;
    const job = this.get(id);
    const a = this.active.get(id);
    // The live count only while the job runs: an ended job's stored progress is final (a job that stops early keeps
    // its last checkpoint's count), and the event must say what jobs:get says.
    if (a && !a.finished) {
      job.progress.done = a.done;
      job.progress.total = a.total;
      if (message) job.progress.message = message;
    }
    for (const l of this.listeners) l(job);
  }
}

interface LiveRate {
  rate: number;
  etaSeconds: number | null;
}

/** The contract's Job: the stored row, with the live rate of a job that is running here. */
function toJob(r: JobRow, live: LiveRate | undefined): Job {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    params: r.params,
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
    error: r.error,
    result: r.result,
  };
}
