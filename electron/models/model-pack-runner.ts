// The interfaces model packs offer. `ImageEncoder`: frozen image embeddings only (the linear probe and its feature
// cache) — every pack kind, including vision-only packs. `ModelPackRunner` (training and diagnosis) adds, per
// multiple-choice item, the option-letter logits, the vision embedding and one text embedding per option.
import type { DecodedImage } from '../../shared/items.ts';
import type { ExecutionProviderChoice } from './execution-provider.ts';
import type { ModelPackManifest } from './manifest.ts';

/** One multiple-choice item as a model sees it (2–26 options). */
export interface McItemInput {
  /** One or more images; packs that take one image per prompt use the first (see each runner). */
  images: readonly DecodedImage[];
  question: string;
  options: readonly string[];
}

export interface ItemScores {
  /** m option logits; softmax over them is the option distribution. */
  baseLogits: Float32Array;
  /** dv-dimensional frozen vision embedding (for probes and adapters). */
  imageFeatures: Float32Array;
  /** m × dt: one text embedding per option (for low-rank adapters on the answer head). */
  optionFeatures: Float32Array[];
}

export interface FeatureDims {
  image: number;
  option: number;
}

/** What the linear probe needs: a frozen image tower. Vision-only packs offer only this (no answer head). */
export interface ImageEncoder {
  readonly kind: ModelPackManifest['kind'];
  /** SHA-256 identity of the pack's files (recorded in every run). */
  readonly packId: string;
  readonly label: string;
  readonly featureDims: Pick<FeatureDims, 'image'>;
  /** Execution provider used and why (recorded in every run). */
  readonly executionProvider: ExecutionProviderChoice;
  /** Frozen vision features only (one per image), for probes and the feature cache. */
  embedImages(images: readonly DecodedImage[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** A pack that can answer multiple-choice items (reference and VLM packs). */
export interface ModelPackRunner extends ImageEncoder {
  readonly featureDims: FeatureDims;
  /** Scores items in batches; output i belongs to input i. */
  scoreItems(items: readonly McItemInput[]): Promise<ItemScores[]>;
}
