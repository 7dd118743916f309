// How a job's worker process is started: `child_process.fork` in plain Node (headless, CLI, tests);
// the Electron shell supplies a `utilityProcess` launcher with the same shape.
import { fork } from 'node:child_process';
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

export const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

export const forkWorkerLauncher: WorkerLauncher = () => {
  const child = fork(WORKER_ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
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
