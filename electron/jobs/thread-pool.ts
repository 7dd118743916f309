// A pool of worker threads inside a job's worker process, for per-file work that is independent from file to file
// (reading and decoding DICOM files). Each thread runs one registered thread task (electron/jobs/thread-tasks.ts),
// set up once with data every input shares; `map` hands out inputs to the least busy thread and gives the outputs
// back in input order, with a bounded number in flight (memory stays flat whatever the input count). A thread that
// throws fails that input's result; a thread that dies fails every result still awaited. The threads inherit the
// process's priority (nice 10 for a worker) and end with the pool.
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ThreadTaskName } from './thread-tasks.ts';

/** Threads per pool: one per core, at most this many. */
const MAX_THREADS = 4;
/** Inputs in flight per thread: enough that a thread never waits for the consumer, few enough to bound memory. */
const IN_FLIGHT_PER_THREAD = 3;

const BUNDLED = !import.meta.url.endsWith('.ts');
/** The thread's code: beside this module (bundled: beside the bundle, built from electron/jobs/pool-thread.ts). */
export const THREAD_ENTRY = fileURLToPath(new URL(BUNDLED ? `./pool-thread${extname(fileURLToPath(import.meta.url))}` : './pool-thread.ts', import.meta.url));

/**
 * How a thread starts. Bundled: the entry file. From the TypeScript sources (development, tests without bundles):
 * threads do not inherit the process's `--import tsx`, so a one-line script registers tsx in the thread first.
 */
function startThread(workerData: unknown): Worker {
  if (BUNDLED) return new Worker(THREAD_ENTRY, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./pool-thread.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData });
}

/** One per core, at most MAX_THREADS; MEDBRIDGE_THREADS (a positive integer) overrides it, 1 meaning no pool. */
export function defaultThreadCount(): number {
  const set = Number(process.env.MEDBRIDGE_THREADS);
  if (Number.isInteger(set) && set >= 1) return Math.min(set, 64);
  return Math.max(1, Math.min(MAX_THREADS, availableParallelism()));
}

/** What a thread sends: once that it is set up, then for each input its output or its error. */
export type ThreadReply = { ready: true } | { id: number; ok: true; output: unknown } | { id: number; ok: false; message: string };

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  thread: number;
}

export class ThreadPool<Input, Output> {
  /** Threads started by pools in this process (a job reports it, so a test can tell the pool was used). */
  static threadsStarted = 0;
  private readonly threads: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | null = null;

  /**
   * Starts `size` threads and waits until each has set its task up; rejects (and stops them) when one cannot — the
   * caller can then do the work on its own thread.
   */
  static async start<I, O>(task: ThreadTaskName, shared: unknown, size = defaultThreadCount()): Promise<ThreadPool<I, O>> {
    const pool = new ThreadPool<I, O>();
    const ready = Array.from(
      { length: size },
      (_, t) =>
        new Promise<void>((resolve, reject) => {
          const thread = startThread({ task, shared });
          thread.on('message', (reply: ThreadReply) => ('ready' in reply ? resolve() : pool.settle(reply)));
          thread.on('error', (e) => {
            reject(e);
            pool.fail(t, e);
          });
          thread.on('exit', (code) => {
            const e = new Error(`a reader thread stopped (exit code ${code})`);
            reject(e);
            pool.fail(t, e);
          });
          pool.threads.push(thread);
          pool.busy.push(0);
        }),
    );
    try {
      await Promise.all(ready);
    } catch (e) {
      await pool.close();
      throw e;
    }
    ThreadPool.threadsStarted += size;
    return pool;
  }

  private constructor() {}

  /** Runs every input through the pool; outputs come in input order. Stopping early (return/throw) stops the pool. */
  async *map(inputs: Iterable<Input>): AsyncGenerator<Output> {
    const queue: Promise<Output>[] = [];
    const limit = this.threads.length * IN_FLIGHT_PER_THREAD;
    try {
      for (const input of inputs) {
        if (queue.length >= limit) yield await (queue.shift() as Promise<Output>);
        const p = this.run(input);
        p.catch(() => undefined); // awaited in order below; an early failure must not be an unhandled rejection
        queue.push(p);
      }
      while (queue.length > 0) yield await (queue.shift() as Promise<Output>);
    } finally {
      await this.close();
    }
  }

  private run(input: Input): Promise<Output> {
    if (this.failure) return Promise.reject(this.failure);
    let thread = 0;
    for (let t = 1; t < this.threads.length; t++) if ((this.busy[t] as number) < (this.busy[thread] as number)) thread = t;
    const id = this.nextId++;
    this.busy[thread]!++;
    return new Promise<Output>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, thread });
      this.threads[thread]!.postMessage({ id, input });
    });
  }

  private settle(reply: Exclude<ThreadReply, { ready: true }>): void {
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    this.busy[w.thread]!--;
    if (reply.ok) w.resolve(reply.output);
    else w.reject(new Error(reply.message));
  }

  /** A thread died: everything it was given, and everything given later, fails with its reason. */
  private fail(thread: number, error: Error): void {
    if (this.closing) return;
    this.failure ??= error;
    for (const [id, w] of this.waiting) {
      if (w.thread !== thread) continue;
      this.waiting.delete(id);
      w.reject(error);
    }
  }

  private closing = false;

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all(this.threads.map((t) => t.terminate()));
    for (const w of this.waiting.values()) w.reject(new Error('the import threads were stopped'));
    this.waiting.clear();
  }
}
