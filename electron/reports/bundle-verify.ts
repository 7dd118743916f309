// Verifies an evidence bundle: manifest.json is intact (canonical bytes, seal), every listed file has its SHA-256
// and size and no file was added; the audit-log excerpt recomputes entry by entry (hash, links between consecutive
// entries, head). With a workspace, also: its whole chain verifies, every excerpt entry equals the stored entry of
// the same number, and the manifest's hash is the one recorded when the report was generated.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry, AuditVerification } from '../../shared/api/audit.ts';
import type { BundleProblem, BundleVerification } from '../../shared/api/reports.ts';
import { entryHash } from '../audit/audit-log.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import type { AuditExcerpt } from './audit-excerpt.ts';
import { AUDIT_FILE, MANIFEST_FILE, MANIFEST_FORMAT } from './bundle-layout.ts';
import { listFiles, manifestBytes, manifestSeal, type BundleManifest } from './evidence-bundle.ts';

export interface WorkspaceAuditView {
  verify(): AuditVerification;
  entry(seq: number): AuditEntry | null;
  /** Whether a reports:generate audit entry recorded this manifest hash. */
  recordsManifest(manifestHash: string): boolean;
}

export function verifyBundle(dir: string, ws?: WorkspaceAuditView): BundleVerification {
  const problems: BundleProblem[] = [];
  const problem = (kind: BundleProblem['kind'], file: string | null, seq: number | null, message: string) => problems.push({ kind, file, seq, message });
  const result = (files: number, auditEntries: number, head: BundleVerification['auditHead']): BundleVerification => ({ ok: problems.length === 0, files, auditEntries, auditHead: head, checkedAgainstWorkspace: ws !== undefined, problems });

  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    problem('file-missing', MANIFEST_FILE, null, `${MANIFEST_FILE} is missing: ${dir} is not a MedBridge evidence bundle, or its manifest was removed.`);
    return result(0, 0, null);
  }
  const raw = readFileSync(manifestPath);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(raw.toString('utf8')) as BundleManifest;
    if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files)) throw new Error('not a bundle manifest');
  } catch {
    problem('manifest-unreadable', MANIFEST_FILE, null, `${MANIFEST_FILE} cannot be read as a MedBridge bundle manifest (it was altered or truncated); no file can be checked against it.`);
    return result(0, 0, null);
  }
  let sealOk = false;
  try {
    sealOk = manifestSeal(manifest) === manifest.seal && manifestBytes(manifest).equals(raw);
  } catch {
    sealOk = false;
  }
  if (!sealOk) problem('file-changed', MANIFEST_FILE, null, `${MANIFEST_FILE} was altered: its bytes or its seal no longer match its content.`);

  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const p = join(dir, ...f.path.split('/'));
    if (!existsSync(p)) {
      problem('file-missing', f.path, null, `${f.path} is listed in the manifest but missing.`);
      continue;
    }
    const bytes = readFileSync(p);
    const hash = sha256Hex(bytes);
    if (hash !== f.sha256 || bytes.length !== f.bytes) problem('file-changed', f.path, null, `${f.path} was changed: SHA-256 ${hash.slice(0, 16)}… (${bytes.length} bytes), manifest says ${String(f.sha256).slice(0, 16)}… (${f.bytes} bytes).`);
  }
  for (const p of listFiles(dir)) if (p !== MANIFEST_FILE && !listed.has(p)) problem('file-unlisted', p, null, `${p} is in the bundle folder but not in its manifest (added after the report was generated).`);

  let entries: AuditEntry[] = [];
  const auditPath = join(dir, AUDIT_FILE);
  if (existsSync(auditPath)) {
    try {
      const excerpt = JSON.parse(readFileSync(auditPath, 'utf8')) as AuditExcerpt;
      entries = excerpt.entries;
      let prev: AuditEntry | null = null;
      for (const en of entries) {
        const recomputed = entryHash({ seq: en.seq, ts: en.ts, actor: en.actor, action: en.action, subject: en.subject, payload: en.payload, prevHash: en.prevHash });
        if (recomputed !== en.hash) problem('entry-altered', AUDIT_FILE, en.seq, `Audit entry #${en.seq} (${en.action} ${en.subject}) in ${AUDIT_FILE} was altered: its hash does not recompute.`);
        if (prev && en.seq === prev.seq + 1 && en.prevHash !== prev.hash) problem('entry-unlinked', AUDIT_FILE, en.seq, `Audit entry #${en.seq} in ${AUDIT_FILE} does not link to entry #${prev.seq}.`);
        prev = en;
      }
      const last = entries.at(-1);
      if (!last || last.seq !== manifest.auditHead?.seq || last.hash !== manifest.auditHead?.hash || excerpt.head?.hash !== manifest.auditHead?.hash) {
        problem('head-mismatch', AUDIT_FILE, last?.seq ?? null, `The audit excerpt does not end at the head recorded in the manifest (#${manifest.auditHead?.seq}).`);
      }
    } catch {
      problem('entry-altered', AUDIT_FILE, null, `${AUDIT_FILE} cannot be read as an audit-log excerpt.`);
    }
  } else if (!listed.has(AUDIT_FILE)) {
    problem('file-missing', AUDIT_FILE, null, `${AUDIT_FILE} is missing from the bundle.`);
  }

  if (ws) {
    const chain = ws.verify();
    if (!chain.ok && chain.firstProblem) problem('workspace-chain', null, chain.firstProblem.seq, `Workspace audit log: ${chain.firstProblem.message}`);
    for (const en of entries) {
      const stored = ws.entry(en.seq);
      if (!stored) problem('workspace-entry-differs', AUDIT_FILE, en.seq, `Audit entry #${en.seq} of the bundle is not in this workspace's audit log.`);
      else if (stored.hash !== en.hash) problem('workspace-entry-differs', AUDIT_FILE, en.seq, `Audit entry #${en.seq} (${en.action} ${en.subject}) differs between the bundle and this workspace's audit log.`);
    }
    if (!ws.recordsManifest(sha256Hex(raw))) problem('manifest-unrecorded', MANIFEST_FILE, null, `No report generation recorded in this workspace's audit log has this ${MANIFEST_FILE} (SHA-256 ${sha256Hex(raw).slice(0, 16)}…): the manifest was rewritten, or the bundle comes from another workspace.`);
  }
  return result(manifest.files.length, entries.length, manifest.auditHead ?? null);
}
