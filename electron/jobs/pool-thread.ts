// Entry point of a pool thread (electron/jobs/thread-pool.ts): sets up its task from workerData and says it is ready,
// then answers each input message with its output (or the error's message) under the input's id.
import { parentPort, workerData } from 'node:worker_threads';
import type { ThreadReply } from './thread-pool.ts';
import { THREAD_TASKS, type ThreadTaskName } from './thread-tasks.ts';

const { task, shared } = workerData as { task: ThreadTaskName; shared: unknown };
const answer = THREAD_TASKS[task](shared);

parentPort?.postMessage({ ready: true } satisfies ThreadReply);
parentPort?.on('message', (message: { id: number; input: unknown }) => {
  answer(message.input).then(
    ({ output, transfer }) => parentPort?.postMessage({ id: message.id, ok: true, output } satisfies ThreadReply, transfer),
    (e: unknown) => parentPort?.postMessage({ id: message.id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies ThreadReply),
  );
});
