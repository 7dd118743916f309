// Relative paths taken from untrusted sources (zip entry names, CSV/JSON image columns) are normalised here or refused.

/** Windows drive prefix such as `C:` — a path that would leave the import root on Windows. */
const DRIVE_LETTER = /^[A-Za-z]:/;
/** Control characters (incl. NUL) have no place in a file name. */
// eslint-disable-next-line no-control-regex -- matching control characters is this expression's purpose.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export type SafePath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Normalises a relative path with `/` separators: drops `.` and empty segments; refuses `..`, absolute paths,
 * drive letters, backslashes and control characters (a zip made on Windows with `\` is refused rather than guessed).
 */
export function normaliseRelativePath(raw: string): SafePath {
  if (raw.length === 0) return { ok: false, reason: 'empty path' };
  if (raw.includes('\\')) return { ok: false, reason: 'backslash in path' };
  if (CONTROL_CHARS.test(raw)) return { ok: false, reason: 'control character in path' };
  if (raw.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (DRIVE_LETTER.test(raw)) return { ok: false, reason: 'drive letter in path' };
  const parts: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return { ok: false, reason: 'parent-directory segment (..) in path' };
    parts.push(seg);
  }
  if (parts.length === 0) return { ok: false, reason: 'path names no file' };
  return { ok: true, path: parts.join('/') };
}
