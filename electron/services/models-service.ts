// Model packs: register a folder by the SHA-256 of its files (every listed file re-hashed, audited), list them, and
// resolve what a user typed as --model (a pack id or a folder path, registered on the way).
import { existsSync } from 'node:fs';
import type { ModelPackKind, ModelPackSummary } from '../../shared/api/models.ts';
import { AppError } from '../../shared/errors.ts';
import type { InspectedPack, StoredPackManifest } from '../models/index.ts';
import { inspectFolder, packFolder } from '../models/pack-folder.ts';
import type { Workspace } from '../workspace/workspace.ts';

const PACK_ID = /^[0-9a-f]{64}$/;

interface PackRow { id: string; name: string; kind: ModelPackKind; path: string; manifest: string; added_at: string }

export class ModelsService {
  private readonly ws: Workspace;
  constructor(ws: Workspace) {
    this.ws = ws;
  }

  /** Hashes the folder in this process (CLI, scripts); the app registers through the `register-model` job instead. */
  async add(path: string, actor: string): Promise<ModelPackSummary & { created: boolean }> {
    const dir = packFolder(path);
    const inspected = await inspectFolder(dir);
    const existing = this.row(inspected.id);
    if (existing && existing.path === dir) return { ...toSummary(existing), created: false };
    this.ws.change({ actor, action: existing ? 'models:relocate' : 'models:add', subject: inspected.id, payload: { path: dir, kind: inspected.kind, name: inspected.name, files: inspected.manifest.files.length, from: existing?.path ?? null } }, () => {
      this.record(dir, inspected);
    });
    return { ...toSummary(this.row(inspected.id) as PackRow), created: !existing };
  }

  /**
   * Inserts a verified pack, or points a known one at its new folder; no audit entry of its own (callers run it
   * inside an audited change: `add` above, or the register-model job's job:done).
   */
  record(dir: string, inspected: InspectedPack): { summary: ModelPackSummary; created: boolean; relocatedFrom: string | null } {
    const existing = this.row(inspected.id);
    if (existing && existing.path !== dir) this.ws.db.prepare('UPDATE model_packs SET path = ? WHERE id = ?').run(dir, inspected.id);
    if (!existing) this.ws.db.prepare('INSERT INTO model_packs (id, name, kind, path, manifest, added_at) VALUES (?, ?, ?, ?, ?, ?)').run(inspected.id, inspected.name, inspected.kind, dir, JSON.stringify(inspected.manifest), new Date().toISOString());
    return { summary: toSummary(this.row(inspected.id) as PackRow), created: !existing, relocatedFrom: existing && existing.path !== dir ? existing.path : null };
  }

  private row(id: string): PackRow | undefined {
    return this.ws.db.prepare('SELECT * FROM model_packs WHERE id = ?').get(id) as PackRow | undefined;
  }

  list(): ModelPackSummary[] {
    return (this.ws.db.prepare('SELECT * FROM model_packs ORDER BY added_at, rowid').all() as PackRow[]).map(toSummary);
  }

  /** A pack id (full, or a unique prefix of ≥ 8 hex digits) or a folder path. */
  async resolve(model: string, actor: string): Promise<string> {
    if (/^[0-9a-f]{8,64}$/.test(model) && !existsSync(model)) {
      const rows = this.ws.db.prepare("SELECT id FROM model_packs WHERE id LIKE ? || '%'").all(model) as Array<{ id: string }>;
      if (rows.length === 1) return (rows[0] as { id: string }).id;
      if (rows.length > 1) throw new AppError('conflict', `Several model packs start with ${model}; give more of the id.`, { model });
      if (PACK_ID.test(model)) throw new AppError('not-found', `There is no registered model pack ${model.slice(0, 12)}…; add it with "models add PATH".`, { model });
    }
    return (await this.add(model, actor)).id;
  }
}

function toSummary(r: PackRow): ModelPackSummary {
  const m = JSON.parse(r.manifest) as StoredPackManifest;
  return { id: r.id, name: r.name, kind: r.kind, label: m.label, path: r.path, architecture: m.architecture ?? null, files: m.files.length, bytes: m.files.reduce((s, f) => s + f.bytes, 0), addedAt: r.added_at };
}
