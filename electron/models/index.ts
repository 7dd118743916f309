// electron/models — model packs for MedBridge.
//
// A model pack is a folder with manifest.json + ONNX files, identified by the SHA-256 of its files
// (pack-identity.ts). Everything downstream (training, diagnosis) talks to a `ModelPackRunner`:
//   scoreItems(items) → per item { baseLogits (m option logits), imageFeatures (dv), optionFeatures (m × dt) }
//   embedImages(images) → frozen vision features (probes, feature cache)
// Two runners implement it:
//   ReferencePackRunner.open(dir)  — the shipped reference pack (resources/models/reference-v1), onnxruntime-node
//   VlmPackRunner.open(dir, {cacheDir}) — Hugging Face-style ONNX VLM folders via transformers.js, offline only;
//                                        also sample() for free-form answers
// Vision-only packs (kind "vision": one ONNX image encoder + preprocessing) implement only the narrower
// `ImageEncoder` (embedImages; no answer head) for the linear probe: VisionPackRunner.open(dir).
// Errors are ModelError with codes model/missing-file, model/hash-mismatch, model/unsupported-architecture,
// model/corrupt-onnx, model/invalid-manifest, model/invalid-input. The execution provider (CUDA / DirectML /
// CoreML / WebGPU-if-enabled / CPU) is chosen per machine with fallback and reported as `executionProvider`.
export type { FeatureDims, ItemScores, McItemInput, ModelPackRunner } from './model-pack-runner.ts';
export { ModelError, isModelError, MODEL_ERROR_CODES, type ModelErrorCode } from './model-error.ts';
export { ModelPackManifest, PackFile, Preprocessing, GraphSpec, MANIFEST_FILE, MODEL_PACK_KINDS } from './manifest.ts';
export { computePackId, packIdentityText, type FileDigest } from './pack-identity.ts';
export { sha256File } from './file-hash.ts';
export { loadModelPack, readManifest, type LoadedModelPack, type LoadModelPackOptions } from './load-model-pack.ts';
export {
  EXECUTION_PROVIDERS,
  planExecutionProviders,
  probeExecutionProviders,
  createWithFallback,
  type ExecutionProviderName,
  type ExecutionProviderChoice,
  type ProviderCandidate,
  type ProviderProbe,
  type ProbeOptions,
} from './execution-provider.ts';
export { textHashEmbedding, normaliseOptionText, TEXT_HASH_DIM } from './text-hash-embedding.ts';
export { resizeBilinear, writePixelValues, type PixelNormalisation } from './image-resize.ts';
export { optionProbabilities } from './option-distribution.ts';
export { ReferencePackRunner, DEFAULT_REFERENCE_BATCH_SIZE, type ReferencePackOptions } from './reference-pack-runner.ts';
export { VlmPackRunner, DEFAULT_MAX_NEW_TOKENS, VLM_CACHE_SUBDIR, type VlmPackOptions, type FreeFormRequest, type FreeFormOptions } from './vlm-pack-runner.ts';
export { VisionPackRunner, DEFAULT_VISION_BATCH_SIZE, type VisionPackOptions } from './vision-pack-runner.ts';
export type { ImageEncoder } from './model-pack-runner.ts';
export { inspectVlmFolder, SUPPORTED_VLM_ARCHITECTURES, type VlmDtype, type VlmFolder } from './vlm-folder.ts';
export { inspectPack, type InspectedPack, type HashProgress, type PackFileRecord, type StoredPackManifest } from './inspect-pack.ts';
export { multipleChoiceText, optionLetters, ANSWER_INSTRUCTION } from './mc-prompt.ts';
export { sampleToken, argmax, type SamplingOptions } from './token-sampler.ts';
export { validateItem } from './validate-item.ts';
