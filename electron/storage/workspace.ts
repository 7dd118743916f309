// A workspace folder: workspace.sqlite (WAL) + blobs/. Opening takes the lock, checks integrity, migrates,
// and marks jobs left running by a crash as interrupted (one audited transaction).
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { AuditLog, type AuditInput } from '../audit/audit-log.ts';
import { noteChange } from './change-tracking.ts';
import { BlobStore } from './blob-store.ts';
import { Installation } from '../audit/installation.ts';
import { openDatabase, type Db } from './database.ts';
import { WorkspaceDb, type ReadDb, type WriteDb } from './sql-handles.ts';
import { markJobInterrupted, unfinishedJobs } from './repositories/jobs.ts';
import { WorkspaceLock } from './workspace-lock.ts';
import { createFolderPath } from './create-folder.ts';

export const DATABASE_FILE = 'workspace.sqlite';

export class Workspace {
  readonly dir: string;
  /** Reads only (a writing statement is refused). Writes go through `change`. */
  readonly read: ReadDb;
  private readonly connection: WorkspaceDb;
  readonly blobs: BlobStore;
  readonly audit: AuditLog;
  readonly lock: WorkspaceLock;
  /** Result of the full integrity check run when the database was opened (a full check is too slow to repeat per call). */
  readonly integrityAtOpen: { result: string; checkedAt: string };

  private constructor(dir: string, db: Db, lock: WorkspaceLock, installation: Installation) {
    this.integrityAtOpen = { result: 'ok', checkedAt: new Date().toISOString() };
    this.dir = dir;
    this.connection = new WorkspaceDb(db);
    this.read = this.connection.read;
    this.lock = lock;
    this.blobs = new BlobStore(dir);
    this.audit = new AuditLog(this.read, installation, dir);
  }

  /** Creates a new workspace folder (empty or absent) and records its creation as the first audit entry. */
  /** `installation`: where the audit signing key and anchor log live (default: the user's config folder). */
  static init(dirInput: string, actor: string, installation: Installation = Installation.fromEnvironment()): Workspace {
    const dir = resolve(dirInput);
    if (existsSync(join(dir, DATABASE_FILE))) {
      throw new AppError('workspace/already-exists', `A MedBridge workspace already exists in ${dir}.`, { path: dir });
    }
    createFolderPath(dir, 0o700);
    if (readdirSync(dir).length > 0) {
      throw new AppError('workspace/already-exists', `${dir} is not empty; choose an empty or new folder for a workspace.`, { path: dir });
    }
    createFolderPath(join(dir, 'blobs'), 0o700);
    const lock = WorkspaceLock.acquire(dir);
    const ws = new Workspace(dir, openDatabase(join(dir, DATABASE_FILE), { create: true }), lock, installation);
    ws.change({ actor, action: 'workspace:init', subject: dir, payload: { schemaVersion: ws.schemaVersion() } }, () => undefined);
    return ws;
  }

  static open(dirInput: string, actor: string, installation: Installation = Installation.fromEnvironment()): Workspace {
    const dir = resolve(dirInput);
    if (!existsSync(join(dir, DATABASE_FILE))) {
      throw new AppError('workspace/not-found', `No MedBridge workspace in ${dir}. Create one with: medbridge init --workspace ${dir}`, { path: dir });
    }
    const lock = WorkspaceLock.acquire(dir);
    let db: Db;
    try {
      db = openDatabase(join(dir, DATABASE_FILE), { create: false });
    } catch (e) {
      lock.release();
      throw e;
    }
    const ws = new Workspace(dir, db, lock, installation);
    ws.recoverInterruptedJobs(actor);
    return ws;
  }

  schemaVersion(): number {
    return this.connection.schemaVersion();
  }

  /** SQLite's journal mode (`wal` for a workspace). */
  /** SQLite's full integrity check now ('ok' or the problems found); slow on a large workspace. */
  integrityCheck(): string {
    return this.connection.integrityCheck();
  }

  journalMode(): string {
    return this.connection.journalMode();
  }

  /** Runs one state change and its audit entry in a single transaction; returns the change's result. */
  /** `fn` gets the only handle that can write; it is valid inside `fn` only. */
  change<T>(entry: AuditInput | ((result: T) => AuditInput), fn: (tx: WriteDb) => T): T {
    let action = '';
    const result = this.connection.transaction((tx) => {
      const r = fn(tx);
      const e = typeof entry === 'function' ? entry(r) : entry;
      action = e.action;
      this.audit.append(tx, e);
      return r;
    });
    noteChange(action);
    // Committed (unless nested in an outer transaction): the signed head goes to the anchor log outside the workspace.
    this.audit.flushAnchor();
    return result;
  }

  /**
   * The one kind of write that is not an audited change: a running job's bookkeeping (its attempt count, worker,
   * progress and cursor) and the checkpoint output committed with its cursor. The job's start, resume, cancel and
   * end carry its audit entries (jobs/job-runner.ts).
   */
  jobBookkeeping<T>(fn: (tx: WriteDb) => T): T {
    return this.connection.transaction(fn);
  }

  /** Jobs still marked running/cancelling belonged to a host that died: they become `interrupted`. */
  private recoverInterruptedJobs(actor: string): void {
    const stale = unfinishedJobs(this.read);
    for (const job of stale) {
      this.change(
        {
          actor,
          action: 'job:interrupted',
          subject: job.id,
          payload: { kind: job.kind, reason: 'host-stopped', done: job.progress_done, total: job.progress_total },
        },
        (tx) => {
          markJobInterrupted(tx, job.id);
        },
      );
    }
  }

  close(): void {
    if (this.connection.isOpen) {
      this.audit.flushAnchor();
      this.connection.close();
    }
    this.lock.release();
  }
}
