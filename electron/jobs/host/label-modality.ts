// The host half of this job kind (its worker half: electron/jobs/worker/label-modality.ts).
// Modality auto-labelling job (design.md §5): for a dataset's items whose modality is `none`, try the layers in order —
// DICOM tag (already applied at import) → text rules on the question → a classifier on image features trained on
// every item in the workspace whose modality is trusted (source, DICOM tag, manual) → `none` below the threshold.
// Worker: computes features from the stored thumbnails, trains, labels; host: writes labels with their source and
// confidence, checkpoint by checkpoint.
import type { Modality } from '../../../shared/items.ts';
import { AppError } from '../../../shared/errors.ts';
import type { JobKindHandler } from '../job-kind.ts';
import { LabelModalityParams, type Cursor, type Target, type Example, type Input, type Output } from '../worker/label-modality.ts';

/** At most this many trusted examples per modality train the classifier (enough for a linear model on ~40 features). */
const TRAINING_PER_MODALITY = 400;

export const labelModalityHandler: JobKindHandler<LabelModalityParams> = {
  kind: 'label-modality',
  params: LabelModalityParams,
  create(ws, _jobId, params) {
    const row = ws.db.prepare('SELECT state FROM datasets WHERE id = ?').get(params.datasetId) as { state: string } | undefined;
    if (!row) throw new AppError('not-found', `There is no dataset ${params.datasetId} in this workspace.`, { dataset: params.datasetId });
    return { dataset: params.datasetId };
  },
  prepareInput(ws, _jobId, params, cursor): Input {
    const done = (cursor as Cursor | null)?.done ?? 0;
    const all = ws.db.prepare("SELECT id, question, thumb_hash AS thumb FROM items WHERE dataset_id = ? AND modality = 'none' ORDER BY id").all(params.datasetId) as Target[];
    const examples: Example[] = [];
    const modalities = ws.db.prepare("SELECT DISTINCT modality FROM items WHERE modality <> 'none' AND modality_source IN ('source','dicom-tag','manual') AND thumb_hash IS NOT NULL").all() as Array<{ modality: Modality }>;
    for (const m of modalities) {
      examples.push(...(ws.db.prepare("SELECT thumb_hash AS thumb, modality, modality_source AS source FROM items WHERE modality = ? AND modality_source IN ('source','dicom-tag','manual') AND thumb_hash IS NOT NULL ORDER BY id LIMIT ?").all(m.modality, TRAINING_PER_MODALITY) as Example[]));
    }
    // Resume: the first `done` targets were labelled already (they are no longer `none`, or were confirmed `none`).
    return { targets: all.slice(0), examples, total: done + all.length };
  },
  applyCheckpoint(ws, _ctx, raw) {
    const set = ws.db.prepare('UPDATE items SET modality = ?, modality_source = ?, modality_confidence = ? WHERE id = ?');
    for (const l of raw as Output) set.run(l.modality, l.source, l.confidence, l.id);
  },
  summarise(ws, _jobId, result) {
    return { ...result };
  },
};
