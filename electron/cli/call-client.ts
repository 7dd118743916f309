// How the CLI reaches the contract: through the host that already holds the workspace (its URL and token are in
// workspace.lock), or by opening the workspace in this process.
import { userInfo } from 'node:os';
import type { Result } from '../../shared/errors.ts';
import { Core } from '../core/core.ts';
import { forkWorkerLauncher } from '../jobs/worker-launcher.ts';
import { readLiveLock } from '../workspace/workspace-lock.ts';

export interface CallClient {
  readonly kind: 'local' | 'remote';
  call(name: string, input: unknown): Promise<Result<unknown>>;
  /** The in-process core, when local (for verbs that wait on jobs). */
  readonly core: Core | null;
  close(): void;
}

export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

export function connect(workspaceDir: string, opts: { init?: boolean; mode?: 'cli' | 'headless' } = {}): CallClient {
  const holder = opts.init ? null : readLiveLock(workspaceDir);
  if (holder?.url && holder.token) {
    const base = holder.url.replace(/\/?(\?.*)?$/, '');
    const token = holder.token;
    return {
      kind: 'remote',
      core: null,
      call: async (name, input) => {
        const res = await fetch(`${base}/api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input ?? {}) });
        return (await res.json()) as Result<unknown>;
      },
      close: () => undefined,
    };
  }
  const core = new Core({ workspaceDir, mode: opts.mode ?? 'cli', actor: cliActor(), launcher: forkWorkerLauncher, init: opts.init ?? false });
  return { kind: 'local', core, call: (name, input) => core.dispatch(name, input, { actor: cliActor() }), close: () => core.close() };
}
