// Model packs (registered by the SHA-256 of their files), runs (diagnosis, probe, training, transfer, imported
// external runs) with their per-item results and events, and the feature cache keyed by (pack, image, template).
import type { Migration } from '../migration.ts';

export const migration: Migration = {
  version: 60,
  name: 'models-and-runs',
  sql: `
    CREATE TABLE model_packs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      path TEXT NOT NULL,
      manifest TEXT NOT NULL,
      added_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('diagnose','probe','sft','grpo','grpo-care','transfer','external')),
      pack_id TEXT NOT NULL REFERENCES model_packs(id),
      version_id TEXT REFERENCES dataset_versions(id),
      init_run TEXT REFERENCES runs(id),
      adapter_hash TEXT REFERENCES blobs(hash),
      study_id TEXT,
      split TEXT,
      config TEXT NOT NULL,
      seed INTEGER NOT NULL,
      job_id TEXT REFERENCES jobs(id),
      state TEXT NOT NULL CHECK (state IN ('running','done','failed','cancelled','interrupted')),
      metrics TEXT,
      environment TEXT NOT NULL,
      created_at TEXT NOT NULL,
      finished_at TEXT
    ) STRICT;
    CREATE INDEX runs_by_kind ON runs(kind, created_at);
    CREATE TABLE run_items (
      run_id TEXT NOT NULL REFERENCES runs(id),
      item_id TEXT NOT NULL REFERENCES items(id),
      split TEXT NOT NULL,
      probs TEXT NOT NULL,
      correct INTEGER,
      PRIMARY KEY (run_id, item_id)
    ) STRICT;
    CREATE TABLE run_events (
      run_id TEXT NOT NULL REFERENCES runs(id),
      seq INTEGER NOT NULL,
      kind TEXT NOT NULL,
      step INTEGER,
      payload TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (run_id, seq)
    ) STRICT;
    CREATE TABLE feature_cache (
      pack_id TEXT NOT NULL,
      image_hash TEXT NOT NULL,
      template_hash TEXT NOT NULL,
      blob_hash TEXT NOT NULL REFERENCES blobs(hash),
      PRIMARY KEY (pack_id, image_hash, template_hash)
    ) STRICT;
  `,
};
