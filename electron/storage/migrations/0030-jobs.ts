// Jobs are rows: resume = continue from the committed cursor.
import type { Migration } from '../migration.ts';

export const migration: Migration = {
  version: 30,
  name: 'jobs',
  sql: `
    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued','running','cancelling','cancelled','interrupted','failed','done')),
      params TEXT NOT NULL,
      cursor TEXT,
      progress_done INTEGER NOT NULL DEFAULT 0,
      progress_total INTEGER NOT NULL DEFAULT 0,
      progress_message TEXT NOT NULL DEFAULT '',
      attempts INTEGER NOT NULL DEFAULT 0,
      checkpoints INTEGER NOT NULL DEFAULT 0,
      worker_pid INTEGER,
      heartbeat TEXT,
      error TEXT,
      result TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX jobs_by_state ON jobs(state);
    CREATE TABLE blob_checks (
      job_id TEXT NOT NULL REFERENCES jobs(id),
      hash TEXT NOT NULL REFERENCES blobs(hash),
      ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
      attempt INTEGER NOT NULL,
      PRIMARY KEY (job_id, hash)
    ) STRICT;
  `,
};
