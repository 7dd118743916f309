// Which audited changes a call made: the dispatcher runs each call inside `trackChanges`, and Workspace.change notes
// every change it commits in the call it belongs to (AsyncLocalStorage follows the call through its awaits). Changes
// made outside any call (a job's progress, checkpoints and end, written by the job runner) are not attributed.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string[]>();

/** Runs `fn` and returns its result with the audit actions of the changes it committed, in order. */
export async function trackChanges<T>(fn: () => Promise<T> | T): Promise<{ value: T; changes: string[] }> {
  const changes: string[] = [];
  const value = await current.run(changes, fn);
  return { value, changes };
}

/** Called by Workspace.change after a commit. */
export function noteChange(action: string): void {
  current.getStore()?.push(action);
}
