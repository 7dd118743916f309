// The model_packs table: registered model-pack folders by the SHA-256 of their files, with the manifest (JSON)
// written when the files were hashed.
import type { ModelPackKind } from '../../../shared/api/models.ts';
import type { StoredPackManifest } from '../../models/index.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export interface ModelPackRow {
  id: string;
  name: string;
  kind: ModelPackKind;
  path: string;
  manifest: StoredPackManifest;
  added_at: string;
}

type StoredPackRow = Omit<ModelPackRow, 'manifest'> & { manifest: string };

function toPack(r: StoredPackRow): ModelPackRow {
  return { ...r, manifest: JSON.parse(r.manifest) as StoredPackManifest };
}

export function packById(db: ReadDb, id: string): ModelPackRow | undefined {
  const r = db.get<StoredPackRow>('SELECT * FROM model_packs WHERE id = ?', id);
  return r ? toPack(r) : undefined;
}

/** In the order they were added. */
export function listPacks(db: ReadDb): ModelPackRow[] {
  return db.all<StoredPackRow>('SELECT * FROM model_packs ORDER BY added_at, rowid').map(toPack);
}

/** Ids of the packs whose id starts with `prefix`. */
export function packIdsStartingWith(db: ReadDb, prefix: string): string[] {
  return db.values<string>("SELECT id FROM model_packs WHERE id LIKE ? || '%'", prefix);
}

/** What a job needs to open a pack: its id, kind, folder and name. */
export interface PackToOpen {
  id: string;
  kind: string;
  path: string;
  name: string;
}

export function packToOpen(db: ReadDb, id: string): PackToOpen | undefined {
  return db.get<PackToOpen>('SELECT id, kind, path, name FROM model_packs WHERE id = ?', id);
}

/** The label of the pack's manifest (null when it has none; undefined when there is no such pack). */
export function packLabel(db: ReadDb, id: string): string | null | undefined {
  return db.get<{ l: string | null }>("SELECT json_extract(manifest, '$.label') AS l FROM model_packs WHERE id = ?", id)?.l;
}

export function packManifest(db: ReadDb, id: string): StoredPackManifest | undefined {
  const manifest = db.value<string>('SELECT manifest FROM model_packs WHERE id = ?', id);
  return manifest === undefined ? undefined : (JSON.parse(manifest) as StoredPackManifest);
}

export interface NewModelPack {
  id: string;
  name: string;
  kind: ModelPackKind;
  path: string;
  manifest: StoredPackManifest;
  addedAt: string;
}

export function insertPack(tx: WriteDb, p: NewModelPack): void {
  tx.run(
    'INSERT INTO model_packs (id, name, kind, path, manifest, added_at) VALUES (?, ?, ?, ?, ?, ?)',
    p.id,
    p.name,
    p.kind,
    p.path,
    JSON.stringify(p.manifest),
    p.addedAt,
  );
}

/** A known pack found in another folder. */
export function setPackPath(tx: WriteDb, id: string, path: string): void {
  tx.run('UPDATE model_packs SET path = ? WHERE id = ?', path, id);
}
