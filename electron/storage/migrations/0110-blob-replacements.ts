// Which stored file replaced which: a job that re-encodes stored images (compact-images: grey images that older
// versions stored as RGB PNGs, now grey PNGs of the same pixels) records each old blob with its new one, so the old
// files can be removed once nothing names them, and a review can trace every item image back.
import type { Migration } from '../migration.ts';

export const migration: Migration = {
  version: 110,
  name: 'blob-replacements',
  sql: `
    CREATE TABLE blob_replacements (
      job_id TEXT NOT NULL REFERENCES jobs(id),
      old_hash TEXT NOT NULL,
      new_hash TEXT NOT NULL REFERENCES blobs(hash),
      role TEXT NOT NULL CHECK (role IN ('image', 'thumbnail')),
      PRIMARY KEY (job_id, old_hash)
    ) STRICT;
  `,
};
