// Job workers in the Electron app: `utilityProcess` (Chromium-managed Node child) with the same WorkerHandle shape
// as the fork launcher used headless.
import { utilityProcess } from 'electron';
import type { HostToWorker, WorkerToHost } from '../../shared/worker-protocol.ts';
import type { WorkerHandle, WorkerLauncher } from '../jobs/worker-launcher.ts';

export function utilityProcessLauncher(workerEntry: string): WorkerLauncher {
  return (): WorkerHandle => {
    const child = utilityProcess.fork(workerEntry, [], { serviceName: 'MedBridge job worker', stdio: 'inherit' });
    let exited = false;
    return {
      get pid() {
        return child.pid;
      },
      send: (m: HostToWorker) => {
        if (!exited) child.postMessage(m);
      },
      onMessage: (l) => child.on('message', (m: unknown) => l(m as WorkerToHost)),
      onExit: (l) =>
        child.once('exit', (code: number) => {
          exited = true;
          l(code, code === 0 ? null : 'exited');
        }),
      kill: () => {
        child.kill();
      },
    };
  };
}
