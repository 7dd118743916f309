// Paths as the contract sees them: plain strings, no node:path (shared/ runs in the renderer too).

/** A full path on the host: POSIX (/…), a Windows drive (C:\… or C:/…) or a UNC share (\\server\…). `C:x` (relative to
 *  the drive's current folder) and `\x` (relative to the current drive) are not. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
