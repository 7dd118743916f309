// Model packs: register a folder by the SHA-256 of its files (every listed file re-hashed, audited), list them, and
// resolve what a user typed as --model (a pack id or a folder path, registered on the way).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelPackKind, ModelPackSummary } from '../../shared/api/models.ts';
import { AppError } from '../../shared/errors.ts';
import { toAppError } from '../diagnosis/open-runner.ts';
import { MANIFEST_FILE, computePackId, inspectVlmFolder, loadModelPack, sha256File } from '../models/index.ts';
import type { Workspace } from '../workspace/workspace.ts';

const PACK_ID = /^[0-9a-f]{64}$/;

interface PackRow { id: string; name: string; kind: ModelPackKind; path: string; manifest: string; added_at: string }
interface StoredManifest { label: string; architecture?: string; files: Array<{ path: string; sha256: string; bytes: number }> }

export class ModelsService {
  private readonly ws: Workspace;
  constructor(ws: Workspace) {
    this.ws = ws;
  }

  async add(path: string, actor: string): Promise<ModelPackSummary & { created: boolean }> {
    const dir = resolve(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('model/missing-file', `There is no model-pack folder at ${dir}.`, { path: dir });
    const { id, name, kind, manifest } = await this.inspect(dir);
    const existing = this.ws.db.prepare('SELECT * FROM model_packs WHERE id = ?').get(id) as PackRow | undefined;
    if (existing && existing.path === dir) return { ...toSummary(existing), created: false };
    this.ws.change({ actor, action: existing ? 'models:relocate' : 'models:add', subject: id, payload: { path: dir, kind, name, files: manifest.files.length, from: existing?.path ?? null } }, () => {
      if (existing) this.ws.db.prepare('UPDATE model_packs SET path = ? WHERE id = ?').run(dir, id);
      else this.ws.db.prepare('INSERT INTO model_packs (id, name, kind, path, manifest, added_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, name, kind, dir, JSON.stringify(manifest), new Date().toISOString());
    });
    return { ...toSummary(this.ws.db.prepare('SELECT * FROM model_packs WHERE id = ?').get(id) as PackRow), created: !existing };
  }

  /** Verifies the folder: a manifest.json pack (any kind) or a bare transformers.js VLM folder. */
  private async inspect(dir: string): Promise<{ id: string; name: string; kind: ModelPackKind; manifest: StoredManifest }> {
    try {
      if (existsSync(join(dir, MANIFEST_FILE))) {
        const pack = await loadModelPack(dir, { verifyHashes: true });
        if (pack.manifest.kind === 'vlm') await inspectVlmFolder(dir);
        const m = pack.manifest;
        return { id: pack.packId, name: m.name, kind: m.kind, manifest: { label: m.label, ...(m.architecture ? { architecture: m.architecture } : {}), files: m.files } };
      }
      const folder = await inspectVlmFolder(dir);
      const files = [];
      for (const f of folder.files) files.push({ path: f, sha256: await sha256File(join(dir, f)), bytes: statSync(join(dir, f)).size });
      const name = dir.split(/[\\/]/).filter(Boolean).at(-1) ?? 'vlm';
      return { id: computePackId(files), name, kind: 'vlm', manifest: { label: `${name} (VLM) - not a medical device`, architecture: folder.architecture, files } };
    } catch (e) {
      throw toAppError(e, dir);
    }
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
  const m = JSON.parse(r.manifest) as StoredManifest;
  return { id: r.id, name: r.name, kind: r.kind, label: m.label, path: r.path, architecture: m.architecture ?? null, files: m.files.length, bytes: m.files.reduce((s, f) => s + f.bytes, 0), addedAt: r.added_at };
}
