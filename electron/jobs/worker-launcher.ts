// How a job's worker process is started: `child_process.fork` in plain Node (headless, CLI, tests);
// the Electron shell supplies a `utilityProcess` launcher with the same shape.
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostToWorker, WorkerToHost } from '../../shared/worker-protocol.ts';

export interface WorkerHandle {
  readonly pid: number | undefined;
  send(message: HostToWorker): void;
  onMessage(listener: (message: WorkerToHost) => void): void;
  /** Called once when the process ends; `signal` is set when it was killed. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type WorkerLauncher = () => WorkerHandle;

/** Workers run at a lower CPU priority (Unix nice 10) so the host answering the UI is scheduled first. */
export const WORKER_NICE = 10;

export function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, WORKER_NICE);
  } catch {
    // Not permitted on this platform or account: the worker keeps normal priority.
  }
}

/** True when this module runs from a bundle (dist/…/*.js or *.mjs) rather than from its TypeScript source. */
const BUNDLED = !import.meta.url.endsWith('.ts');

/**
 * The worker's code: a prebuilt worker bundle named by MEDBRIDGE_WORKER_BUNDLE (the test runner builds one per run, so
 * hundreds of jobs do not each compile the sources), else beside this module when it is itself bundled, else the
 * TypeScript source through tsx.
 */
export const WORKER_ENTRY =
  process.env.MEDBRIDGE_WORKER_BUNDLE ??
  fileURLToPath(new URL(BUNDLED ? `./worker-main${extname(fileURLToPath(import.meta.url))}` : './worker-main.ts', import.meta.url));

/** tsx resolved from this file, not from the working directory: the CLI may be run from any folder. */
const workerExecArgv = (): string[] => (WORKER_ENTRY.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : []);

export const forkWorkerLauncher: WorkerLauncher = () => {
  const child = fork(WORKER_ENTRY, [], {
    execArgv: workerExecArgv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  lowerPriority(child.pid);
  return {
    pid: child.pid,
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (l) => child.on('message', (m) => l(m as WorkerToHost)),
    onExit: (l) => child.once('exit', (code, signal) => l(code, signal)),
    kill: () => child.kill('SIGKILL'),
  };
};
