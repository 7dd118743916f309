// The worker's inner loop, shared by the diagnose and probe jobs and by the benchmarks: serve what the feature
// cache has, run the model on the rest (one batched call), store the new features as blobs, and turn option
// logits into the option distribution at temperature T (design.md §3).
import type { DecodedImage } from '../../shared/items.ts';
import { optionProbabilities, type ImageEncoder, type ModelPackRunner } from '../models/index.ts';
import { decodeImage } from '../formats/image-normalise.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { decodeFeatureBlob, encodeFeatureBlob, type CachedFeatures } from './feature-blob.ts';

/** One multiple-choice item as the worker receives it: options already in displayed order. */
export interface WorkItem {
  item: string;
  split: string;
  imageHash: string;
  question: string;
  options: string[];
  /** Index of the right option in displayed order. */
  correct: number;
  templateHash: string;
  /** Feature-cache blob for (pack, image, template), when the host found one. */
  cached: string | null;
}

export interface ScoredItem {
  item: string;
  split: string;
  probs: number[];
  correct: number;
}

export interface NewCacheEntry {
  imageHash: string;
  templateHash: string;
  blob: string;
  size: number;
}

export interface CacheCounts {
  hits: number;
  misses: number;
}

export type RunnerSource = () => Promise<ModelPackRunner>;
/** The probe needs only the image tower (any pack kind, vision-only packs included). */
export type EncoderSource = () => Promise<ImageEncoder>;

/** Reads a cached entry; a missing or damaged blob counts as a miss (recomputed, never trusted). */
function readCached(store: BlobStore, hash: string | null): CachedFeatures | null {
  const bytes = hash ? store.getVerified(hash) : null;
  if (!bytes) return null;
  try {
    return decodeFeatureBlob(bytes);
  } catch {
    return null;
  }
}

export async function loadImages(store: BlobStore, hashes: readonly string[]): Promise<DecodedImage[]> {
  return Promise.all(hashes.map((h) => decodeImage(store.get(h))));
}

export interface ScoreOptions {
  /** Softmax temperature of the option distribution (design.md §3). */
  temperature: number;
  /** Turns an item's features into option logits (a trained adapter, electron/training/apply-adapter.ts); default: the pack's base logits. */
  logitsOf?: (f: CachedFeatures) => ArrayLike<number>;
}

export async function scoreBatch(
  items: readonly WorkItem[],
  store: BlobStore,
  runner: RunnerSource,
  options: ScoreOptions,
): Promise<{ results: ScoredItem[]; cache: NewCacheEntry[]; counts: CacheCounts }> {
  const { temperature, logitsOf = (f: CachedFeatures) => f.baseLogits } = options;
  const features: Array<CachedFeatures | null> = items.map((it) => readCached(store, it.cached));
  const missing = items.map((_, i) => i).filter((i) => features[i] === null);
  const cache: NewCacheEntry[] = [];
  if (missing.length > 0) {
    const r = await runner();
    const images = await loadImages(
      store,
      missing.map((i) => (items[i] as WorkItem).imageHash),
    );
    const scores = await r.scoreItems(
      missing.map((i, j) => ({ images: [images[j] as DecodedImage], question: (items[i] as WorkItem).question, options: (items[i] as WorkItem).options })),
    );
    missing.forEach((i, j) => {
      const f = scores[j] as CachedFeatures;
      features[i] = f;
      const put = store.put(encodeFeatureBlob(f), { durable: false });
      const it = items[i] as WorkItem;
      cache.push({ imageHash: it.imageHash, templateHash: it.templateHash, blob: put.hash, size: put.size });
    });
  }
  const results = items.map((it, i) => ({
    item: it.item,
    split: it.split,
    probs: Array.from(optionProbabilities(logitsOf(features[i] as CachedFeatures), temperature)),
    correct: it.correct,
  }));
  return { results, cache, counts: { hits: items.length - missing.length, misses: missing.length } };
}

/** Frozen image embeddings (probe), served from the cache where possible. */
export async function embedBatch(
  items: Readonly<Array<{ imageHash: string; cached: string | null }>>,
  templateHash: string,
  store: BlobStore,
  runner: EncoderSource,
): Promise<{ features: Float32Array[]; cache: NewCacheEntry[]; counts: CacheCounts }> {
  const features: Array<Float32Array | null> = items.map((it) => readCached(store, it.cached)?.imageFeatures ?? null);
  const missing = items.map((_, i) => i).filter((i) => features[i] === null);
  const cache: NewCacheEntry[] = [];
  if (missing.length > 0) {
    const r = await runner();
    const hashes = missing.map((i) => (items[i] as { imageHash: string }).imageHash);
    const embeds = await r.embedImages(await loadImages(store, hashes));
    missing.forEach((i, j) => {
      const f = embeds[j] as Float32Array;
      features[i] = f;
      const put = store.put(encodeFeatureBlob({ baseLogits: new Float32Array(0), imageFeatures: f, optionFeatures: [] }), { durable: false });
      cache.push({ imageHash: hashes[j] as string, templateHash, blob: put.hash, size: put.size });
    });
  }
  return { features: features as Float32Array[], cache, counts: { hits: items.length - missing.length, misses: missing.length } };
}
