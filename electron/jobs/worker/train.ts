// The worker half of this job kind (its host half: electron/jobs/host/train.ts).
// `train` and `transfer` jobs. Host: creates the run (pack hash, version, init run, config, seed, environment),
// hands the worker the version's train/val items (options in display order, GRPO-CARE permutations, feature-cache
// hits), and commits each checkpoint — new cache rows, run events (loss, reward, KL, consistency, val Accuracy@1 /
// Pass@K), the trainer-state and adapter blobs (runs.adapter_hash follows the last checkpoint, so a cancelled run
// keeps it) — with the cursor in one transaction; a `support-collapse` is also an audit entry. On the final
// checkpoint it stores the validation items and the metrics report (or the transfer matrix).
// Worker: this file, with the loop in electron/training/train-loop.ts.
import { TrainParams, TransferParams } from '../../../shared/api/training.ts';
import { AppError } from '../../../shared/errors.ts';
import { openRunner, packLoadMessage } from '../../models/open-model.ts';
import type { CachedFeatures } from '../../diagnosis/feature-blob.ts';
import type { ModelPackRunner } from '../../models/index.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import type { WorkerTask } from '../worker-task.ts';
import { loadFeatures, type FeatureKey, type TrainWorkItem } from '../../training/train-features.ts';
import { INITIAL_CURSOR, buildItems, runTrainingLoop, type TrainCursor } from '../../training/train-loop.ts';

export interface Input {
  packId: string;
  packKind: string;
  packDir: string;
  initAdapter: string | null;
  train: TrainWorkItem[];
  val: TrainWorkItem[];
  evalItems: TrainWorkItem[];
}

function makeTask(kind: 'train' | 'transfer'): WorkerTask<TrainParams | TransferParams, TrainCursor, Input> {
  return {
    kind,
    async run(ctx) {
      const { input, params } = ctx;
      const cursor = ctx.cursor ?? INITIAL_CURSOR;
      if (cursor.finished) return { resumedFinished: true };
      const store = new BlobStore(ctx.workspaceDir);
      let runner: ModelPackRunner | null = null;
      let provider: unknown = null;
      const getRunner = async () => {
        if (!runner) {
          ctx.progress(0, params.config.steps, 'Loading the model pack to compute features not in the cache…');
          runner = await openRunner(
            input.packKind,
            input.packDir,
            ctx.workspaceDir,
            packLoadMessage((m) => ctx.progress(0, params.config.steps, m)),
          );
          if (runner.packId !== input.packId)
            throw new AppError(
              'model/hash-mismatch',
              `The model pack folder ${input.packDir} changed since it was registered; register it again with "models add".`,
              { path: input.packDir },
            );
          provider = runner.executionProvider;
        }
        return runner;
      };
      const all = [...input.train, ...input.val, ...input.evalItems];
      const keys: FeatureKey[] = [];
      for (const w of all) keys.push(w.main, ...w.views);
      let loaded;
      try {
        loaded = await loadFeatures(keys, store, getRunner, (d, t) =>
          ctx.progress(0, params.config.steps, `Computing features for ${t} presentations (${d} done)…`),
        );
      } finally {
        if (runner) await (runner as ModelPackRunner).dispose();
      }
      const features = new Map<string, CachedFeatures>();
      keys.forEach((k, i) => features.set(`${k.imageHash}:${k.templateHash}`, loaded.features[i]!));
      const items = buildItems(input, features);
      const t0 = performance.now();
      const { final } = await runTrainingLoop({
        algorithm: params.algorithm,
        config: params.config,
        seed: params.seed,
        initAdapter: input.initAdapter ? store.get(input.initAdapter) : null,
        items,
        store,
        cursor,
        pending: { cache: loaded.cache, provider },
        wantTransfer: kind === 'transfer',
        cancelled: () => ctx.cancelled(),
        checkpoint: (c, out) => ctx.checkpoint(c, out, c.step, params.config.steps),
        progress: (s, total, m) => ctx.progress(s, total, m),
      });
      return {
        resumedFrom: cursor.step,
        seconds: (performance.now() - t0) / 1000,
        cacheHits: loaded.counts.hits,
        cacheMisses: loaded.counts.misses,
        finished: final !== null,
      };
    },
  };
}

export const trainTask = makeTask('train');

export const transferTask = makeTask('transfer');
