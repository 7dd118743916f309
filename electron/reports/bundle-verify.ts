// Verifies an evidence bundle: manifest.json is intact (canonical bytes, seal), every listed file has its SHA-256
// and size and no file was added; the audit-log excerpt recomputes entry by entry (hash, links between consecutive
// entries, head). With a workspace, also: its whole chain verifies, every excerpt entry equals the stored entry of
// the same number, and the manifest's hash is the one recorded when the report was generated.
// signature.json must hold a valid Ed25519 signature over the manifest's SHA-256: a manifest recomputed after an
// edit fails. Whose key it is decides the guarantee: with a workspace, one of the keys its audit log records;
// without, this installation's key or one listed in known-keys.txt — otherwise "a key this installation does not
// know" and the fingerprint to compare with the one printed in the report.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry, AuditVerification } from '../../shared/api/audit.ts';
import type { BundleProblem, BundleVerification } from '../../shared/api/reports.ts';
import { entryHash } from '../audit/audit-log.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import type { AuditExcerpt } from './audit-excerpt.ts';
import { AUDIT_FILE, MANIFEST_FILE, MANIFEST_FORMAT, SIGNATURE_FILE, SIGNATURE_FORMAT } from './bundle-layout.ts';
import { listFiles, manifestBytes, manifestSeal, type BundleManifest, type BundleSignature } from './evidence-bundle.ts';
import { bundleMessage } from '../audit/signed-messages.ts';
import { fingerprintOf, formatFingerprint, verifySignature } from '../audit/signing-key.ts';

export interface WorkspaceAuditView {
  verify(): AuditVerification;
  entry(seq: number): AuditEntry | null;
  /** Whether a reports:generate audit entry recorded this manifest hash. */
  recordsManifest(manifestHash: string): boolean;
  /** The workspace's id (signed into every signature), and the fingerprints of every key its audit log recorded. */
  workspaceId: string | null;
  keyFingerprints(): string[];
}

/** The keys this installation trusts without a workspace: its own and those in known-keys.txt. */
export interface BundleTrust {
  trusted: ReadonlySet<string>;
  own: ReadonlySet<string>;
}

const UNSIGNED: BundleVerification['guarantee'] = {
  level: 'unsigned',
  fingerprint: null,
  summary: 'Not signed: nothing shows the manifest was not recomputed after an edit.',
};

