// The worker half of this job kind (its host half: electron/jobs/host/probe.ts).
// Linear-probe job (design.md §1 "Perception vs alignment"). Any pack kind, vision-only packs included (only the
// image encoder is opened). Worker: frozen image embeddings of every item of the
// version (feature cache first, keyed by the image-embedding template), then one multinomial logistic regression per
// task (shared/probe: train → fit, val → L2, test → accuracy with a Wilson interval). Host: commits cache rows with
// the cursor; on done stores the probe report beside the VLM's numbers from the latest diagnosis of the same pack
// and version. Resume re-reads embeddings already committed from the cache.
import { ProbeParams, type ProbeTaskResult } from '../../../shared/api/runs.ts';
import { AppError } from '../../../shared/errors.ts';
import { trainLinearProbe } from '../../../shared/probe/index.ts';
import { openImageEncoder, packLoadMessage } from '../../models/open-model.ts';
import { embedBatch, type CacheCounts, type NewCacheEntry } from '../../diagnosis/score-items.ts';
import { IMAGE_EMBEDDING_TEMPLATE_HASH } from '../../diagnosis/template-hash.ts';
import type { ImageEncoder } from '../../models/index.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { WorkerTask } from '../worker-task.ts';

export const PROBE_BATCH_IMAGES = 64;

/** `answer` is the right option's text: importers may shuffle option lists per item, so classes are texts, not indices. */
export interface ProbeRow {
  imageHash: string;
  cached: string | null;
  answer: string;
  options: string[];
  split: string;
  task: string;
  modality: string;
}

export type Cursor = { done: number };

export interface Input {
  packId: string;
  packKind: string;
  packDir: string;
  rows: ProbeRow[];
  seed: number;
}

export interface Output {
  cache: NewCacheEntry[];
  counts: CacheCounts;
  provider: unknown;
}

export type TaskResult = Omit<ProbeTaskResult, 'vlm' | 'referenceAccuracy'>;

/** One probe per task: its classes are the task's option texts, sorted. */
export function probeTasks(rows: readonly ProbeRow[], features: readonly Float32Array[], seed: number): Record<string, TaskResult> {
  const byTask = new Map<string, number[]>();
  rows.forEach((r, i) => byTask.set(r.task, [...(byTask.get(r.task) ?? []), i]));
  const out: Record<string, TaskResult> = {};
  for (const [task, idx] of [...byTask].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const first = rows[idx[0] as number] as ProbeRow;
    const classNames = [...new Set(idx.flatMap((i) => (rows[i] as ProbeRow).options))].sort();
    const classOf = new Map(classNames.map((name, c) => [name, c]));
    const count = (s: string) => idx.filter((i) => (rows[i] as ProbeRow).split === s).length;
    const base: TaskResult = {
      task,
      modality: first.modality,
      classes: classNames.length,
      counts: { train: count('train'), val: count('val'), test: count('test'), valCarvedFromTrain: false },
      l2: null,
      accuracy: null,
      accuracyCi: null,
      valAccuracy: null,
      note: null,
    };
    try {
      const r = trainLinearProbe(
        {
          features: idx.map((i) => features[i] as Float32Array),
          labels: idx.map((i) => classOf.get((rows[i] as ProbeRow).answer) as number),
          splits: idx.map((i) => (rows[i] as ProbeRow).split),
          classes: classNames.length,
        },
        { seed },
      );
      out[task] = {
        ...base,
        classes: r.classes,
        counts: r.counts,
        l2: r.l2,
        valAccuracy: r.val.accuracy,
        accuracy: r.test?.accuracy ?? null,
        accuracyCi: r.test?.accuracyCi ?? null,
        note: r.test ? null : 'No test items in this task, so no test accuracy.',
      };
    } catch (e) {
      out[task] = { ...base, note: `No probe for this task: ${(e as Error).message}.` };
    }
  }
  return out;
}

export const probeTask: WorkerTask<ProbeParams, Cursor, Input> = {
  kind: 'probe',
  async run(ctx) {
    const { rows } = ctx.input;
    const store = new BlobStore(ctx.workspaceDir);
    let runner: ImageEncoder | null = null;
    let provider: unknown = null;
    const getRunner = async () => {
      if (!runner) {
        ctx.progress(0, rows.length, 'Loading the model pack (checking its files)…');
        runner = await openImageEncoder(
          ctx.input.packKind,
          ctx.input.packDir,
          ctx.workspaceDir,
          packLoadMessage((m) => ctx.progress(0, rows.length, m)),
        );
        if (runner.packId !== ctx.input.packId)
          throw new AppError(
            'model/hash-mismatch',
            `The model pack folder ${ctx.input.packDir} changed since it was registered (its files no longer match pack ${ctx.input.packId.slice(0, 12)}…). Register it again with "models add".`,
            { path: ctx.input.packDir },
          );
        provider = runner.executionProvider;
      }
      return runner;
    };
    const features: Float32Array[] = [];
    try {
      for (let start = 0; start < rows.length; start += PROBE_BATCH_IMAGES) {
        if (ctx.cancelled()) return { cancelled: true };
        const out = await embedBatch(rows.slice(start, start + PROBE_BATCH_IMAGES), IMAGE_EMBEDDING_TEMPLATE_HASH, store, getRunner);
        features.push(...out.features);
        ctx.checkpoint({ done: features.length }, { cache: out.cache, counts: out.counts, provider } satisfies Output, features.length, rows.length);
        provider = null;
        ctx.progress(features.length, rows.length, `Embedded ${features.length} of ${rows.length} images`);
      }
    } finally {
      if (runner) await (runner as ImageEncoder).dispose();
    }
    ctx.progress(rows.length, rows.length, 'Fitting one linear probe per task…');
    return { probe: { dim: features[0]?.length ?? 0, byTask: probeTasks(rows, features, ctx.input.seed) } };
  },
};
