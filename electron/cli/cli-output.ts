// Shared CLI plumbing: usage errors, printing results, waiting for a job (in process or through a running host).
import type { Job } from '../../shared/api/jobs.ts';
import type { Result } from '../../shared/errors.ts';
import type { CallClient } from './call-client.ts';

const REMOTE_POLL_MS = 250;
const TERMINAL = new Set(['done', 'failed', 'cancelled', 'interrupted']);

export { UsageError } from './args.ts';

export function print<T>(json: boolean, result: Result<T>, human: (v: T) => string): number {
  if (!result.ok) {
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stderr.write(`Error [${result.error.code}]: ${result.error.message}\n`);
    return 1;
  }
  process.stdout.write(json ? `${JSON.stringify(result.value)}\n` : `${human(result.value)}\n`);
  return 0;
}

export function formatJob(j: Job): string {
  const pct = j.progress.total > 0 ? Math.round((100 * j.progress.done) / j.progress.total) : null;
  const amount = j.progress.total > 0 ? `${j.progress.done}/${j.progress.total} (${pct}%)` : `${j.progress.done}`;
  return `${j.id}  ${j.kind}  ${j.state}  ${amount}  ${j.error ? j.error.message : j.progress.message}`;
}

/** Waits for a job to end, showing progress on an interactive stderr. */
export async function waitForJob(c: CallClient, id: string, json: boolean): Promise<Job> {
  const show = (j: Job) => {
    if (!json && process.stderr.isTTY) process.stderr.write(`\r${formatJob(j).slice(0, (process.stderr.columns ?? 120) - 1)}`);
  };
  let job: Job;
  if (c.core) {
    const off = c.core.jobs.onJobUpdated((j) => j.id === id && show(j));
    job = await c.core.jobs.waitFor(id);
    off();
  } else {
    for (;;) {
      const r = await c.call('jobs:get', { id });
      if (!r.ok) throw new Error(r.error.message);
      job = r.value as Job;
      show(job);
      if (TERMINAL.has(job.state)) break;
      await new Promise((res) => setTimeout(res, REMOTE_POLL_MS));
    }
  }
  if (!json && process.stderr.isTTY) process.stderr.write('\n');
  return job;
}
