// The worker halves of the job kinds: do the work, never touch SQLite (electron/jobs/worker/). The worker bundle is
// built from worker-main.ts through this file; tests/integration/build/worker-bundle.test.ts checks that it pulls in
// no service, no workspace and no database driver.
import type { WorkerTask } from './worker-task.ts';
import { verifyBlobsTask } from './worker/verify-blobs.ts';
import { compactImagesTask } from './worker/compact-images.ts';
import { importDatasetTask } from './worker/import-dataset.ts';
import { labelModalityTask } from './worker/label-modality.ts';
import { diagnoseTask } from './worker/diagnose.ts';
import { probeTask } from './worker/probe.ts';
import { registerModelTask } from './worker/register-model.ts';
import { convertModelTask } from './worker/convert-model.ts';
import { trainTask, transferTask } from './worker/train.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one table of tasks whose parameter, result and progress types differ per kind.
export const WORKER_TASKS: Record<string, WorkerTask<any, any, any>> = {
  'verify-blobs': verifyBlobsTask,
  'compact-images': compactImagesTask,
  import: importDatasetTask,
  'label-modality': labelModalityTask,
  'register-model': registerModelTask,
  'convert-model': convertModelTask,
  diagnose: diagnoseTask,
  probe: probeTask,
  train: trainTask,
  transfer: transferTask,
};
