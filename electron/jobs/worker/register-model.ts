// The worker half of this job kind (its host half: electron/jobs/host/register-model.ts).
// Registering a model pack as a job: the worker reads and hashes every file of the folder (gigabytes for a real
// VLM), reporting progress in MB, so the host and the UI stay responsive; the host records the verified pack in the
// job:done transaction, whose audit entry carries the pack id and file hashes. Hashing only reads, so a resumed
// attempt simply starts the folder again.
import { RegisterModelParams } from '../../../shared/api/models.ts';
import type { InspectedPack } from '../../models/index.ts';
import { inspectFolder } from '../../models/pack-folder.ts';
import type { WorkerTask } from '../worker-task.ts';

const MB = 1024 * 1024;

/** At most this many progress messages a second (each one crosses to the host and the UI). */
const PROGRESS_EVERY_MS = 100;

/** Thrown from the progress callback to abandon hashing when the user cancels (the worker then reports `cancelled`). */
class StopHashing extends Error {}

export interface Input {
  dir: string;
}

function gb(bytes: number): string {
  return bytes >= 1024 * MB ? `${(bytes / (1024 * MB)).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`;
}

export const registerModelTask: WorkerTask<RegisterModelParams, never, Input> = {
  kind: 'register-model',
  async run(ctx) {
    const { dir } = ctx.input;
    let last = 0;
    ctx.progress(0, 0, `Checking the model pack at ${dir}…`);
    let pack: InspectedPack;
    try {
      pack = await inspectFolder(dir, (p) => {
        if (ctx.cancelled()) throw new StopHashing();
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS && p.done < p.total) return;
        last = now;
        ctx.progress(Math.round(p.done / MB), Math.round(p.total / MB), `Checked ${gb(p.done)} of ${gb(p.total)} (${p.file})`);
      });
    } catch (e) {
      if (e instanceof StopHashing) return {};
      throw e;
    }
    return { dir, pack };
  },
};
