// Imported datasets (immutable once ready), their items, what the import rejected, and quarantined images.
import type { Migration } from '../migration.ts';

export const migration: Migration = {
  version: 40,
  name: 'datasets',
  sql: `
    CREATE TABLE datasets (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      source TEXT NOT NULL,
      params TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('importing','ready','failed')),
      job_id TEXT REFERENCES jobs(id),
      deidentification TEXT,
      warnings INTEGER NOT NULL DEFAULT 0,
      duplicates INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE items (
      id TEXT PRIMARY KEY,
      dataset_id TEXT NOT NULL REFERENCES datasets(id),
      source_key TEXT NOT NULL,
      question TEXT NOT NULL,
      options TEXT NOT NULL,
      correct INTEGER,
      answer TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('multiple-choice','free-form')),
      modality TEXT NOT NULL,
      modality_source TEXT NOT NULL,
      modality_confidence REAL NOT NULL,
      task TEXT NOT NULL,
      benchmark TEXT NOT NULL,
      question_type TEXT NOT NULL,
      source_split TEXT CHECK (source_split IN ('train','val','test')),
      patient TEXT,
      option_seed INTEGER,
      image_hash TEXT REFERENCES blobs(hash),
      thumb_hash TEXT REFERENCES blobs(hash),
      phash TEXT,
      width INTEGER,
      height INTEGER,
      extra TEXT NOT NULL DEFAULT '{}',
      UNIQUE (dataset_id, source_key)
    ) STRICT;
    CREATE INDEX items_by_dataset ON items(dataset_id, modality);
    CREATE INDEX items_by_image ON items(image_hash);
    CREATE TABLE import_issues (
      dataset_id TEXT NOT NULL REFERENCES datasets(id),
      severity TEXT NOT NULL CHECK (severity IN ('rejection','warning','duplicate','quarantine')),
      file TEXT NOT NULL,
      row INTEGER,
      code TEXT NOT NULL,
      reason TEXT NOT NULL
    ) STRICT;
    CREATE INDEX import_issues_by_dataset ON import_issues(dataset_id, severity);
    CREATE TABLE workspace_secrets (
      name TEXT PRIMARY KEY,
      value BLOB NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
  `,
};
