// A run's id from the id of the job that made it (diagnose, probe, train, transfer): `job-<uuid>` → `run-<uuid>`.
// One rule for the host, which names the run when the job starts, and the renderer, which links a job to its run.

export const RUN_ID_PREFIX = 'run-';

export function runIdForJob(jobId: string): string {
  return `${RUN_ID_PREFIX}${jobId.replace(/^job-/, '')}`;
}
