// The worker half of this job kind (its host half: electron/jobs/host/label-modality.ts).
// Modality auto-labelling job (design.md §5): for a dataset's items whose modality is `none`, try the layers in order —
// DICOM tag (already applied at import) → text rules on the question → a classifier on image features trained on
// every item in the workspace whose modality is trusted (source, DICOM tag, manual) → `none` below the threshold.
// Worker: computes features from the stored thumbnails, trains, labels; host: writes labels with their source and
// confidence, checkpoint by checkpoint.
import sharp from 'sharp';
import { z } from 'zod';
import { cheapImageFeatures, labelItem, trainModalityClassifier, type LabelledFeatures } from '../../../shared/modality/index.ts';
import type { LabelSource, Modality } from '../../../shared/items.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { WorkerTask } from '../worker-task.ts';

export const LabelModalityParams = z.strictObject({
  datasetId: z.string().min(1),
  threshold: z.number().min(0).max(1).default(0.6),
  seed: z.number().int().default(7),
});

export type LabelModalityParams = z.infer<typeof LabelModalityParams>;

const CHECKPOINT_EVERY = 100;

export type Cursor = { done: number };

export interface Target {
  id: string;
  question: string;
  thumb: string | null;
}

export interface Example {
  thumb: string;
  modality: Modality;
  source: LabelSource;
}

export type Input = { targets: Target[]; examples: Example[]; total: number };

export type Output = Array<{ id: string; modality: Modality; source: LabelSource; confidence: number }>;

async function features(store: BlobStore, thumb: string | null): Promise<Float64Array | null> {
  if (!thumb) return null;
  const { data, info } = await sharp(store.get(thumb)).raw().toBuffer({ resolveWithObject: true });
  return cheapImageFeatures({
    width: info.width,
    height: info.height,
    channels: info.channels,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
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
