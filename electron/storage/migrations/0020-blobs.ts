// Content-addressed files (images, features, checkpoints, reports): the row records what the blob store holds.
import type { Migration } from '../migration.ts';

export const migration: Migration = {
  version: 20,
  name: 'blobs',
  sql: `
    CREATE TABLE blobs (
      hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
      size INTEGER NOT NULL CHECK (size >= 0),
      media_type TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
  `,
};
