// Builds a vision-only pack (kind "vision") in a temp folder from the shipped reference pack: its vision_encoder.onnx
// (copied byte for byte, so the same graph) with a manifest of its own — the same preprocessing, featureDims.image 128,
// one graph "vision". Generated per test run, so no ONNX binary is duplicated in the repository. `edit` changes the
// manifest before it is written (for the broken-manifest tests).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_PACK_DIR } from './image-set-fixture.ts';

export const VISION_ENCODER_FILE = 'vision_encoder.onnx';

type Manifest = Record<string, any>;

/** The manifest of the generated vision pack (hash and size of the encoder taken from the reference manifest). */
export function visionManifest(): Manifest {
  const ref = JSON.parse(readFileSync(join(REFERENCE_PACK_DIR, 'manifest.json'), 'utf8')) as Manifest;
  const file = (ref.files as Array<{ path: string; sha256: string; bytes: number }>).find((f) => f.path === VISION_ENCODER_FILE);
  if (!file) throw new Error(`${VISION_ENCODER_FILE} is not in the reference manifest`);
  return {
    schemaVersion: 1,
    kind: 'vision',
    name: 'medbridge-test-vision',
    version: '1.0.0',
    label: 'test vision encoder (reference tower) - not a medical device',
    notMedicalDevice: true,
    intendedUse: 'Software testing of vision-only packs (linear probe). Not for diagnosis, triage or any clinical decision.',
    licence: { weights: ref.licence.weights, trainingData: ref.licence.trainingData },
    files: [file],
    preprocessing: ref.preprocessing,
    graphs: { vision: ref.graphs.vision },
    featureDims: { image: ref.featureDims.image, option: ref.featureDims.image },
  };
}

/** Writes the vision pack into `dir` (created) and returns `dir`. */
export function writeVisionPack(dir: string, edit?: (m: Manifest) => void): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(REFERENCE_PACK_DIR, VISION_ENCODER_FILE), join(dir, VISION_ENCODER_FILE));
  const m = visionManifest();
  edit?.(m);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  return dir;
}

/** A vision pack in its own temp folder. */
export function tempVisionPack(edit?: (m: Manifest) => void): { dir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'medbridge-vision-pack-'));
  const dir = writeVisionPack(join(root, 'vision-pack'), edit);
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
