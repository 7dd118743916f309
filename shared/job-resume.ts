// Whether resuming a job can succeed: one rule for the host (jobs:resume refuses with `job/not-resumable`) and the
// renderer (Resume is offered only where the host would take it). Pure: types only, no zod, no Node, no DOM.
import type { JobKind, JobState } from './api/jobs.ts';

/** States a job can be resumed from at all: it stopped before the end and kept its checkpoints. */
export const RESUMABLE_STATES: readonly JobState[] = ['cancelled', 'interrupted', 'failed'];

/**
 * Failures of a job's own input, which a resume would read again unchanged and fail on the same way: an import whose
 * source yields nothing (`import/…`: not a zip, no readable rows, every image missing or quarantined, or replaced by a
 * later import of the same content), and a model pack that does not match its manifest or cannot be run.
 */
const INPUT_FAILURE_PREFIXES: readonly string[] = ['import/'];
const INPUT_FAILURE_CODES: ReadonlySet<string> = new Set([
  'model/hash-mismatch',
  'model/invalid-manifest',
  'model/unsupported-architecture',
  'request/invalid-input',
]);

/**
 * Kinds whose attempt keeps nothing between attempts (registration hashes the whole folder again): after a failure,
 * starting again is the same as resuming, and the failure is in the folder, so the job is not offered for resume.
 */
const STARTS_OVER_KINDS: ReadonlySet<string> = new Set(['register-model']);

/** What to do instead of resuming a job that failed on its input, per kind. */
const INSTEAD: Readonly<Record<string, string>> = {
  import: 'Fix the source and import it again.',
  'register-model': 'Fix or re-copy the pack folder and register it again.',
  'convert-model': 'Fix the source folder and convert it again.',
};
const INSTEAD_DEFAULT = 'Start it again with other input.';

export interface ResumeCheck {
  id: string;
  kind: JobKind | string;
  state: JobState;
  error: { code: string } | null;
}

/** A failure caused by the job's input (see above): resuming reads the same input and fails the same way. */
export function isInputFailure(kind: string, code: string): boolean {
  return STARTS_OVER_KINDS.has(kind) || INPUT_FAILURE_CODES.has(code) || INPUT_FAILURE_PREFIXES.some((p) => code.startsWith(p));
}

/** Null when resuming the job can succeed; otherwise why not, in words (the host's error message says the same). */
export function resumeRefusal(job: ResumeCheck): string | null {
  if (!RESUMABLE_STATES.includes(job.state)) return `Job ${job.id} is ${job.state}; only cancelled, interrupted or failed jobs can be resumed.`;
  if (job.state !== 'failed') return null;
  const code = job.error?.code ?? '';
  if (!isInputFailure(job.kind, code)) return null;
  return `Job ${job.id} failed on its input (${code || 'no code'}); resuming would read the same input and fail again. ${INSTEAD[job.kind] ?? INSTEAD_DEFAULT}`;
}

export function canResumeJob(job: ResumeCheck): boolean {
  return resumeRefusal(job) === null;
}
