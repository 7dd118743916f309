// Frozen dataset versions: the id is the SHA-256 of the canonical manifest (items, splits, option orders, spec).
import type { Migration } from '../migration.ts';

export const migration: Migration = {
  version: 50,
  name: 'dataset-versions',
  sql: `
    CREATE TABLE dataset_versions (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      spec TEXT NOT NULL,
      manifest_hash TEXT NOT NULL REFERENCES blobs(hash),
      notes TEXT NOT NULL,
      removed TEXT NOT NULL,
      n INTEGER NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE version_items (
      version_id TEXT NOT NULL REFERENCES dataset_versions(id),
      item_id TEXT NOT NULL REFERENCES items(id),
      split TEXT NOT NULL CHECK (split IN ('train','val','test')),
      option_order TEXT NOT NULL,
      -- The item's modality when the version was frozen (later overrides do not change a frozen version).
      modality TEXT NOT NULL,
      PRIMARY KEY (version_id, item_id)
    ) STRICT;
    CREATE INDEX version_items_by_split ON version_items(version_id, split);
    CREATE TRIGGER dataset_versions_immutable BEFORE UPDATE ON dataset_versions
      BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
    CREATE TRIGGER version_items_immutable BEFORE UPDATE ON version_items
      BEGIN SELECT RAISE(ABORT, 'dataset versions are immutable'); END;
  `,
};