export function verifyBundle(dir: string, ws?: WorkspaceAuditView, trust: BundleTrust = { trusted: new Set(), own: new Set() }): BundleVerification {
  const problems: BundleProblem[] = [];
  const problem = (kind: BundleProblem['kind'], file: string | null, seq: number | null, message: string) => problems.push({ kind, file, seq, message });
  let guarantee = UNSIGNED;
  const result = (files: number, auditEntries: number, head: BundleVerification['auditHead']): BundleVerification => ({
    ok: problems.length === 0,
    files,
    auditEntries,
    auditHead: head,
    checkedAgainstWorkspace: ws !== undefined,
    problems,
    guarantee: problems.length ? { ...guarantee, summary: `NOT VERIFIED: ${problems.length} problem(s); ${guarantee.summary}` } : guarantee,
  });

  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    problem('file-missing', MANIFEST_FILE, null, `${MANIFEST_FILE} is missing: ${dir} is not a MedBridge evidence bundle, or its manifest was removed.`);
    return result(0, 0, null);
  }
  const raw = readFileSync(manifestPath);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(raw.toString('utf8')) as BundleManifest;
    // one changed byte can leave valid JSON with a renamed key ("pbth"): every listed file must still have its fields
    const listedFileOk = (f: unknown) =>
      typeof f === 'object' &&
      f !== null &&
      typeof (f as { path?: unknown }).path === 'string' &&
      typeof (f as { sha256?: unknown }).sha256 === 'string' &&
      typeof (f as { bytes?: unknown }).bytes === 'number';
    if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files) || !manifest.files.every(listedFileOk)) throw new Error('not a bundle manifest');
  } catch {
    problem(
      'manifest-unreadable',
      MANIFEST_FILE,
      null,
      `${MANIFEST_FILE} cannot be read as a MedBridge bundle manifest (it was altered or truncated); no file can be checked against it.`,
    );
    return result(0, 0, null);
  }
  let sealOk = false;
  try {
    sealOk = manifestSeal(manifest) === manifest.seal && manifestBytes(manifest).equals(raw);
  } catch {
    sealOk = false;
  }
  if (!sealOk) problem('file-changed', MANIFEST_FILE, null, `${MANIFEST_FILE} was altered: its bytes or its seal no longer match its content.`);
  const manifestHash = sha256Hex(raw);
  guarantee = checkSignature(dir, manifestHash, ws, trust, problem);

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
    if (hash !== f.sha256 || bytes.length !== f.bytes)
      problem(
        'file-changed',
        f.path,
        null,
        `${f.path} was changed: SHA-256 ${hash.slice(0, 16)}… (${bytes.length} bytes), manifest says ${String(f.sha256).slice(0, 16)}… (${f.bytes} bytes).`,
      );
  }
  for (const p of listFiles(dir))
    if (p !== MANIFEST_FILE && p !== SIGNATURE_FILE && !listed.has(p))
      problem('file-unlisted', p, null, `${p} is in the bundle folder but not in its manifest (added after the report was generated).`);

  let entries: AuditEntry[] = [];
  const auditPath = join(dir, AUDIT_FILE);
  if (existsSync(auditPath)) {
    try {
      const excerpt = JSON.parse(readFileSync(auditPath, 'utf8')) as AuditExcerpt;
      entries = excerpt.entries;
      let prev: AuditEntry | null = null;
      for (const en of entries) {
        const recomputed = entryHash({
          seq: en.seq,
          ts: en.ts,
          actor: en.actor,
          action: en.action,
          subject: en.subject,
          payload: en.payload,
          prevHash: en.prevHash,
        });
        if (recomputed !== en.hash)
          problem(
            'entry-altered',
            AUDIT_FILE,
            en.seq,
            `Audit entry #${en.seq} (${en.action} ${en.subject}) in ${AUDIT_FILE} was altered: its hash does not recompute.`,
          );
        if (prev && en.seq === prev.seq + 1 && en.prevHash !== prev.hash)
          problem('entry-unlinked', AUDIT_FILE, en.seq, `Audit entry #${en.seq} in ${AUDIT_FILE} does not link to entry #${prev.seq}.`);
        prev = en;
      }
      const last = entries.at(-1);
      if (!last || last.seq !== manifest.auditHead?.seq || last.hash !== manifest.auditHead?.hash || excerpt.head?.hash !== manifest.auditHead?.hash) {
        problem(
          'head-mismatch',
          AUDIT_FILE,
          last?.seq ?? null,
          `The audit excerpt does not end at the head recorded in the manifest (#${manifest.auditHead?.seq}).`,
        );
      }
    } catch {
      problem('entry-altered', AUDIT_FILE, null, `${AUDIT_FILE} cannot be read as an audit-log excerpt.`);
    }
  } else if (!listed.has(AUDIT_FILE)) {
    problem('file-missing', AUDIT_FILE, null, `${AUDIT_FILE} is missing from the bundle.`);
  }

  if (ws) {
    const chain = ws.verify();
    for (const p of chain.problems) problem('workspace-chain', null, p.seq, `Workspace audit log [${p.kind}]: ${p.message}`);
    for (const en of entries) {
      const stored = ws.entry(en.seq);
      if (!stored) problem('workspace-entry-differs', AUDIT_FILE, en.seq, `Audit entry #${en.seq} of the bundle is not in this workspace's audit log.`);
      else if (stored.hash !== en.hash)
        problem(
          'workspace-entry-differs',
          AUDIT_FILE,
          en.seq,
          `Audit entry #${en.seq} (${en.action} ${en.subject}) differs between the bundle and this workspace's audit log.`,
        );
    }
    if (!ws.recordsManifest(manifestHash))
      problem(
        'manifest-unrecorded',
        MANIFEST_FILE,
        null,
        `No report generation recorded in this workspace's audit log has this ${MANIFEST_FILE} (SHA-256 ${manifestHash.slice(0, 16)}…): the manifest was rewritten, or the bundle comes from another workspace.`,
      );
  }
  return result(manifest.files.length, entries.length, manifest.auditHead ?? null);
}

