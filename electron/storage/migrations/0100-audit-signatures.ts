// Signed audit heads. The workspace gets a random id (the signed message and the anchor log outside the workspace
// name it); audit_keys keeps every public key that ever signed here (one per installation that opened the
// workspace); audit_signatures holds, per entry, the Ed25519 signature of {workspace, seq, hash, key}. All three
// are append-only like audit_log. Entries written before this migration stay hash-chain only.
import type { Migration } from '../migration.ts';
import { appendOnlyTriggerSql } from '../append-only-triggers.ts';

const guarded = ['workspace_identity', 'audit_keys', 'audit_signatures'];

export const migration: Migration = {
  version: 100,
  name: 'audit-signatures',
  sql: `
    CREATE TABLE workspace_identity (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      workspace_id TEXT NOT NULL
    ) STRICT;
    INSERT INTO workspace_identity (id, workspace_id) VALUES (1, lower(hex(randomblob(16))));
    CREATE TABLE audit_keys (
      fingerprint TEXT PRIMARY KEY,
      algorithm TEXT NOT NULL,
      public_key TEXT NOT NULL,
      first_seq INTEGER NOT NULL,
      added_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE audit_signatures (
      seq INTEGER PRIMARY KEY,
      key TEXT NOT NULL REFERENCES audit_keys(fingerprint),
      signature TEXT NOT NULL
    ) STRICT;
    ${guarded.flatMap((t) => [appendOnlyTriggerSql(t, 'UPDATE'), appendOnlyTriggerSql(t, 'DELETE')]).join('\n    ')}
  `,
};
