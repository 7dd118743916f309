// The worker-side half of a job kind: does the work, never touches SQLite.
export interface WorkerContext<P, C, I> {
  readonly jobId: string;
  readonly params: P;
  /** The last committed cursor (null on a fresh start). */
  readonly cursor: C | null;
  /** What the host prepared for this attempt (e.g. the items still to do). */
  readonly input: I;
  readonly workspaceDir: string;
  /** True once the host asked to cancel; tasks check it between steps. */
  cancelled(): boolean;
  progress(done: number, total: number, message: string): void;
  /** Hands finished output and the cursor after it to the host, which commits both in one transaction. */
  checkpoint(cursor: C, output: unknown, done: number, total: number): void;
}

export interface WorkerTask<P = unknown, C = unknown, I = unknown> {
  readonly kind: string;
  run(ctx: WorkerContext<P, C, I>): Promise<Record<string, unknown>>;
}
