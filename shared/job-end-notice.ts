// When a job ends, in words: which copies of a job are its end (a job seen queued, running or cancelling that is now
// done, failed, cancelled or interrupted), and the title and sentence a toast in the renderer or an OS notification
// from the Electron shell shows for it. Pure; the renderer and the shell each feed it the jobs they are pushed.
import type { Job, JobState } from './api/jobs.ts';
import { jobTitle, jobUnit } from './job-kind-labels.ts';
import { trainAlgorithmWord } from './training-algorithms.ts';

export type JobEnding = 'done' | 'failed' | 'cancelled' | 'interrupted';

const ACTIVE_STATES: ReadonlySet<JobState> = new Set<JobState>(['queued', 'running', 'cancelling']);
const ENDINGS: ReadonlySet<JobState> = new Set<JobState>(['done', 'failed', 'cancelled', 'interrupted']);

/** How a job ended, when `next` is the first ended copy after an active one; null for every other change. */
export function jobEnding(previous: JobState | undefined, next: JobState): JobEnding | null {
  if (previous === undefined || !ACTIVE_STATES.has(previous)) return null;
  return ENDINGS.has(next) ? (next as JobEnding) : null;
}

/**
 * Remembers the last state seen per job, so each run of a job ends once: a job first seen already ended (loaded after
 * the fact, or pushed again) is not news, and a resumed job that ends again is.
 */
export class JobEndWatcher {
  readonly #states = new Map<string, JobState>();

  see(job: Pick<Job, 'id' | 'state'>): JobEnding | null {
    const ending = jobEnding(this.#states.get(job.id), job.state);
    if (ACTIVE_STATES.has(job.state)) this.#states.set(job.id, job.state);
    else this.#states.delete(job.id);
    return ending;
  }
}

/** An OS notification is for a job that ended while the app's window was not the one in front. */
export function osNotificationWanted(ending: JobEnding | null, windowFocused: boolean): boolean {
  return ending !== null && !windowFocused;
}

export interface JobEndNotice {
  jobId: string;
  ending: JobEnding;
  /** "Import dataset finished" */
  title: string;
  /** "BreastMNIST.npz: 780 items." */
  text: string;
  /** A failure or an interruption: announced at once (role=alert) and kept until dismissed. */
  urgent: boolean;
}

const ENDING_WORD: Record<JobEnding, string> = { done: 'finished', failed: 'failed', cancelled: 'cancelled', interrupted: 'interrupted' };

/** What the job worked on, when its parameters say so in a few words: a file or folder name, a training method. */
function subjectOf(params: Readonly<Record<string, unknown>>): string | null {
  if (typeof params.path === 'string' && params.path !== '') {
    const parts = params.path.split(/[\\/]+/).filter((p) => p !== '');
    return parts[parts.length - 1] ?? null;
  }
  if (typeof params.algorithm === 'string') return trainAlgorithmWord(params.algorithm) ?? params.algorithm;
  return null;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "780 items" when the total was not known in advance, else "480 of 1,000 steps". */
function progressText(job: Pick<Job, 'kind' | 'progress'>): string {
  const { done, total } = job.progress;
  return total > 0 ? `${count(done)} of ${count(total)} ${jobUnit(job.kind)}` : `${count(done)} ${jobUnit(job.kind)}`;
}

export function jobEndNotice(job: Pick<Job, 'id' | 'kind' | 'params' | 'progress' | 'error'>, ending: JobEnding): JobEndNotice {
  const subject = subjectOf(job.params);
  const progress = progressText(job);
  const sentence =
    ending === 'done'
      ? `${progress}.`
      : ending === 'failed'
        ? `${job.error?.message ?? 'No reason was recorded.'}`
        : ending === 'cancelled'
          ? `stopped at ${progress}; it can be resumed from there.`
          : `its worker stopped at ${progress}; it can be resumed from there.`;
  const text = subject ? `${subject}: ${sentence}` : `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}`;
  return { jobId: job.id, ending, title: `${jobTitle(job.kind)} ${ENDING_WORD[ending]}`, text, urgent: ending === 'failed' || ending === 'interrupted' };
}
