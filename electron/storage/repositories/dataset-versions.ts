// The dataset_versions table: frozen, immutable balanced versions (spec, manifest blob, notes, removal counts).
import type { BalanceSpecInput } from '../../../shared/balance/index.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';

export interface DatasetVersionRow {
  id: string;
  name: string;
  created_at: string;
  n: number;
  /** The balancing spec the version was frozen with, parsed. */
  spec: Record<string, unknown>;
}

/** What it takes to check a version can be reproduced: its spec and its manifest's hash. */
export interface VersionSpecAndManifest {
  spec: BalanceSpecInput;
  manifest_hash: string;
}

export interface VersionNotesAndRemoved {
  notes: string[];
  /** Items the balancer removed, per reason. */
  removed: Record<string, number>;
}

export interface NewDatasetVersion {
  id: string;
  name: string;
  spec: BalanceSpecInput;
  manifestHash: string;
  notes: string[];
  removed: Record<string, number>;
  n: number;
  createdAt: string;
}

export function versionExists(db: ReadDb, id: string): boolean {
  return db.value<number>('SELECT 1 FROM dataset_versions WHERE id = ?', id) !== undefined;
}

/** Every version's id, oldest first. */
export function versionIds(db: ReadDb): string[] {
  return db.values<string>('SELECT id FROM dataset_versions ORDER BY created_at, rowid');
}

export function versionById(db: ReadDb, id: string): DatasetVersionRow | undefined {
  const row = db.get<Omit<DatasetVersionRow, 'spec'> & { spec: string }>('SELECT * FROM dataset_versions WHERE id = ?', id);
  return row ? { id: row.id, name: row.name, created_at: row.created_at, n: row.n, spec: JSON.parse(row.spec) as Record<string, unknown> } : undefined;
}

export function versionSpecAndManifest(db: ReadDb, id: string): VersionSpecAndManifest | undefined {
  const row = db.get<{ spec: string; manifest_hash: string }>('SELECT spec, manifest_hash FROM dataset_versions WHERE id = ?', id);
  return row ? { spec: JSON.parse(row.spec) as BalanceSpecInput, manifest_hash: row.manifest_hash } : undefined;
}

export function versionNotesAndRemoved(db: ReadDb, id: string): VersionNotesAndRemoved | undefined {
  const row = db.get<{ notes: string; removed: string }>('SELECT notes, removed FROM dataset_versions WHERE id = ?', id);
  return row ? { notes: JSON.parse(row.notes) as string[], removed: JSON.parse(row.removed) as Record<string, number> } : undefined;
}

export function insertDatasetVersion(tx: WriteDb, v: NewDatasetVersion): void {
  tx.run(
    'INSERT INTO dataset_versions (id, name, spec, manifest_hash, notes, removed, n, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    v.id,
    v.name,
    JSON.stringify(v.spec),
    v.manifestHash,
    JSON.stringify(v.notes),
    JSON.stringify(v.removed),
    v.n,
    v.createdAt,
  );
}
