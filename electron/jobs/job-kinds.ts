// The registry of job kinds, host side and worker side.
import type { JobKindHandler } from './job-kind.ts';
import type { WorkerTask } from './worker-task.ts';
import { verifyBlobsHandler, verifyBlobsTask } from './tasks/verify-blobs.ts';
import { importDatasetHandler, importDatasetTask } from './tasks/import-dataset.ts';
import { labelModalityHandler, labelModalityTask } from './tasks/label-modality.ts';
import { diagnoseHandler, diagnoseTask } from './tasks/diagnose.ts';
import { probeHandler, probeTask } from './tasks/probe.ts';
import { registerModelHandler, registerModelTask } from './tasks/register-model.ts';
import { convertModelHandler, convertModelTask } from './tasks/convert-model.ts';
import { trainHandler, trainTask, transferHandler, transferTask } from './tasks/train.ts';

export const JOB_HANDLERS: Record<string, JobKindHandler<any>> = {
  'verify-blobs': verifyBlobsHandler,
  import: importDatasetHandler,
  'label-modality': labelModalityHandler,
  'register-model': registerModelHandler,
  'convert-model': convertModelHandler,
  diagnose: diagnoseHandler,
  probe: probeHandler,
  train: trainHandler,
  transfer: transferHandler,
};

export const WORKER_TASKS: Record<string, WorkerTask<any, any, any>> = {
  'verify-blobs': verifyBlobsTask,
  import: importDatasetTask,
  'label-modality': labelModalityTask,
  'register-model': registerModelTask,
  'convert-model': convertModelTask,
  diagnose: diagnoseTask,
  probe: probeTask,
  train: trainTask,
  transfer: transferTask,
};
