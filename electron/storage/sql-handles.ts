// The two handles the rest of the app gets on the workspace database, so that "every state change is one
// transaction and one audit entry" holds by construction rather than by convention:
// - `ReadDb` prepares only statements SQLite itself reports as read-only (better-sqlite3's `readonly` flag);
//   any other statement is refused with `storage/write-outside-change` before it runs.
// - `WriteDb` can also write, but only inside a transaction; the workspace hands it out only from `Workspace.change`
//   (one audit entry) and `Workspace.jobBookkeeping` (a running job's progress, cursor and checkpoint output).
// Only the repositories in storage/ hold SQL: they take one of these handles and return typed rows.
import type Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.ts';
import { integrityCheck, type Db } from './database.ts';

type Statement = Database.Statement<unknown[], unknown>;

export class ReadDb {
  private readonly statements = new Map<string, Statement>();
  protected readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** The first row, or undefined. `Row` is the shape the repository's SELECT names. */
  get<Row>(sql: string, ...params: unknown[]): Row | undefined {
    return this.statement(sql, false).get(...params) as Row | undefined;
  }

  all<Row>(sql: string, ...params: unknown[]): Row[] {
    return this.statement(sql, false).all(...params) as Row[];
  }

  /** Rows one at a time, for results too large to hold (the statement stays busy until the loop ends). */
  iterate<Row>(sql: string, ...params: unknown[]): IterableIterator<Row> {
    return this.statement(sql, false).iterate(...params) as IterableIterator<Row>;
  }

  /** The first column of the first row, or undefined. */
  value<V>(sql: string, ...params: unknown[]): V | undefined {
    return this.statement(sql, true).get(...params) as V | undefined;
  }

  /** The first column of every row. */
  values<V>(sql: string, ...params: unknown[]): V[] {
    return this.statement(sql, true).all(...params) as V[];
  }

  /** Whether a transaction is open on the connection (a change not committed yet). */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Runs `fn`'s reads in one transaction, so they see one state of the database. */
  snapshot<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** A prepared statement per SQL text (and per plucked or whole rows), prepared once. */
  protected statement(sql: string, pluck: boolean): Statement {
    const key = pluck ? `pluck:${sql}` : sql;
    const cached = this.statements.get(key);
    if (cached) return cached;
    const stmt = this.prepare(sql);
    if (pluck) stmt.pluck(true);
    this.statements.set(key, stmt);
    return stmt;
  }

  protected prepare(sql: string): Statement {
    const stmt = this.db.prepare<unknown[], unknown>(sql);
    if (!stmt.readonly) {
      throw new AppError('storage/write-outside-change', `MedBridge tried to change the workspace database outside an audited change (${firstWords(sql)}).`, {
        sql: firstWords(sql),
      });
    }
    return stmt;
  }
}

export class WriteDb extends ReadDb {
  /** Runs a statement that writes. Refused outside a transaction: a write always belongs to a change. */
  run(sql: string, ...params: unknown[]): Database.RunResult {
    if (!this.db.inTransaction) {
      throw new AppError('storage/write-outside-change', `MedBridge tried to change the workspace database outside a transaction (${firstWords(sql)}).`, {
        sql: firstWords(sql),
      });
    }
    return this.statement(sql, false).run(...params);
  }

  protected override prepare(sql: string): Statement {
    return this.db.prepare<unknown[], unknown>(sql);
  }
}

function firstWords(sql: string): string {
  return sql.trim().replace(/\s+/g, ' ').slice(0, 60);
}

/** The workspace's connection as the workspace holds it: the read handle, transactions with the write handle, close. */
export class WorkspaceDb {
  readonly read: ReadDb;
  private readonly write: WriteDb;
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    this.read = new ReadDb(db);
    this.write = new WriteDb(db);
  }

  /** Runs `fn` in one transaction (a savepoint when nested) with the handle that can write. */
  transaction<T>(fn: (tx: WriteDb) => T): T {
    return this.db.transaction(() => fn(this.write))();
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** SQLite's full integrity check: 'ok', or the problems it found joined by '; '. */
  integrityCheck(): string {
    return integrityCheck(this.db);
  }

  /** SQLite's journal mode (`wal` for a workspace). */
  journalMode(): string {
    return String(this.db.pragma('journal_mode', { simple: true }));
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Folds the write-ahead log into the database file and closes the connection. */
  close(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
