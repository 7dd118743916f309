// The host half of this job kind (its worker half: electron/jobs/worker/convert-model.ts).
// Converting a Hugging Face VLM folder into a model pack, as a job: the worker hashes the source folder (its
// identity goes into the pack's provenance), runs the Python converter into a staging folder beside the target
// (progress per stage), writes manifest.json with the SHA-256 of every file, and renames the staging folder into
// place; the host then records the pack in the job:done transaction (audited with the file hashes and the
// conversion provenance). Cancel or failure removes the staging folder; a resumed attempt starts again.
import { ConvertModelParams } from '../../../shared/api/models.ts';
import { AppError } from '../../../shared/errors.ts';
import { type InspectedPack } from '../../models/index.ts';
import { ModelsService } from '../../services/models-service.ts';
import type { JobKindHandler } from '../job-kind.ts';

export const convertModelHandler: JobKindHandler<ConvertModelParams> = {
  kind: 'convert-model',
  params: ConvertModelParams,
  prepareInput(_ws, _jobId, params) {
    return params;
  },
  applyCheckpoint() {
    // nothing is committed before the end: the pack is recorded once it is complete and verified
  },
  summarise(ws, _jobId, workerResult, tx) {
    const { dir, pack, conversion } = workerResult as { dir: string; pack: InspectedPack; conversion: Record<string, unknown> };
    if (!dir || !pack?.id) throw new AppError('internal', 'The conversion finished without a result.', {});
    const r = new ModelsService(ws).record(dir, pack, tx);
    return {
      packId: r.summary.id,
      name: r.summary.name,
      kind: r.summary.kind,
      created: r.created,
      files: pack.manifest.files.length,
      bytes: r.summary.bytes,
      path: dir,
      conversion,
    };
  },
};
