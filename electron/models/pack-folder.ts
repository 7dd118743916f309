// A model pack's folder as the user named it: resolved to an absolute folder (or a coded error), and verified (every
// file hashed, with progress) with model errors turned into clinician-readable ones. Used by the models service on
// the host and by the register-model and convert-model workers, so it lives outside the service.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { toAppError } from './open-model.ts';
import { inspectPack, type HashProgress, type InspectedPack } from './index.ts';

/** The absolute folder, or a coded error when there is none. */
export function packFolder(path: string): string {
  const dir = resolve(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('model/missing-file', `There is no model-pack folder at ${dir}.`, { path: dir });
  return dir;
}

/** Verifies the folder (every file hashed), reporting progress; model errors become clinician-readable AppErrors. */
export async function inspectFolder(dir: string, onProgress?: (p: HashProgress) => void): Promise<InspectedPack> {
  try {
    return await inspectPack(dir, onProgress);
  } catch (e) {
    throw toAppError(e, dir);
  }
}
