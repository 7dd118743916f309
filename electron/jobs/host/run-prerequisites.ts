// What a diagnose, probe, train or transfer job refuses to start without: a registered model pack and a dataset
// version of this workspace (coded not-found errors naming what to do).
import { AppError } from '../../../shared/errors.ts';
import { packToOpen, type PackToOpen } from '../../storage/repositories/model-packs.ts';
import { versionExists } from '../../storage/repositories/run-lookups.ts';
import type { ReadDb } from '../../storage/sql-handles.ts';

/** The pack's id, kind, folder and name; not-found unless it is registered. */
export function requirePack(db: ReadDb, packId: string): PackToOpen {
  const pack = packToOpen(db, packId);
  if (!pack)
    throw new AppError('not-found', `There is no registered model pack ${packId.slice(0, 12)}…; add it with "models add PATH" first.`, { pack: packId });
  return pack;
}

export function requireVersion(db: ReadDb, versionId: string): void {
  if (!versionExists(db, versionId)) throw new AppError('not-found', `There is no dataset version ${versionId} in this workspace.`, { version: versionId });
}
