// Creating a workspace folder and its parents, one level at a time. Node's mkdirSync({recursive:true}) loops for ever
// on a path it can never create under some file systems (`/proc/nope`: mkdir says ENOENT, the parent exists, so it
// retries — 112,905 calls in 25 s), so each missing level is made once and any refusal becomes a coded error.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../shared/errors.ts';

const REASONS: Record<string, string> = {
  ENOENT: 'the file system does not allow creating it here',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EEXIST: 'a file with that name is in the way',
};

function cannotCreate(target: string, e: NodeJS.ErrnoException | null, reason?: string): AppError {
  const code = e?.code ?? 'ENOTDIR';
  const why = reason ?? REASONS[code] ?? e?.message ?? code;
  return new AppError('workspace/cannot-create', `Cannot create the workspace folder ${target}: ${why} (${code}).`, { path: target, reason: code });
}

/** What is at `path` on the way up from `target`; any other refusal to look is `target`'s cannot-create. */
function kindOf(path: string, target: string): 'dir' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: something above is a file; walking up finds it and names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw cannotCreate(target, e as NodeJS.ErrnoException);
  }
}

/** Makes `target` (absolute) and any missing parents with `mode`; throws workspace/cannot-create naming the path. */
export function createFolderPath(target: string, mode: number): void {
  const missing: string[] = [];
  let at = target;
  for (;;) {
    const kind = kindOf(at, target);
    if (kind === 'dir') break;
    if (kind === 'other') throw cannotCreate(target, null, `${at} is a file, not a folder`);
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode });
    } catch (e) {
      throw cannotCreate(target, e as NodeJS.ErrnoException);
    }
  }
}
