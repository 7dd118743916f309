// What a study report reads about the model packs its runs used: the pack and its manifest (file hashes).
import type { ReadDb } from '../sql-handles.ts';

/** A model pack as the report reads it, the manifest parsed. */
export interface ReportModelPackRow {
  id: string;
  name: string;
  kind: string;
  path: string;
  manifest: Record<string, unknown>;
  added_at: string;
}

interface StoredModelPackRow {
  id: string;
  name: string;
  kind: string;
  path: string;
  manifest: string;
  added_at: string;
}

/** A pack a report's run used (it exists: the run references it). */
export function reportModelPackById(db: ReadDb, id: string): ReportModelPackRow {
  const r = db.get<StoredModelPackRow>('SELECT * FROM model_packs WHERE id = ?', id) as StoredModelPackRow;
  return { id: r.id, name: r.name, kind: r.kind, path: r.path, manifest: JSON.parse(r.manifest) as Record<string, unknown>, added_at: r.added_at };
}
