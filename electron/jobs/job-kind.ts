// The host-side half of a job kind: validates params, prepares each attempt's input from the database,
// and commits checkpoint output (inside the runner's transaction). Only this side writes SQLite.
import type { z } from 'zod';
import type { Workspace } from '../storage/workspace.ts';
import type { WriteDb } from '../storage/sql-handles.ts';

export interface CheckpointContext {
  readonly jobId: string;
  readonly attempt: number;
}

export interface JobKindHandler<P = unknown> {
  readonly kind: string;
  readonly params: z.ZodType<P>;
  /** Creates the rows the job works on (e.g. the dataset being imported), inside the job:start transaction. */
  create?(ws: Workspace, jobId: string, params: P, tx: WriteDb): Record<string, unknown>;
  prepareInput(ws: Workspace, jobId: string, params: P, cursor: unknown): unknown;
  applyCheckpoint(ws: Workspace, ctx: CheckpointContext, output: unknown, tx: WriteDb): void;
  /** Summarises the committed output into the job's result (on done), inside the job:done transaction. */
  summarise(ws: Workspace, jobId: string, workerResult: Record<string, unknown>, tx: WriteDb): Record<string, unknown>;
  /** After the job:done transaction has committed: work outside the database that must follow it (deleting files). */
  afterCommit?(ws: Workspace, jobId: string): void;
}
