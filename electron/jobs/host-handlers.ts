// The host halves of the job kinds: validate params, prepare each attempt's input from the database, commit
// checkpoints and summarise (electron/jobs/host/). Only the host imports these; the worker bundle never does.
import type { JobKindHandler } from './job-kind.ts';
import { verifyBlobsHandler } from './host/verify-blobs.ts';
import { compactImagesHandler } from './host/compact-images.ts';
import { importDatasetHandler } from './host/import-dataset.ts';
import { labelModalityHandler } from './host/label-modality.ts';
import { diagnoseHandler } from './host/diagnose.ts';
import { probeHandler } from './host/probe.ts';
import { registerModelHandler } from './host/register-model.ts';
import { convertModelHandler } from './host/convert-model.ts';
import { trainHandler, transferHandler } from './host/train.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one table of handlers whose parameter types differ per kind.
export const JOB_HANDLERS: Record<string, JobKindHandler<any>> = {
  'verify-blobs': verifyBlobsHandler,
  'compact-images': compactImagesHandler,
  import: importDatasetHandler,
  'label-modality': labelModalityHandler,
  'register-model': registerModelHandler,
  'convert-model': convertModelHandler,
  diagnose: diagnoseHandler,
  probe: probeHandler,
  train: trainHandler,
  transfer: transferHandler,
};
