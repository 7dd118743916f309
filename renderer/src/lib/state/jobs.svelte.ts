// Jobs with live progress: loaded once, then kept current by `job-updated` events (each carries the full job).
import type { Job } from '../../../../shared/api/jobs.ts';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { coalesce } from '../format/coalesce.ts';
import { isActive, mergeJobLists, upsertJob } from '../format/jobs.ts';

/** How many jobs the panel loads; older ones stay in the workspace and the audit log. */
export const JOBS_PAGE_SIZE = 50;

export type JobAction = 'cancel' | 'resume';

export class JobsState {
  jobs = $state.raw<Job[]>([]);
  loaded = $state(false);
  /** The last failed call, shown until the next action succeeds or the user dismisses it. */
  error = $state.raw<AppErrorShape | null>(null);
  starting = $state(false);
  /** Per job id, the action whose call is in flight (its button is disabled meanwhile). */
  pending = $state.raw<Readonly<Record<string, JobAction>>>({});
  /**
   * Per job, the progress shown when Cancel was pressed: the counter stays there while the job stops (a step in
   * flight may still report), until the job has ended and the host's final figure is shown.
   */
  cancelledAt = $state.raw<Readonly<Record<string, number>>>({});
  active = $derived(this.jobs.filter(isActive));
  readonly #client: ApiClient;
  readonly refresh: () => Promise<void>;

  constructor(client: ApiClient) {
    this.#client = client;
    this.refresh = coalesce(() => this.#load());
  }

  /** A pushed or returned copy of one job. */
  apply(job: Job): void {
    this.jobs = upsertJob(this.jobs, this.#frozen(job));
  }

  /** The job as shown: while a cancel is on its way, its counter held where it was and no rate or time left. */
  #frozen(job: Job): Job {
    const at = this.cancelledAt[job.id];
    if (at === undefined) return job;
    if (!isActive(job)) {
      const { [job.id]: _ended, ...rest } = this.cancelledAt;
      this.cancelledAt = rest;
      return job;
    }
    return { ...job, progress: { ...job.progress, done: at, rate: 0, etaSeconds: null } };
  }

  dismissError(): void {
    this.error = null;
  }

  async startCompact(): Promise<Job | null> {
    this.starting = true;
    try {
      return this.#settle(await this.#client.call('jobs:start', { kind: 'compact-images', params: {} }));
    } finally {
      this.starting = false;
    }
  }

  async startVerify(maxBlobsPerSecond: number): Promise<Job | null> {
    this.starting = true;
    try {
      const r = await this.#client.call('jobs:start', { kind: 'verify-blobs', params: { maxBlobsPerSecond } });
      return this.#settle(r);
    } finally {
      this.starting = false;
    }
  }

  cancel(id: string): Promise<Job | null> {
    const shown = this.jobs.find((j) => j.id === id);
    if (shown && isActive(shown) && this.cancelledAt[id] === undefined) {
      this.cancelledAt = { ...this.cancelledAt, [id]: shown.progress.done };
      this.jobs = upsertJob(this.jobs, this.#frozen(shown));
    }
    return this.#act(id, 'cancel', () => this.#client.call('jobs:cancel', { id })).then((job) => {
      // A refused cancel (the job had already ended) lets the counter move again.
      if (job === null && this.cancelledAt[id] !== undefined && this.error !== null) {
        const { [id]: _refused, ...rest } = this.cancelledAt;
        this.cancelledAt = rest;
      }
      return job;
    });
  }

  resume(id: string): Promise<Job | null> {
    return this.#act(id, 'resume', () => this.#client.call('jobs:resume', { id }));
  }

  async #act(id: string, action: JobAction, run: () => Promise<{ ok: true; value: Job } | { ok: false; error: AppErrorShape }>): Promise<Job | null> {
    if (this.pending[id]) return null;
    this.pending = { ...this.pending, [id]: action };
    try {
      return this.#settle(await run());
    } finally {
      const { [id]: _done, ...rest } = this.pending;
      this.pending = rest;
    }
  }

  #settle(r: { ok: true; value: Job } | { ok: false; error: AppErrorShape }): Job | null {
    if (!r.ok) {
      this.error = r.error;
      return null;
    }
    this.error = null;
    this.apply(r.value);
    return r.value;
  }

  async #load(): Promise<void> {
    const r = await this.#client.call('jobs:list', { limit: JOBS_PAGE_SIZE });
    if (r.ok) this.jobs = mergeJobLists(this.jobs, r.value).map((j) => this.#frozen(j));
    else this.error = r.error;
    this.loaded = true;
  }
}
