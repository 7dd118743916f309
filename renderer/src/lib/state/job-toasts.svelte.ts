// Toasts for jobs that end while the user is elsewhere: fed every pushed job, it remembers the page each job was first
// seen running on and, when the job ends (shared/job-end-notice.ts) with the user on another page, adds a toast.
import type { Job } from '../../../../shared/api/jobs.ts';
import { JobEndWatcher, jobEndNotice, type JobEndNotice } from '../../../../shared/job-end-notice.ts';
import { isActive } from '../format/jobs.ts';
import { MAX_TOASTS, toastWanted } from '../format/job-toast.ts';
import type { RouteId } from '../routes.ts';

export interface JobToast extends JobEndNotice {
  /** One per run of a job: its id and attempt (a resumed job that ends again gets a new toast). */
  key: string;
  /** The page the job was started from, which the toast links to. */
  route: RouteId;
}

export class JobToastsState {
  toasts = $state.raw<JobToast[]>([]);
  readonly #watcher = new JobEndWatcher();
  readonly #startedOn = new Map<string, RouteId>();
  readonly #currentRoute: () => RouteId;

  constructor(currentRoute: () => RouteId) {
    this.#currentRoute = currentRoute;
  }

  /** A pushed copy of one job. */
  onJob(job: Job): void {
    if (isActive(job) && !this.#startedOn.has(job.id)) this.#startedOn.set(job.id, this.#currentRoute());
    const ending = this.#watcher.see(job);
    if (isActive(job)) return;
    const key = `${job.id}#${job.attempts}`;
    const shown = this.toasts.find((t) => t.key === key);
    if (ending === null && shown && job.state === shown.ending) {
      // A later copy of the same end (the host's final write): the toast says what jobs:get says.
      const words = jobEndNotice(job, shown.ending);
      if (words.text !== shown.text) this.toasts = this.toasts.map((t) => (t.key === key ? { ...t, ...words } : t));
      return;
    }
    const startedOn = this.#startedOn.get(job.id);
    this.#startedOn.delete(job.id);
    if (ending === null || startedOn === undefined || !toastWanted(startedOn, this.#currentRoute())) return;
    const toast: JobToast = { ...jobEndNotice(job, ending), key, route: startedOn };
    this.toasts = [...this.toasts.filter((t) => t.jobId !== job.id), toast].slice(-MAX_TOASTS);
  }

  dismiss(key: string): void {
    this.toasts = this.toasts.filter((t) => t.key !== key);
  }
}
