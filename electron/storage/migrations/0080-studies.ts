// Studies (a named, ordered set of runs), their report versions (frozen by the hash of the report data, stored as a
// blob), reviewer comments and signatures. Versions, comments and signatures are append-only (triggers).
import type { Migration } from '../migration.ts';

export const migration: Migration = {
  version: 80,
  name: 'studies',
  sql: `
    CREATE TABLE studies (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      intended_use TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE study_runs (
      study_id TEXT NOT NULL REFERENCES studies(id),
      position INTEGER NOT NULL,
      run_id TEXT NOT NULL REFERENCES runs(id),
      PRIMARY KEY (study_id, position),
      UNIQUE (study_id, run_id)
    ) STRICT;
    CREATE TABLE reports (
      id TEXT PRIMARY KEY,
      study_id TEXT NOT NULL REFERENCES studies(id),
      version INTEGER NOT NULL,
      data_hash TEXT NOT NULL REFERENCES blobs(hash),
      created_at TEXT NOT NULL,
      UNIQUE (study_id, version)
    ) STRICT;
    CREATE TABLE reviews (
      report_id TEXT NOT NULL REFERENCES reports(id),
      seq INTEGER NOT NULL,
      author TEXT NOT NULL,
      text TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (report_id, seq)
    ) STRICT;
    CREATE TABLE signatures (
      report_id TEXT NOT NULL REFERENCES reports(id),
      seq INTEGER NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      meaning TEXT NOT NULL,
      signed_hash TEXT NOT NULL,
      audit_seq INTEGER NOT NULL,
      signed_at TEXT NOT NULL,
      PRIMARY KEY (report_id, seq)
    ) STRICT;
    CREATE TRIGGER study_runs_immutable BEFORE UPDATE ON study_runs BEGIN SELECT RAISE(ABORT, 'a study''s runs are fixed when it is created'); END;
    CREATE TRIGGER reports_immutable BEFORE UPDATE ON reports BEGIN SELECT RAISE(ABORT, 'report versions are immutable'); END;
    CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports BEGIN SELECT RAISE(ABORT, 'report versions are immutable'); END;
    CREATE TRIGGER reviews_immutable BEFORE UPDATE ON reviews BEGIN SELECT RAISE(ABORT, 'review comments are append-only'); END;
    CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews BEGIN SELECT RAISE(ABORT, 'review comments are append-only'); END;
    CREATE TRIGGER signatures_immutable BEFORE UPDATE ON signatures BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
    CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
  `,
};
