// One way to walk an import folder, shared by every folder source (image folders, DICOM folders, VQA image folders):
// names sorted, symbolic links followed when they resolve inside the import root and refused when they resolve outside
// it (or nowhere), each real folder read once, and anything that is not a regular file or folder (FIFO, socket, device)
// refused rather than opened (opening a FIFO blocks until something writes to it).
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

export type RefusalCode = 'symlink-outside-root' | 'symlink-broken' | 'symlink-repeat' | 'not-a-regular-file' | 'file-unreadable';

export type WalkEntry =
  { type: 'file'; rel: string; path: string; size: number } | { type: 'refused'; rel: string; path: string; code: RefusalCode; reason: string };

export type Resolved = { ok: true; real: string; stat: Stats } | { ok: false; code: RefusalCode; reason: string };

/** True when `real` is `rootReal` or lies under it (both already resolved with realpath). */
export function isInsideRoot(rootReal: string, real: string): boolean {
  const r = relative(rootReal, real);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** What `path` is once symbolic links (in it or in its parent folders) are followed, provided it stays inside the root. */
export async function resolveInsideRoot(rootReal: string, path: string): Promise<Resolved> {
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (e) {
    return { ok: false, code: 'file-unreadable', reason: `cannot read (${(e as Error).message})` };
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch (e) {
    return link.isSymbolicLink()
      ? { ok: false, code: 'symlink-broken', reason: 'symbolic link to something that does not exist' }
      : { ok: false, code: 'file-unreadable', reason: `cannot read (${(e as Error).message})` };
  }
  if (!isInsideRoot(rootReal, real)) return { ok: false, code: 'symlink-outside-root', reason: `symbolic link to ${real}, outside the import folder; refused` };
  return { ok: true, real, stat: link.isSymbolicLink() ? await stat(real) : link };
}

/**
 * Every file under `dir` (recursively), as `/`-joined paths relative to it, plus what was refused and why. Links must stay
 * inside `within` (the import root; default `dir` itself).
 */
export async function* walkFolder(dir: string, opts: { skipHidden: boolean; within?: string }): AsyncGenerator<WalkEntry> {
  const rootReal = await realpath(opts.within ?? dir);
  // The walked folder and its ancestors up to the root count as read: a link back up to one of them is a loop.
  const seen = new Set<string>([rootReal]);
  for (let p = await realpath(dir); isInsideRoot(rootReal, p) && p !== rootReal; p = dirname(p)) seen.add(p);
  yield* walkDir(dir, '', rootReal, seen, opts.skipHidden);
}

async function* walkDir(dir: string, dirRel: string, rootReal: string, seen: Set<string>, skipHidden: boolean): AsyncGenerator<WalkEntry> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (e) {
    yield { type: 'refused', rel: dirRel || '.', path: dir, code: 'file-unreadable', reason: `cannot list the folder (${(e as Error).message})` };
    return;
  }
  for (const name of names) {
    if (skipHidden && name.startsWith('.')) continue;
    const path = join(dir, name);
    const rel = dirRel ? `${dirRel}/${name}` : name;
    const r = await resolveInsideRoot(rootReal, path);
    if (!r.ok) {
      yield { type: 'refused', rel, path, code: r.code, reason: r.reason };
      continue;
    }
    if (r.stat.isDirectory()) {
      const real = r.real;
      if (seen.has(real)) {
        yield { type: 'refused', rel, path, code: 'symlink-repeat', reason: 'links to a folder that is already read; skipped so no image is imported twice' };
        continue;
      }
      seen.add(real);
      yield* walkDir(path, rel, rootReal, seen, skipHidden);
    } else if (r.stat.isFile()) {
      yield { type: 'file', rel, path, size: r.stat.size };
    } else {
      yield { type: 'refused', rel, path, code: 'not-a-regular-file', reason: 'not a regular file (a FIFO, socket or device); refused' };
    }
  }
}
