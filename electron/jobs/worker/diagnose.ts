// The worker half of this job kind (its host half: electron/jobs/host/diagnose.ts).
// Diagnosis job. Host: creates the run, hands the worker the version split's items (options in displayed order, with
// any feature-cache hit), commits each batch's per-item probabilities + new cache rows with the cursor, and on done
// computes the metrics report (shared/metrics). Worker: loads the pack only if some item misses the cache, scores in
// batches, writes features as blobs. Cursor = items done, in item-id order, so resume continues where it stopped.
import { DiagnoseParams } from '../../../shared/api/runs.ts';
import { AppError } from '../../../shared/errors.ts';
import { openRunner, packLoadMessage } from '../../models/open-model.ts';
import { scoreBatch, type CacheCounts, type NewCacheEntry, type ScoredItem, type WorkItem } from '../../diagnosis/score-items.ts';
import type { CachedFeatures } from '../../diagnosis/feature-blob.ts';
import type { ModelPackRunner } from '../../models/index.ts';
import { BlobStore } from '../../storage/blob-store.ts';
import { adapterOptionLogits, deserializeAdapter } from '../../training/index.ts';
import type { WorkerTask } from '../worker-task.ts';

export type Cursor = { done: number };

export interface Input {
  packId: string;
  packKind: string;
  packDir: string;
  adapterHash?: string | null;
  temperature: number;
  batchSize: number;
  items: WorkItem[];
  doneBefore: number;
  total: number;
}

export interface Output {
  results: ScoredItem[];
  cache: NewCacheEntry[];
  counts: CacheCounts;
  ms: number;
  provider: unknown;
}

export const diagnoseTask: WorkerTask<DiagnoseParams, Cursor, Input> = {
  kind: 'diagnose',
  async run(ctx) {
    const { input } = ctx;
    const store = new BlobStore(ctx.workspaceDir);
    let runner: ModelPackRunner | null = null;
    let provider: unknown = null;
    let providerSent = false;
    const getRunner = async () => {
      if (!runner) {
        ctx.progress(input.doneBefore, input.total, 'Loading the model pack (checking its files)…');
        runner = await openRunner(
          input.packKind,
          input.packDir,
          ctx.workspaceDir,
          packLoadMessage((m) => ctx.progress(input.doneBefore, input.total, m)),
        );
        if (runner.packId !== input.packId)
          throw new AppError(
            'model/hash-mismatch',
            `The model pack folder ${input.packDir} changed since it was registered (its files no longer match pack ${input.packId.slice(0, 12)}…). Register it again with "models add".`,
            { path: input.packDir },
          );
        provider = runner.executionProvider;
      }
      return runner;
    };
    // A trained adapter (diagnose --adapter RUN) re-scores the cached features through the same function training validated with.
    const adapter = input.adapterHash ? deserializeAdapter(store.get(input.adapterHash)) : null;
    let done = input.doneBefore;
    const counts: CacheCounts = { hits: 0, misses: 0 };
    try {
      for (let start = 0; start < input.items.length; start += input.batchSize) {
        if (ctx.cancelled()) break;
        const t0 = performance.now();
        const batch = input.items.slice(start, start + input.batchSize);
        const out = await scoreBatch(batch, store, getRunner, {
          temperature: input.temperature,
          ...(adapter ? { logitsOf: (f: CachedFeatures) => adapterOptionLogits(adapter, f) } : {}),
        });
        done += batch.length;
        counts.hits += out.counts.hits;
        counts.misses += out.counts.misses;
        const output: Output = { ...out, ms: performance.now() - t0, provider: providerSent ? null : provider };
        if (provider !== null) providerSent = true;
        ctx.checkpoint({ done }, output, done, input.total);
        ctx.progress(done, input.total, `Scored ${done} of ${input.total} items (${counts.hits} from the feature cache)`);
      }
    } finally {
      if (runner) await (runner as ModelPackRunner).dispose();
    }
    return {
      scoredThisAttempt: done - input.doneBefore,
      resumedFrom: input.doneBefore,
      cacheHitsThisAttempt: counts.hits,
      cacheMissesThisAttempt: counts.misses,
    };
  },
};
