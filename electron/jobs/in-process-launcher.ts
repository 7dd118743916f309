// A WorkerLauncher that runs the worker task inside this process (same messages, same host path: checkpoints,
// commits, audit). For tests that start thousands of jobs (fuzzing) and tools that must not spawn processes.
// The product uses forked / utility processes so the host stays responsive.
import type { HostToWorker, WorkerToHost } from '../../shared/worker-protocol.ts';
import { AppError } from '../../shared/errors.ts';
import { WORKER_TASKS } from './worker-tasks.ts';
import type { WorkerHandle, WorkerLauncher } from './worker-launcher.ts';

export const inProcessLauncher: WorkerLauncher = (): WorkerHandle => {
  let onMessage: (m: WorkerToHost) => void = () => undefined;
  let onExit: (code: number | null, signal: string | null) => void = () => undefined;
  let cancelled = false;
  let exited = false;
  const deliver = (m: WorkerToHost) => {
    if (!exited) setImmediate(() => onMessage(m));
  };
  const exit = (code: number | null, signal: string | null) => {
    if (exited) return;
    // After the last message has been delivered.
    setImmediate(() =>
      setImmediate(() => {
        exited = true;
        onExit(code, signal);
      }),
    );
  };
  const start = async (m: Extract<HostToWorker, { type: 'start' }>) => {
    const task = WORKER_TASKS[m.kind];
    if (!task) {
      deliver({ type: 'error', error: { code: 'job/failed', message: `Unknown job kind ${m.kind}` } });
      return exit(1, null);
    }
    try {
      const result = await task.run({
        jobId: m.jobId,
        params: m.params,
        cursor: m.cursor,
        input: m.input,
        workspaceDir: m.workspaceDir,
        cancelled: () => cancelled,
        progress: (done, total, message) => deliver({ type: 'progress', done, total, message }),
        checkpoint: (cursor, output, done, total) => deliver({ type: 'checkpoint', cursor, output, done, total }),
      });
      deliver(cancelled ? { type: 'cancelled' } : { type: 'done', result });
      exit(0, null);
    } catch (e) {
      deliver({ type: 'error', error: e instanceof AppError ? e.toShape() : { code: 'job/failed', message: (e as Error).message } });
      exit(1, null);
    }
  };
  return {
    pid: process.pid,
    send: (m) => {
      if (m.type === 'cancel') cancelled = true;
      else void start(m);
    },
    onMessage: (l) => (onMessage = l),
    onExit: (l) => (onExit = l),
    kill: () => {
      cancelled = true;
      exit(null, 'SIGKILL');
    },
  };
};
