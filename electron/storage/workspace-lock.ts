// One MedBridge host per workspace: the holder writes workspace.lock with its pid (and, when serving, its URL),
// so another process either talks to it through the contract or refuses to write. A lock left by a crash is taken over.
import { hostname } from 'node:os';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.ts';

export interface LockInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Set by a serving host so other processes can reach it. */
  url?: string;
  token?: string;
}

export const LOCK_FILE = 'workspace.lock';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the workspace, or null when nobody (alive) holds it. */
export function readLiveLock(dir: string): LockInfo | null {
  const file = join(dir, LOCK_FILE);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    if (info.hostname === hostname() && info.pid !== process.pid && isProcessAlive(info.pid)) return info;
    return null;
  } catch {
    return null;
  }
}

export class WorkspaceLock {
  private readonly file: string;
  private info: LockInfo;
  private constructor(file: string, info: LockInfo) {
    this.file = file;
    this.info = info;
  }

  static acquire(dir: string): WorkspaceLock {
    const holder = readLiveLock(dir);
    if (holder) {
      throw new AppError(
        'workspace/locked',
        `This workspace is open in another MedBridge process (pid ${holder.pid}${holder.url ? `, serving ${holder.url.split('?')[0]}` : ''}). Close it or use that window.`,
        { pid: holder.pid },
      );
    }
    const info: LockInfo = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
    return new WorkspaceLock(file, info);
  }

  advertise(url: string, token: string): void {
    this.info = { ...this.info, url, token };
    writeFileSync(this.file, JSON.stringify(this.info), { mode: 0o600 });
  }

  release(): void {
    try {
      const current = JSON.parse(readFileSync(this.file, 'utf8')) as LockInfo;
      if (current.pid === process.pid) rmSync(this.file, { force: true });
    } catch {
      // Already gone.
    }
  }
}
