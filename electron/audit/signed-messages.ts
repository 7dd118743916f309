// The exact bytes that are signed. A head signature binds the workspace, the entry number, its chain hash and the
// signing key's fingerprint, so a signature cannot be moved to another workspace, entry or key. A bundle signature
// binds the SHA-256 of manifest.json's bytes (which list every file's SHA-256) and the workspace it came from.
import { canonicalJson } from '../../shared/canonical-json.ts';

export const HEAD_PURPOSE = 'medbridge-audit-head/1';
export const BUNDLE_PURPOSE = 'medbridge-bundle-manifest/1';

export function headMessage(h: { workspace: string; seq: number; hash: string; key: string }): string {
  return canonicalJson({ purpose: HEAD_PURPOSE, workspace: h.workspace, seq: h.seq, hash: h.hash, key: h.key });
}

export function bundleMessage(b: { workspace: string; manifestSha256: string; key: string }): string {
  return canonicalJson({ purpose: BUNDLE_PURPOSE, workspace: b.workspace, manifestSha256: b.manifestSha256, key: b.key });
}
