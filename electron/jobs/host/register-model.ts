// The host half of this job kind (its worker half: electron/jobs/worker/register-model.ts).
// Registering a model pack as a job: the worker reads and hashes every file of the folder (gigabytes for a real
// VLM), reporting progress in MB, so the host and the UI stay responsive; the host records the verified pack in the
// job:done transaction, whose audit entry carries the pack id and file hashes. Hashing only reads, so a resumed
// attempt simply starts the folder again.
import { RegisterModelParams } from '../../../shared/api/models.ts';
import { AppError } from '../../../shared/errors.ts';
import type { InspectedPack } from '../../models/index.ts';
import { packFolder } from '../../models/pack-folder.ts';
import { ModelsService } from '../../services/models-service.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { Input } from '../worker/register-model.ts';

export const registerModelHandler: JobKindHandler<RegisterModelParams> = {
  kind: 'register-model',
  params: RegisterModelParams,
  prepareInput(_ws, _jobId, params): Input {
    return { dir: packFolder(params.path) };
  },
  applyCheckpoint() {
    // nothing is committed before the end: the pack is recorded once every file has been verified
  },
  summarise(ws, _jobId, workerResult, tx) {
    const { dir, pack } = workerResult as { dir: string; pack: InspectedPack };
    if (!dir || !pack?.id) throw new AppError('internal', 'The model-pack check finished without a result.', {});
    const r = new ModelsService(ws).record(dir, pack, tx);
    return {
      packId: r.summary.id,
      name: r.summary.name,
      kind: r.summary.kind,
      created: r.created,
      relocatedFrom: r.relocatedFrom,
      files: pack.manifest.files.length,
      bytes: r.summary.bytes,
    };
  },
};
