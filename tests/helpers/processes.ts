// What keeps a test file able to end: processes it started are stopped with their whole group, deadlines do not keep
// the file alive, and removing a test folder never throws (a cleanup that throws skips the cleanups after it).
import { rmSync } from 'node:fs';

/** Kills a process group (a host with the job workers it started, Chromium with its helpers); nothing when it is gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** True when `settles` settles within `ms`, false when it does not; the deadline itself keeps nothing alive. */
export function settlesWithin(settles: Promise<unknown>, ms: number): Promise<boolean> {
  const deadline = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
  return Promise.race([
    settles.then(
      () => true,
      () => true,
    ),
    deadline,
  ]);
}

/**
 * Removes a test's folder; a failure is reported, never thrown. A process still writing into the tree can make one
 * attempt fail, hence the retries.
 */
export function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (e) {
    process.stderr.write(`# could not remove ${dir}: ${(e as Error).message}\n`);
  }
}