type ProblemFn = (kind: BundleProblem['kind'], file: string | null, seq: number | null, message: string) => void;

/** Checks signature.json against the manifest's hash; returns whose key signed and what that proves. */
function checkSignature(
  dir: string,
  manifestSha256: string,
  ws: WorkspaceAuditView | undefined,
  trust: BundleTrust,
  problem: ProblemFn,
): BundleVerification['guarantee'] {
  const path = join(dir, SIGNATURE_FILE);
  if (!existsSync(path)) {
    problem(
      'signature-missing',
      SIGNATURE_FILE,
      null,
      `${SIGNATURE_FILE} is missing: the bundle's manifest is not signed, so it could have been recomputed after an edit.`,
    );
    return UNSIGNED;
  }
  let sig: BundleSignature;
  try {
    sig = JSON.parse(readFileSync(path, 'utf8')) as BundleSignature;
    if (
      sig.format !== SIGNATURE_FORMAT ||
      typeof sig.key !== 'string' ||
      typeof sig.publicKey !== 'string' ||
      typeof sig.signature !== 'string' ||
      typeof sig.workspace !== 'string'
    )
      throw new Error('shape');
  } catch {
    problem('signature-invalid', SIGNATURE_FILE, null, `${SIGNATURE_FILE} cannot be read as a MedBridge bundle signature.`);
    return UNSIGNED;
  }
  const fp = sig.key;
  const shown = formatFingerprint(fp);
  const valid =
    fingerprintOf(sig.publicKey) === fp && verifySignature(sig.publicKey, bundleMessage({ workspace: sig.workspace, manifestSha256, key: fp }), sig.signature);
  if (!valid) {
    problem(
      'signature-invalid',
      SIGNATURE_FILE,
      null,
      sig.manifestSha256 !== manifestSha256
        ? `${MANIFEST_FILE} is not the manifest key ${shown} signed (SHA-256 ${manifestSha256.slice(0, 16)}…, signed ${String(sig.manifestSha256).slice(0, 16)}…): the manifest was recomputed after the bundle was written.`
        : `The signature in ${SIGNATURE_FILE} does not verify with key ${shown}: the signature file was altered.`,
    );
    return { level: 'unsigned', fingerprint: fp, summary: `The signature of key ${shown} does not match this manifest.` };
  }
  if (ws) {
    if (sig.workspace !== ws.workspaceId || !ws.keyFingerprints().includes(fp)) {
      problem(
        'signature-key-foreign',
        SIGNATURE_FILE,
        null,
        `The bundle is signed by key ${shown} for workspace ${sig.workspace}, which is not one of the keys of this workspace's audit log (${ws.workspaceId ?? 'no id'}): it was signed elsewhere, or re-signed with another key.`,
      );
      return { level: 'signed-unknown-key', fingerprint: fp, summary: `Signed by key ${shown}, which this workspace never used.` };
    }
    return {
      level: 'signed-trusted',
      fingerprint: fp,
      summary: `Signed by key ${shown}, one of the keys of this workspace's audit log: every file is as that key's MedBridge wrote it. Someone holding that key could still rewrite and re-sign.`,
    };
  }
  if (trust.trusted.has(fp)) {
    return {
      level: 'signed-trusted',
      fingerprint: fp,
      summary: `Signed by key ${shown} (${trust.own.has(fp) ? "this installation's key" : 'listed in known-keys.txt'}): every file is as that key's MedBridge wrote it. Someone holding that key could still rewrite and re-sign.`,
    };
  }
  return {
    level: 'signed-unknown-key',
    fingerprint: fp,
    summary: `Signed by key ${shown}, which this installation does not know — compare ${shown} with the fingerprint printed in the report. The files are as that key's holder wrote them; only the fingerprint ties the key to the hospital that made the report.`,
  };
}
