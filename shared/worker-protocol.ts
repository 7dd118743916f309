// Messages between the main process (the only SQLite writer) and a job's worker process.
import type { AppErrorShape } from './errors.ts';

export type HostToWorker =
  { type: 'start'; jobId: string; kind: string; params: unknown; cursor: unknown; input: unknown; workspaceDir: string } | { type: 'cancel' };

export type WorkerToHost =
  | { type: 'progress'; done: number; total: number; message: string }
  /** Output of finished steps plus the cursor after them: committed together in one transaction. */
  | { type: 'checkpoint'; cursor: unknown; output: unknown; done: number; total: number }
  | { type: 'done'; result: Record<string, unknown> }
  | { type: 'cancelled' }
  | { type: 'error'; error: AppErrorShape };
