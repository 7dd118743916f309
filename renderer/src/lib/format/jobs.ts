// How jobs are named and shown: labels per kind and state, which actions a state allows. Pure, unit-tested.
import type { Job, JobState } from '../../../../shared/api/jobs.ts';
import { canResumeJob, RESUMABLE_STATES } from '../../../../shared/job-resume.ts';

/** The kind names live in shared/ (the Electron shell's notifications use them too). */
export { JOB_KIND_LABEL, jobName, jobTitle, jobUnit } from '../../../../shared/job-kind-labels.ts';

/** A pack's size as GB (2 decimals) from 1 GiB, else MB (1 decimal). */
function packSizeText(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
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

/** States a job can be resumed from: the contract's (shared/job-resume.ts, no zod). */
export const RESUMABLE: ReadonlySet<JobState> = new Set<JobState>(RESUMABLE_STATES);
export const CANCELLABLE: ReadonlySet<JobState> = new Set<JobState>(['queued', 'running']);
export const ACTIVE: ReadonlySet<JobState> = new Set<JobState>(['queued', 'running', 'cancelling']);

export function canCancel(job: Pick<Job, 'state'>): boolean {
  return CANCELLABLE.has(job.state);
}

/** Resume is offered only where the host would take it (shared/job-resume.ts: the host's rule for jobs:resume). */
export function canResume(job: Pick<Job, 'id' | 'kind' | 'state' | 'error'>): boolean {
  return canResumeJob(job);
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

/**
 * The current copy of a job a call returned, given a copy pushed by an event that may have overtaken the call's answer
 * (a short job can end before the call that started it returns). The later `updatedAt` wins; on a tie an ended copy
 * wins over an active one, since a job only ends after it started.
 */
export function currentCopy(returned: Job, pushed: Job | undefined): Job {
  if (!pushed || pushed.id !== returned.id) return returned;
  if (pushed.updatedAt !== returned.updatedAt) return pushed.updatedAt > returned.updatedAt ? pushed : returned;
  return isActive(returned) && !isActive(pushed) ? pushed : returned;
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
  return sortJobs(
    loaded.map((j) => {
      const h = byId.get(j.id);
      return h && h.updatedAt > j.updatedAt ? h : j;
    }),
  );
}

/** A finished job's outcome in words: `tone` says whether it found a problem, `items` lists what (shortened). */
export interface JobOutcome {
  tone: 'success' | 'danger' | 'neutral';
  text: string;
  items: string[];
  more: number;
}

/** How many problem items (e.g. corrupt file hashes) are listed before "and N more". */
export const OUTCOME_ITEMS_SHOWN = 8;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function describeOutcome(job: Pick<Job, 'kind' | 'state' | 'result'>): JobOutcome | null {
  const r = job.result;
  if (job.state !== 'done' || !r) return null;
  if (job.kind === 'verify-blobs') {
    const checked = num(r.checked) ?? 0;
    const corrupt = Array.isArray(r.corrupt) ? r.corrupt.filter((h): h is string => typeof h === 'string') : [];
    const resumedFrom = num(r.resumedFrom) ?? 0;
    if (r.ok === true && corrupt.length === 0) {
      const resumed =
        resumedFrom > 0 ? ` Resumed after ${resumedFrom}; ${num(r.checkedThisAttempt) ?? checked - resumedFrom} checked in the last attempt.` : '';
      return { tone: 'success', text: `All ${checked} stored ${checked === 1 ? 'file matches its' : 'files match their'} hash.${resumed}`, items: [], more: 0 };
    }
    const n = corrupt.length;
    return {
      tone: 'danger',
      text: `${n} of ${checked} stored ${checked === 1 ? 'file does' : 'files do'} not match ${n === 1 ? 'its' : 'their'} hash. Restore ${n === 1 ? 'it' : 'them'} from a backup before using this workspace for a study.`,
      items: corrupt.slice(0, OUTCOME_ITEMS_SHOWN),
      more: Math.max(0, n - OUTCOME_ITEMS_SHOWN),
    };
  }
  if (job.kind === 'convert-model' && typeof r.packId === 'string') {
    const bytes = num(r.bytes) ?? 0;
    const size = packSizeText(bytes);
    const conversion = (r.conversion ?? {}) as Record<string, unknown>;
    const libs = Object.entries((conversion.libraries ?? {}) as Record<string, string>)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return {
      tone: 'success',
      text: `Converted ${String(r.name)} into a ${num(r.files) ?? 0}-file pack (${size}) at ${String(r.path)}, registered as ${r.packId.slice(0, 12)}…${libs ? ` (${libs})` : ''}.`,
      items: [],
      more: 0,
    };
  }
  if (job.kind === 'register-model' && typeof r.packId === 'string') {
    const bytes = num(r.bytes) ?? 0;
    const size = packSizeText(bytes);
    const what = r.created === false ? 'was already registered' : 'is registered';
    const files = num(r.files) ?? 0;
    return {
      tone: 'success',
      text: `Model pack ${String(r.name)} (${String(r.kind)}, ${files} ${files === 1 ? 'file' : 'files'}, ${size}) ${what} as ${r.packId.slice(0, 12)}…; every file matched its SHA-256.`,
      items: [],
      more: 0,
    };
  }
  const parts = Object.entries(r)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .map(([k, v]) => `${k}: ${String(v)}`);
  return parts.length > 0 ? { tone: 'neutral', text: parts.join(' · '), items: [], more: 0 } : null;
}
