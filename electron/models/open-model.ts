// Opens the runner for a registered pack kind: the reference pack through onnxruntime-node, VLM folders through
// transformers.js (offline, cache inside the workspace), vision-only packs (one ONNX image encoder) through
// onnxruntime-node. Vision-only packs have no answer head: they open only as an image encoder for the linear probe
// (openImageEncoder); diagnosis and training refuse them when the job is requested (refuseVisionOnly).
import { AppError } from '../../shared/errors.ts';
import { ReferencePackRunner, VisionPackRunner, VlmPackRunner, isModelError, type ImageEncoder, type ModelPackRunner } from './index.ts';

/** Pack kinds that have only an image encoder: usable for the probe, not for multiple-choice scoring. */
export const IMAGE_ENCODER_ONLY_KINDS: ReadonlySet<string> = new Set(['vision']);

/** The coded refusal for a vision-only pack asked to answer questions (diagnose, train, transfer). */
export function visionOnlyError(pack: { kind: string; id?: string; name?: string }, purpose = 'diagnosis'): AppError {
  const which = pack.name ? `"${pack.name}"` : 'this pack';
  return new AppError(
    'model/unsupported-architecture',
    `The model pack ${which} is a vision-only pack (an image encoder): it turns each image into features but has no answer head, so it cannot answer multiple-choice questions and cannot be used for ${purpose}. Use it for the linear probe ("probe --model …") to measure what its image features separate; for ${purpose}, choose a VLM or the reference pack.`,
    { kind: pack.kind, ...(pack.id ? { pack: pack.id } : {}) },
  );
}

/** Throws the coded refusal when the pack cannot score multiple-choice items. Call on the host when a job is requested. */
export function refuseVisionOnly(pack: { kind: string; id?: string; name?: string }, purpose = 'diagnosis'): void {
  if (IMAGE_ENCODER_ONLY_KINDS.has(pack.kind)) throw visionOnlyError(pack, purpose);
}

/** Called while the pack's files are re-hashed on opening: bytes hashed so far (gigabytes for a real VLM). */
export type PackLoadProgress = (bytesHashed: number) => void;

function hashedCounter(onProgress: PackLoadProgress | undefined): { onHashed?: (bytes: number) => void } {
  if (!onProgress) return {};
  let total = 0;
  return { onHashed: (bytes) => onProgress((total += bytes)) };
}

/** A runner that scores multiple-choice items (diagnosis, training). Vision-only packs are refused before any work. */
export async function openRunner(kind: string, dir: string, workspaceDir: string, onProgress?: PackLoadProgress): Promise<ModelPackRunner> {
  refuseVisionOnly({ kind });
  try {
    if (kind === 'reference') return await ReferencePackRunner.open(dir, hashedCounter(onProgress));
    if (kind === 'vlm') return await VlmPackRunner.open(dir, { workspaceDir, ...hashedCounter(onProgress) });
  } catch (e) {
    throw toAppError(e, dir);
  }
  throw new AppError('model/unsupported-architecture', `Model packs of kind "${kind}" cannot score multiple-choice questions in this version of MedBridge.`, {
    kind,
  });
}

/** A frozen image encoder for the linear probe: any pack kind, including vision-only packs. */
export async function openImageEncoder(kind: string, dir: string, workspaceDir: string, onProgress?: PackLoadProgress): Promise<ImageEncoder> {
  if (!IMAGE_ENCODER_ONLY_KINDS.has(kind)) return openRunner(kind, dir, workspaceDir, onProgress);
  try {
    return await VisionPackRunner.open(dir, hashedCounter(onProgress));
  } catch (e) {
    throw toAppError(e, dir);
  }
}

/** "Loading the model pack: checked 1.20 GB of its files…" for the job's progress line, at most every 100 ms. */
export function packLoadMessage(report: (message: string) => void): PackLoadProgress {
  let last = 0;
  return (bytes) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const shown = bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
    report(`Loading the model pack: checked ${shown} of its files…`);
  };
}

/** A ModelError as a clinician-readable AppError with the same code and the file at fault. */
export function toAppError(e: unknown, dir: string): unknown {
  if (!isModelError(e)) return e;
  return new AppError(e.code, `The model pack at ${dir} cannot be used: ${e.message}. Re-export or re-copy the pack folder and try again.`, {
    path: dir,
    ...(e.file ? { file: e.file } : {}),
  });
}
