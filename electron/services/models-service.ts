// Model packs: register a folder by the SHA-256 of its files (every listed file re-hashed, audited), list them, and
// resolve what a user typed as --model (a pack id or a folder path, registered on the way).
import { existsSync } from 'node:fs';
import type { ModelPackSummary } from '../../shared/api/models.ts';
import { AppError } from '../../shared/errors.ts';
import type { InspectedPack } from '../models/index.ts';
import { inspectFolder, packFolder } from '../models/pack-folder.ts';
import { insertPack, listPacks, packById, packIdsStartingWith, setPackPath, type ModelPackRow } from '../storage/repositories/model-packs.ts';
import type { WriteDb } from '../storage/sql-handles.ts';
import type { Workspace } from '../storage/workspace.ts';

const PACK_ID = /^[0-9a-f]{64}$/;

export class ModelsService {
  private readonly ws: Workspace;
  constructor(ws: Workspace) {
    this.ws = ws;
  }

  /** Hashes the folder in this process (CLI, scripts); the app registers through the `register-model` job instead. */
  async add(path: string, actor: string): Promise<ModelPackSummary & { created: boolean }> {
    const dir = packFolder(path);
    const inspected = await inspectFolder(dir);
    const existing = packById(this.ws.read, inspected.id);
    if (existing && existing.path === dir) return { ...toSummary(existing), created: false };
    const recorded = this.ws.change(
      {
        actor,
        action: existing ? 'models:relocate' : 'models:add',
        subject: inspected.id,
        payload: { path: dir, kind: inspected.kind, name: inspected.name, files: inspected.manifest.files.length, from: existing?.path ?? null },
      },
      (tx) => {
        return this.record(dir, inspected, tx);
      },
    );
    return { ...recorded.summary, created: !existing };
  }

  /**
   * Inserts a verified pack, or points a known one at its new folder; no audit entry of its own (callers run it
   * inside an audited change: `add` above, or the register-model job's job:done).
   */
  record(dir: string, inspected: InspectedPack, tx: WriteDb): { summary: ModelPackSummary; created: boolean; relocatedFrom: string | null } {
    const existing = packById(tx, inspected.id);
    if (existing && existing.path !== dir) setPackPath(tx, inspected.id, dir);
    if (!existing)
      insertPack(tx, {
        id: inspected.id,
        name: inspected.name,
        kind: inspected.kind,
        path: dir,
        manifest: inspected.manifest,
        addedAt: new Date().toISOString(),
      });
    return { summary: toSummary(recordedPack(tx, inspected.id)), created: !existing, relocatedFrom: existing && existing.path !== dir ? existing.path : null };
  }

  list(): ModelPackSummary[] {
    return listPacks(this.ws.read).map(toSummary);
  }

  /** A pack id (full, or a unique prefix of ≥ 8 hex digits) or a folder path. */
  async resolve(model: string, actor: string): Promise<string> {
    if (/^[0-9a-f]{8,64}$/.test(model) && !existsSync(model)) {
      const ids = packIdsStartingWith(this.ws.read, model);
      if (ids.length === 1 && ids[0] !== undefined) return ids[0];
      if (ids.length > 1) throw new AppError('conflict', `Several model packs start with ${model}; give more of the id.`, { model });
      if (PACK_ID.test(model))
        throw new AppError('not-found', `There is no registered model pack ${model.slice(0, 12)}…; add it with "models add PATH".`, { model });
    }
    return (await this.add(model, actor)).id;
  }
}

/** The pack just inserted or moved, read back inside the same change. */
function recordedPack(tx: WriteDb, id: string): ModelPackRow {
  const pack = packById(tx, id);
  if (!pack) throw new Error(`model pack ${id} was not recorded`);
  return pack;
}

function toSummary(r: ModelPackRow): ModelPackSummary {
  const m = r.manifest;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    label: m.label,
    path: r.path,
    architecture: m.architecture ?? null,
    files: m.files.length,
    bytes: m.files.reduce((s, f) => s + f.bytes, 0),
    addedAt: r.added_at,
  };
}
