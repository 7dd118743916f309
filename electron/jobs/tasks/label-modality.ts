// Modality auto-labelling job (design.md §5): for a dataset's items whose modality is `none`, try the layers in order —
// DICOM tag (already applied at import) → text rules on the question → a classifier on image features trained on
// every item in the workspace whose modality is trusted (source, DICOM tag, manual) → `none` below the threshold.
// Worker: computes features from the stored thumbnails, trains, labels; host: writes labels with their source and
// confidence, checkpoint by checkpoint.
import sharp from 'sharp';
import { z } from 'zod';
import { cheapImageFeatures, labelItem, trainModalityClassifier, type LabelledFeatures } from '../../../shared/modality/index.ts';
import type { LabelSource, Modality } from '../../../shared/items.ts';
import { AppError } from '../../../shared/errors.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { JobKindHandler } from '../job-kind.ts';
import type { WorkerTask } from '../worker-task.ts';

export const LabelModalityParams = z.strictObject({ datasetId: z.string().min(1), threshold: z.number().min(0).max(1).default(0.6), seed: z.number().int().default(7) });
export type LabelModalityParams = z.infer<typeof LabelModalityParams>;

/** At most this many trusted examples per modality train the classifier (enough for a linear model on ~40 features). */
const TRAINING_PER_MODALITY = 400;
const CHECKPOINT_EVERY = 100;

type Cursor = { done: number };
interface Target { id: string; question: string; thumb: string | null }
interface Example { thumb: string; modality: Modality; source: LabelSource }
type Input = { targets: Target[]; examples: Example[]; total: number };
type Output = Array<{ id: string; modality: Modality; source: LabelSource; confidence: number }>;

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

async function features(store: BlobStore, thumb: string | null): Promise<Float64Array | null> {
  if (!thumb) return null;
  const { data, info } = await sharp(store.get(thumb)).raw().toBuffer({ resolveWithObject: true });
  return cheapImageFeatures({ width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

export const labelModalityTask: WorkerTask<LabelModalityParams, Cursor, Input> = {
  kind: 'label-modality',
  async run(ctx) {
    const store = new BlobStore(ctx.workspaceDir);
    const training: LabelledFeatures[] = [];
    for (const e of ctx.input.examples) {
      const f = await features(store, e.thumb);
      if (f) training.push({ features: f, modality: e.modality, source: e.source });
    }
    const classes = new Set(training.map((t) => t.modality));
    const classifier = classes.size >= 2 ? trainModalityClassifier(training, { seed: ctx.params.seed }) : null;
    let done = ctx.cursor?.done ?? 0;
    const bySource: Record<string, number> = {};
    const byModality: Record<string, number> = {};
    let pending: Output = [];
    for (const t of ctx.input.targets) {
      if (ctx.cancelled()) break;
      const decision = labelItem({ question: t.question, features: await features(store, t.thumb) }, { classifier, threshold: ctx.params.threshold });
      const label = decision.label;
      pending.push({ id: t.id, modality: label.modality, source: label.modality === 'none' ? 'none' : label.source, confidence: label.confidence });
      bySource[label.source] = (bySource[label.source] ?? 0) + 1;
      byModality[label.modality] = (byModality[label.modality] ?? 0) + 1;
      done++;
      ctx.progress(done, ctx.input.total, `Labelled ${done} of ${ctx.input.total} items`);
      if (pending.length >= CHECKPOINT_EVERY) {
        ctx.checkpoint({ done }, pending, done, ctx.input.total);
        pending = [];
      }
    }
    if (pending.length) ctx.checkpoint({ done }, pending, done, ctx.input.total);
    return { labelled: done, bySource, byModality, classifierClasses: [...classes].sort(), trainingExamples: training.length };
  },
};
