// Opens the runner for a registered pack kind: the reference pack through onnxruntime-node, VLM folders through
// transformers.js (offline, cache inside the workspace), vision-only packs (one ONNX image encoder) through
// onnxruntime-node. Vision-only packs have no answer head: they open only as an image encoder for the linear probe
// (openImageEncoder); diagnosis and training refuse them when the job is requested (refuseVisionOnly).
import { AppError } from '../../shared/errors.ts';
import { ReferencePackRunner, VisionPackRunner, VlmPackRunner, isModelError, type ImageEncoder, type ModelPackRunner } from '../models/index.ts';

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

/** A runner that scores multiple-choice items (diagnosis, training). Vision-only packs are refused before any work. */
export async function openRunner(kind: string, dir: string, workspaceDir: string): Promise<ModelPackRunner> {
  refuseVisionOnly({ kind });
  try {
    if (kind === 'reference') return await ReferencePackRunner.open(dir);
    if (kind === 'vlm') return await VlmPackRunner.open(dir, { workspaceDir });
  } catch (e) {
    throw toAppError(e, dir);
  }
  throw new AppError('model/unsupported-architecture', `Model packs of kind "${kind}" cannot score multiple-choice questions in this version of MedBridge.`, { kind });
}

/** A frozen image encoder for the linear probe: any pack kind, including vision-only packs. */
export async function openImageEncoder(kind: string, dir: string, workspaceDir: string): Promise<ImageEncoder> {
  if (!IMAGE_ENCODER_ONLY_KINDS.has(kind)) return openRunner(kind, dir, workspaceDir);
  try {
    return await VisionPackRunner.open(dir);
  } catch (e) {
    throw toAppError(e, dir);
  }
}

/** A ModelError as a clinician-readable AppError with the same code and the file at fault. */
export function toAppError(e: unknown, dir: string): unknown {
  if (!isModelError(e)) return e;
  return new AppError(e.code, `The model pack at ${dir} cannot be used: ${e.message}. Re-export or re-copy the pack folder and try again.`, { path: dir, ...(e.file ? { file: e.file } : {}) });
}
