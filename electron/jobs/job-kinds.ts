// The registry of job kinds, host side and worker side.
import type { JobKindHandler } from './job-kind.ts';
import type { WorkerTask } from './worker-task.ts';
import { verifyBlobsHandler, verifyBlobsTask } from './tasks/verify-blobs.ts';
import { importDatasetHandler, importDatasetTask } from './tasks/import-dataset.ts';

export const JOB_HANDLERS: Record<string, JobKindHandler<any>> = {
  'verify-blobs': verifyBlobsHandler,
  import: importDatasetHandler,
};

export const WORKER_TASKS: Record<string, WorkerTask<any, any, any>> = {
  'verify-blobs': verifyBlobsTask,
  import: importDatasetTask,
};
