// Registering a model pack as a job: the worker reads and hashes every file of the folder (gigabytes for a real
// VLM), reporting progress in MB, so the host and the UI stay responsive; the host records the verified pack in the
// job:done transaction, whose audit entry carries the pack id and file hashes. Hashing only reads, so a resumed
// attempt simply starts the folder again.
import { RegisterModelParams } from '../../../shared/api/models.ts';
import { AppError } from '../../../shared/errors.ts';
import type { InspectedPack } from '../../models/index.ts';
import { ModelsService, inspectFolder, packFolder } from '../../services/models-service.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { WorkerTask } from '../worker-task.ts';

const MB = 1024 * 1024;
/** At most this many progress messages a second (each one crosses to the host and the UI). */
const PROGRESS_EVERY_MS = 100;

/** Thrown from the progress callback to abandon hashing when the user cancels (the worker then reports `cancelled`). */
class StopHashing extends Error {}

interface Input {
  dir: string;
}

function gb(bytes: number): string {
  return bytes >= 1024 * MB ? `${(bytes / (1024 * MB)).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`;
}

export const registerModelHandler: JobKindHandler<RegisterModelParams> = {
  kind: 'register-model',
  params: RegisterModelParams,
  prepareInput(_ws, _jobId, params): Input {
    return { dir: packFolder(params.path) };
  },
  applyCheckpoint() {
    // nothing is committed before the end: the pack is recorded once every file has been verified
  },
  summarise(ws, _jobId, workerResult) {
    const { dir, pack } = workerResult as { dir: string; pack: InspectedPack };
    if (!dir || !pack?.id) throw new AppError('internal', 'The model-pack check finished without a result.', {});
    const r = new ModelsService(ws).record(dir, pack);
    return { packId: r.summary.id, name: r.summary.name, kind: r.summary.kind, created: r.created, relocatedFrom: r.relocatedFrom, files: pack.manifest.files.length, bytes: r.summary.bytes };
  },
};

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
