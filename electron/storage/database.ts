// Connection set-up in one place: WAL, synchronous=FULL (audit log and imports must survive power loss),
// foreign keys, busy timeout, integrity check on open, then pending migrations.
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.ts';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations/index.ts';

export type Db = Database.Database;

const BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  /** Create the file if missing (only `init` does). */
  create: boolean;
  readonly?: boolean;
}

export function openDatabase(file: string, options: OpenOptions): Db {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: !options.create, readonly: options.readonly ?? false });
  } catch (e) {
    throw new AppError('workspace/not-found', `No MedBridge workspace database at ${file}.`, { file, cause: String(e) });
  }
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  const integrity = integrityCheck(db);
  if (integrity !== 'ok') {
    db.close();
    throw new AppError('workspace/corrupt', `The workspace database failed its integrity check: ${integrity}`, { file });
  }
  if (!options.readonly) migrate(db);
  return db;
}

export function integrityCheck(db: Db): string {
  const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
  return rows.map((r) => r.integrity_check).join('; ');
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies pending migrations, each in its own transaction together with its user_version bump. */
export function migrate(db: Db): number {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new AppError(
      'workspace/schema-too-new',
      `This workspace was written by a newer MedBridge (schema ${current}; this version knows up to ${LATEST_SCHEMA_VERSION}). Update MedBridge to open it.`,
    );
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}
