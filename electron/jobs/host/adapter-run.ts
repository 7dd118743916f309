// Which trained adapter a run starts from (train --init) or applies (diagnose --adapter): the adapter blob of a
// finished training run on the same model pack.
import { AppError } from '../../../shared/errors.ts';
import { ADAPTER_TRAINING_KINDS } from '../../../shared/run-kinds.ts';
import { runAdapterSource } from '../../storage/repositories/runs.ts';
import type { ReadDb } from '../../storage/sql-handles.ts';

/** The init run's adapter blob; refused unless it is a training run on the same pack with an adapter. */
export function initAdapterHash(db: ReadDb, init: string | null, pack: string): string | null {
  if (!init) return null;
  const r = runAdapterSource(db, init);
  if (!r) throw new AppError('not-found', `There is no run ${init} to start from.`, { init });
  if (!ADAPTER_TRAINING_KINDS.has(r.kind) || !r.adapter_hash)
    throw new AppError(
      'train/init-not-trained',
      `Run ${init} is a ${r.kind} run without a trained adapter; start from a finished SFT or GRPO run, or from the base model.`,
      { init, kind: r.kind },
    );
  if (r.pack_id !== pack)
    throw new AppError('train/init-other-pack', `Run ${init} trained an adapter for another model pack; an adapter only fits the pack it was trained on.`, {
      init,
      pack: r.pack_id,
    });
  return r.adapter_hash;
}
