// The pack id: SHA-256 over the pack's files, independent of listing order.
// Canonical text: one "<sha256>  <path>\n" line per file (sha256sum format), sorted by path in
// code-unit order; manifest.json itself is not part of it (it lists the hashes).
import { createHash } from 'node:crypto';

export interface FileDigest {
  path: string;
  sha256: string;
}

export function packIdentityText(files: readonly FileDigest[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sorted.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

/** Lower-case hex SHA-256 of `packIdentityText(files)`. */
export function computePackId(files: readonly FileDigest[]): string {
  return createHash('sha256').update(packIdentityText(files), 'utf8').digest('hex');
}
