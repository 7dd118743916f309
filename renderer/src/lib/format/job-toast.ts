// When a job's end becomes a toast, and how long a toast stays. Pure, unit-tested (tests/unit/renderer/job-toast.test.ts).
import type { JobEnding } from '../../../../shared/job-end-notice.ts';
import type { RouteId } from '../routes.ts';

/** How long a toast for a job that finished or was cancelled stays, unless the pointer or focus is on it. */
export const TOAST_HIDE_AFTER_MS = 8_000;
/** Toasts shown at once; an older one gives way to a newer. */
export const MAX_TOASTS = 4;

/**
 * A job's end is a toast when the user is on another page than the one it was started from (where its own card shows
 * the end), and not on the Jobs page, which lists every job. `startedOn` is the page shown when the job was first seen
 * running; unknown (never seen running in this window) means no toast.
 */
export function toastWanted(startedOn: RouteId | undefined, current: RouteId): boolean {
  return startedOn !== undefined && current !== startedOn && current !== 'jobs';
}

/** Failures and interruptions stay until dismissed; the rest hide after TOAST_HIDE_AFTER_MS. */
export function hideAfterMs(ending: JobEnding): number | null {
  return ending === 'failed' || ending === 'interrupted' ? null : TOAST_HIDE_AFTER_MS;
}
