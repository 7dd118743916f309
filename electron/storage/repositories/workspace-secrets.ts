// The workspace_secrets table: keys made once per workspace that never leave it.
import type { ReadDb, WriteDb } from '../sql-handles.ts';

/** Stores the key for patient pseudonyms and replacement UIDs, unless the workspace has one already. */
export function insertPseudonymKeyIfMissing(tx: WriteDb, key: Buffer, createdAt: string): void {
  tx.run("INSERT OR IGNORE INTO workspace_secrets (name, value, created_at) VALUES ('pseudonym-key', ?, ?)", key, createdAt);
}

export function pseudonymKey(db: ReadDb): Buffer | undefined {
  return db.value<Buffer>("SELECT value FROM workspace_secrets WHERE name = 'pseudonym-key'");
}
