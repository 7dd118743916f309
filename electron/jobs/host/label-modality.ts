// The host half of this job kind (its worker half: electron/jobs/worker/label-modality.ts).
// Modality auto-labelling job (design.md §5): for a dataset's items whose modality is `none`, try the layers in order —
// DICOM tag (already applied at import) → text rules on the question → a classifier on image features trained on
// every item in the workspace whose modality is trusted (source, DICOM tag, manual) → `none` below the threshold.
// Worker: computes features from the stored thumbnails, trains, labels; host: writes labels with their source and
// confidence, checkpoint by checkpoint.
import { AppError } from '../../../shared/errors.ts';
import type { JobKindHandler } from '../job-kind.ts';
import { datasetRowState } from '../../storage/repositories/datasets.ts';
import { setModalityLabel, trustedModalities, trustedModalityExamples, unlabelledItemsOfDataset } from '../../storage/repositories/items.ts';
import { LabelModalityParams, type Cursor, type Target, type Example, type Input, type Output } from '../worker/label-modality.ts';

/** At most this many trusted examples per modality train the classifier (enough for a linear model on ~40 features). */
const TRAINING_PER_MODALITY = 400;

export const labelModalityHandler: JobKindHandler<LabelModalityParams> = {
  kind: 'label-modality',
  params: LabelModalityParams,
  create(_ws, _jobId, params, tx) {
    if (datasetRowState(tx, params.datasetId) === undefined)
      throw new AppError('not-found', `There is no dataset ${params.datasetId} in this workspace.`, { dataset: params.datasetId });
    return { dataset: params.datasetId };
  },
  prepareInput(ws, _jobId, params, cursor): Input {
    const done = (cursor as Cursor | null)?.done ?? 0;
    const all: Target[] = unlabelledItemsOfDataset(ws.read, params.datasetId);
    const examples: Example[] = [];
    for (const modality of trustedModalities(ws.read)) {
      examples.push(...trustedModalityExamples(ws.read, modality, TRAINING_PER_MODALITY));
    }
    // Resume: the first `done` targets were labelled already (they are no longer `none`, or were confirmed `none`).
    return { targets: all.slice(0), examples, total: done + all.length };
  },
  applyCheckpoint(_ws, _ctx, raw, tx) {
    for (const l of raw as Output) setModalityLabel(tx, l.id, l.modality, l.source, l.confidence);
  },
  summarise(ws, _jobId, result) {
    return { ...result };
  },
};
