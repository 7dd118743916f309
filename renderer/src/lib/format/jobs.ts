// How jobs are named and shown: labels per kind and state, which actions a state allows. Pure, unit-tested.
import type { Job, JobKind, JobState } from '../../../../shared/api/jobs.ts';

export const JOB_KIND_LABEL: Record<JobKind, { title: string; unit: string }> = {
  'verify-blobs': { title: 'Verify stored files', unit: 'files' },
};

export function jobTitle(kind: string): string {
  return (JOB_KIND_LABEL as Record<string, { title: string } | undefined>)[kind]?.title ?? kind;
}

export function jobUnit(kind: string): string {
  return (JOB_KIND_LABEL as Record<string, { unit: string } | undefined>)[kind]?.unit ?? 'items';
}

/** Visual tone of a state badge; colours live in CSS (see app.css `.badge-*`). */
export type Tone = 'neutral' | 'active' | 'warning' | 'danger' | 'success';

export const JOB_STATE_TONE: Record<JobState, Tone> = {
  queued: 'neutral',
  running: 'active',
  cancelling: 'warning',
  cancelled: 'warning',
  interrupted: 'warning',
  failed: 'danger',
  done: 'success',
};

/** States a job can be resumed from; mirrors RESUMABLE_STATES in shared/api/jobs.ts without pulling zod into the bundle. */
export const RESUMABLE: ReadonlySet<JobState> = new Set<JobState>(['cancelled', 'interrupted', 'failed']);
export const CANCELLABLE: ReadonlySet<JobState> = new Set<JobState>(['queued', 'running']);
export const ACTIVE: ReadonlySet<JobState> = new Set<JobState>(['queued', 'running', 'cancelling']);

export function canCancel(job: Pick<Job, 'state'>): boolean {
  return CANCELLABLE.has(job.state);
}

export function canResume(job: Pick<Job, 'state'>): boolean {
  return RESUMABLE.has(job.state);
}

export function isActive(job: Pick<Job, 'state'>): boolean {
  return ACTIVE.has(job.state);
}

/**
 * Merges one job into a newest-first list. An update older than what we hold (an HTTP answer that raced a pushed
 * event) is ignored; equal timestamps take the incoming copy, because it was produced later on the host.
 */
export function upsertJob(jobs: readonly Job[], job: Job): Job[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i === -1) return sortJobs([job, ...jobs]);
  const current = jobs[i] as Job;
  if (current.updatedAt > job.updatedAt) return jobs as Job[];
  const next = jobs.slice();
  next[i] = job;
  return next;
}

/** Newest first by creation time, id as tie-break so the order is stable. */
export function sortJobs(jobs: Job[]): Job[] {
  return jobs.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
}

/**
 * Replaces the list with a fresh load, keeping any copy we already hold that is newer than the loaded one
 * (events that arrived while the list request was in flight).
 */
export function mergeJobLists(held: readonly Job[], loaded: readonly Job[]): Job[] {
  const byId = new Map(held.map((j) => [j.id, j] as const));
  return sortJobs(loaded.map((j) => {
    const h = byId.get(j.id);
    return h && h.updatedAt > j.updatedAt ? h : j;
  }));
}
