// How the CLI reaches the contract: through the host that already holds the workspace (its URL and token are in
// workspace.lock), or by opening the workspace in this process.
import { userInfo } from 'node:os';
import type { CallName, CallOutput } from '../../shared/api/index.ts';
import type { Result } from '../../shared/errors.ts';
import { Core } from '../core/core.ts';
import { forkWorkerLauncher } from '../jobs/worker-launcher.ts';
import { readLiveLock } from '../storage/workspace-lock.ts';

export interface CallClient {
  readonly kind: 'local' | 'remote';
  /**
   * The answer is typed by the contract, like the renderer's client. The input is what the user typed, gathered from
   * flags: it is left to the contract's schema at the host's boundary, which refuses it with the field named.
   */
  call<N extends CallName>(name: N, input: unknown): Promise<Result<CallOutput<N>>>;
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
      call: async <N extends CallName>(name: N, input: unknown) => {
        const res = await fetch(`${base}/api/call/${name}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
        // The host's dispatcher answered: its value is the call's output (checked against the schema in the tests).
        return (await res.json()) as Result<CallOutput<N>>;
      },
      close: () => undefined,
    };
  }
  const core = new Core({ workspaceDir, mode: opts.mode ?? 'cli', actor: cliActor(), launcher: forkWorkerLauncher, init: opts.init ?? false });
  const call = async <N extends CallName>(name: N, input: unknown) => (await core.dispatch(name, input, { actor: cliActor() })) as Result<CallOutput<N>>;
  return { kind: 'local', core, call, close: () => core.close() };
}
