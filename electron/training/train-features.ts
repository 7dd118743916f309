// Training's view of a dataset version: the host lists each item (options in the version's display order, plus
// GRPO-CARE's seeded presentations: option-order permutations, each on an augmented copy of the image) with its
// feature-cache hit; the worker serves cached features and runs the pack only on misses (in batches), writing new
// features as blobs like a diagnosis does. An augmented image is never stored: its cache key is the SHA-256 of
// {image, augment}, and the worker rebuilds its pixels from the stored image when it needs the features.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { createRng, deriveSeed, shuffled } from '../../shared/random.ts';
import { applyAugment, drawAugment, type ImageAugment } from './image-augment.ts';
import { decodeFeatureBlob, encodeFeatureBlob, type CachedFeatures } from '../diagnosis/feature-blob.ts';
import type { CacheCounts, NewCacheEntry, RunnerSource } from '../diagnosis/score-items.ts';
import { loadImages } from '../diagnosis/score-items.ts';
import { mcTemplateHash } from '../diagnosis/template-hash.ts';
import type { VersionWorkItem } from '../diagnosis/version-work.ts';
import type { ItemSubset } from '../../shared/api/training.ts';
import type { DecodedImage } from '../../shared/items.ts';
import type { BlobStore } from '../storage/blob-store.ts';

/** Items per pack call on a cache miss. */
export const FEATURE_BATCH = 64;

/** One presentation the worker needs features for. */
export interface FeatureKey {
  imageHash: string;
  question: string;
  options: string[];
  templateHash: string;
  cached: string | null;
}

/** A permuted presentation: originalIndex[j] = displayed-order index of this view's option j. */
export interface ViewWork extends FeatureKey {
  originalIndex: number[];
  /** The stored image this view's (augmented) picture is made from, and how; absent = the stored image as it is. */
  source?: { imageHash: string; augment: ImageAugment };
}

/** Cache key of an augmented image: SHA-256 of the canonical JSON of the stored image's hash and the augmentation. */
export function augmentedImageKey(imageHash: string, augment: ImageAugment): string {
  return createHash('sha256')
    .update(canonicalJson({ image: imageHash, augment }))
    .digest('hex');
}

export interface TrainWorkItem {
  item: string;
  split: string;
  task: string;
  modality: string;
  correct: number;
  main: FeatureKey;
  views: ViewWork[];
}

export function inSubset(it: { task: string; modality: string }, s: ItemSubset): boolean {
  if (s.tasks && s.tasks.length > 0 && !s.tasks.includes(it.task)) return false;
  if (s.modalities && s.modalities.length > 0 && !s.modalities.includes(it.modality)) return false;
  return true;
}

/**
 * GRPO-CARE's presentations of an item: seeded non-identity permutations of its displayed options, each shown (when
 * `augment`) on a seeded augmentation of its image (image-augment.ts).
 */
export function permutedViews(
  it: VersionWorkItem,
  count: number,
  seed: number,
  cached: (imageHash: string, templateHash: string) => string | null,
  augment = false,
): ViewWork[] {
  const m = it.options.length;
  const views: ViewWork[] = [];
  for (let k = 0; k < count && m > 1; k++) {
    const rng = createRng(deriveSeed(seed, `care-view:${it.item}:${k}`));
    let order = shuffled([...Array(m).keys()], rng);
    if (order.every((x, j) => x === j)) order = order.map((_, j) => (j + 1 + k) % m);
    const options = order.map((j) => it.options[j] as string);
    const templateHash = mcTemplateHash(it.question, options);
    if (augment) {
      const a = drawAugment(createRng(deriveSeed(seed, `care-augment:${it.item}:${k}`)), k);
      const imageHash = augmentedImageKey(it.imageHash, a);
      views.push({
        imageHash,
        question: it.question,
        options,
        templateHash,
        cached: cached(imageHash, templateHash),
        originalIndex: order,
        source: { imageHash: it.imageHash, augment: a },
      });
    } else {
      views.push({ imageHash: it.imageHash, question: it.question, options, templateHash, cached: cached(it.imageHash, templateHash), originalIndex: order });
    }
  }
  return views;
}

export function toTrainWork(it: VersionWorkItem, views: ViewWork[]): TrainWorkItem {
  return {
    item: it.item,
    split: it.split,
    task: it.task,
    modality: it.modality,
    correct: it.correct,
    main: { imageHash: it.imageHash, question: it.question, options: it.options, templateHash: it.templateHash, cached: it.cached },
    views,
  };
}

/** The picture a key's features are computed on: its stored image, or the augmentation of the image it came from. */
async function pictureOf(store: BlobStore, k: FeatureKey & { source?: ViewWork['source'] }): Promise<DecodedImage> {
  const [image] = await loadImages(store, [k.source?.imageHash ?? k.imageHash]);
  return k.source ? applyAugment(image!, k.source.augment) : image!;
}

function readCached(store: BlobStore, hash: string | null): CachedFeatures | null {
  if (!hash || !store.has(hash)) return null;
  try {
    const f = decodeFeatureBlob(store.get(hash));
    return f.optionFeatures.length > 0 ? f : null;
  } catch {
    return null;
  }
}

/** Features for every key (same order), from the cache where possible; new entries for the host to record. */
export async function loadFeatures(
  keys: readonly FeatureKey[],
  store: BlobStore,
  runner: RunnerSource,
  onProgress?: (done: number, total: number) => void,
): Promise<{ features: CachedFeatures[]; cache: NewCacheEntry[]; counts: CacheCounts }> {
  const features: Array<CachedFeatures | null> = keys.map((k) => readCached(store, k.cached));
  const missing = keys.map((_, i) => i).filter((i) => features[i] === null);
  const cache: NewCacheEntry[] = [];
  const seen = new Map<string, CachedFeatures>();
  for (let start = 0; start < missing.length; start += FEATURE_BATCH) {
    const chunk = missing.slice(start, start + FEATURE_BATCH);
    const toScore = chunk.filter((i) => {
      const k = keys[i] as FeatureKey;
      const hit = seen.get(`${k.imageHash}:${k.templateHash}`);
      if (hit) features[i] = hit;
      return !hit;
    });
    if (toScore.length > 0) {
      const r = await runner();
      // Each item to score with its picture (all pictures read at once, as before scoring).
      const inputs = await Promise.all(
        toScore.map(async (i) => {
          const k = keys[i] as FeatureKey;
          return { images: [await pictureOf(store, k)], question: k.question, options: k.options };
        }),
      );
      const scores = await r.scoreItems(inputs);
      toScore.forEach((i, j) => {
        const k = keys[i] as FeatureKey;
        const s = scores[j]!;
        const f: CachedFeatures = { baseLogits: s.baseLogits, imageFeatures: s.imageFeatures, optionFeatures: s.optionFeatures };
        // Round-trip through the stored bytes so a fresh run and a resumed run see bit-identical floats.
        const bytes = encodeFeatureBlob(f);
        const put = store.put(bytes);
        const stored = decodeFeatureBlob(bytes);
        features[i] = stored;
        seen.set(`${k.imageHash}:${k.templateHash}`, stored);
        cache.push({ imageHash: k.imageHash, templateHash: k.templateHash, blob: put.hash, size: put.size });
      });
    }
    onProgress?.(Math.min(start + FEATURE_BATCH, missing.length), missing.length);
  }
  return { features: features as CachedFeatures[], cache, counts: { hits: keys.length - missing.length, misses: missing.length } };
}
