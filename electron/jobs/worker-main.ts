// Entry point of a job's worker process. Receives `start`, runs the task, streams progress and checkpoints,
// honours `cancel`, and exits when the host goes away (a worker never outlives its host).
import type { HostToWorker, WorkerToHost } from '../../shared/worker-protocol.ts';
import { AppError } from '../../shared/errors.ts';
import { WORKER_TASKS } from './worker-tasks.ts';

const PROGRESS_MIN_INTERVAL_MS = 100;

/** Electron's utilityProcess gives the child `process.parentPort`; a `child_process.fork` child has `process.send`. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

/**
 * The host is gone (killed, crashed): its end of the IPC channel or of the inherited stdout/stderr is closed. A worker
 * never outlives its host, so it leaves quietly — the host that opens the workspace next marks the job interrupted.
 */
const CLOSED_PIPE_CODES = new Set(['EPIPE', 'ERR_IPC_CHANNEL_CLOSED', 'ERR_IPC_DISCONNECTED', 'ECONNRESET']);

function isClosedPipe(e: unknown): boolean {
  return typeof e === 'object' && e !== null && CLOSED_PIPE_CODES.has(String((e as { code?: unknown }).code));
}

function leaveQuietlyIfClosed(e: unknown): void {
  if (isClosedPipe(e)) process.exit(0);
}

/** Writes to the fork IPC channel (connected); a channel the host closed ends the worker quietly. `then`: once written. */
function sendOnChannel(message: WorkerToHost, then?: () => void): void {
  try {
    process.send?.(message, undefined, {}, (e) => {
      leaveQuietlyIfClosed(e);
      then?.();
    });
  } catch (e) {
    leaveQuietlyIfClosed(e);
    throw e;
  }
}

function send(message: WorkerToHost): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.send && process.connected) sendOnChannel(message);
}

let cancelled = false;
let started = false;

process.on('disconnect', () => process.exit(0));
process.on('error', leaveQuietlyIfClosed);
process.stdout.on('error', leaveQuietlyIfClosed);
process.stderr.on('error', leaveQuietlyIfClosed);
process.on('uncaughtException', (e) => {
  leaveQuietlyIfClosed(e);
  try {
    process.stderr.write(`[medbridge worker] ${(e as Error).stack ?? String(e)}\n`);
  } finally {
    process.exit(1);
  }
});
if (parentPort) parentPort.on('message', (e) => onHostMessage(e.data));
else process.on('message', onHostMessage);

function onHostMessage(raw: unknown): void {
  const message = raw as HostToWorker;
  if (message.type === 'cancel') {
    cancelled = true;
    return;
  }
  if (message.type === 'start' && !started) {
    started = true;
    void runTask(message);
  }
}

async function runTask(start: Extract<HostToWorker, { type: 'start' }>): Promise<void> {
  const task = WORKER_TASKS[start.kind];
  if (!task) {
    send({ type: 'error', error: { code: 'job/failed', message: `This MedBridge build cannot run jobs of kind "${start.kind}".` } });
    process.exit(1);
  }
  let lastProgress = 0;
  try {
    const result = await task.run({
      jobId: start.jobId,
      params: start.params,
      cursor: start.cursor,
      input: start.input,
      workspaceDir: start.workspaceDir,
      cancelled: () => cancelled,
      progress: (done, total, msg) => {
        const now = Date.now();
        // the last step of a known total is always sent; an open-ended count (total 0) is throttled like the rest
        if (now - lastProgress < PROGRESS_MIN_INTERVAL_MS && !(total > 0 && done >= total)) return;
        lastProgress = now;
        send({ type: 'progress', done, total, message: msg });
      },
      checkpoint: (cursor, output, done, total) => send({ type: 'checkpoint', cursor, output, done, total }),
    });
    sendFinal(cancelled ? { type: 'cancelled' } : { type: 'done', result });
  } catch (e) {
    const error = e instanceof AppError ? e.toShape() : { code: 'job/failed', message: `The job stopped with an internal error: ${(e as Error).message}` };
    sendFinal({ type: 'error', error });
  }
}

/** Sends the last message and leaves once it has been written to the channel. */
function sendFinal(message: WorkerToHost): void {
  if (parentPort) {
    parentPort.postMessage(message);
    setImmediate(() => process.exit(0));
    return;
  }
  if (!process.send || !process.connected) process.exit(0);
  sendOnChannel(message, () => process.disconnect());
}
