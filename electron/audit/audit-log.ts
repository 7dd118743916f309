// Append-only, hash-chained audit log. Each entry's hash = SHA-256 of the canonical JSON of
// {seq, ts, actor, action, subject, payload, prevHash}; the first entry's prevHash is GENESIS_HASH.
// Appends must run inside the caller's transaction, so the change and its entry commit together.
// With an installation (always, outside tests of the bare chain), every append also signs the new head with the
// installation's Ed25519 key (kept outside the workspace) in the same transaction, and after the commit the signed
// head is appended to the anchor log in the installation's config folder (flushAnchor).
import { realpathSync } from 'node:fs';
import { canonicalJson } from '../../shared/canonical-json.ts';
import type { AuditEntry, AuditProblem, AuditVerification } from '../../shared/api/audit.ts';
import type { ReadDb, WriteDb } from '../storage/sql-handles.ts';
import {
  auditEntryCount,
  auditHead,
  auditKeyFingerprints,
  auditRowsInOrder,
  insertAuditEntry,
  insertAuditSignature,
  latestAuditEntries,
  recordAuditSigningKey,
  setAuditHead,
  workspaceIdentity,
} from '../storage/repositories/audit-log.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import type { Installation } from './installation.ts';
import { KEY_ALGORITHM, type SigningKey } from './signing-key.ts';
import { AppError } from '../../shared/errors.ts';
import { AnchorLog, type AnchorLine } from './anchor-log.ts';
import { headMessage } from './signed-messages.ts';
import { verifyAudit, type ChainResult } from './audit-verify.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  actor: string;
  action: string;
  subject: string;
  payload: unknown;
}

export function entryHash(e: { seq: number; ts: string; actor: string; action: string; subject: string; payload: unknown; prevHash: string }): string {
  return sha256Hex(canonicalJson({ seq: e.seq, ts: e.ts, actor: e.actor, action: e.action, subject: e.subject, payload: e.payload, prevHash: e.prevHash }));
}

export class AuditLog {
  private readonly read: ReadDb;
  private readonly listeners = new Set<(e: AuditEntry) => void>();
  private readonly installation: Installation | null;
  private readonly dir: string;
  private pendingAnchor: AnchorLine | null = null;
  private anchorWarned = false;
  /**
   * `read`: the workspace's read handle (entries are written with the change's own handle, see `append`).
   * `installation` null: chain only (no signature, no anchor) — for tests of the bare chain. `dir`: the workspace folder.
   */
  constructor(read: ReadDb, installation: Installation | null = null, dir = '') {
    this.read = read;
    this.installation = installation;
    this.dir = dir ? realpathSync(dir) : '';
  }

  /** The random id the workspace got when signing was introduced (migration 100), or null if it is missing. */
  workspaceId(): string | null {
    try {
      return workspaceIdentity(this.read) ?? null;
    } catch {
      return null;
    }
  }

  /** The key that signs this workspace's new entries (and its report bundles) here, or null when unsigned. */
  signingKey(): SigningKey | null {
    return this.installation ? this.installation.signingKey() : null;
  }

  /** This installation's own and known key fingerprints (for bundle verification without a workspace). */
  trust(): { trusted: Set<string>; own: Set<string> } {
    return this.installation?.trust() ?? { trusted: new Set(), own: new Set() };
  }

  /** Fingerprints of every key that ever signed this workspace's audit log, oldest first. */
  keyFingerprints(): string[] {
    return auditKeyFingerprints(this.read);
  }

  /** Signs the new head inside the caller's transaction; the anchor line is written after the commit. */
  private signHead(tx: WriteDb, seq: number, hash: string, ts: string): void {
    if (!this.installation) return;
    const workspace = this.workspaceId();
    if (!workspace)
      throw new AppError(
        'audit/identity-missing',
        'This workspace has lost its identity row (workspace_identity), so its audit entries cannot be signed; run medbridge audit verify and restore the workspace from a backup.',
      );
    const key = this.installation.signingKey();
    recordAuditSigningKey(tx, { fingerprint: key.fingerprint, algorithm: KEY_ALGORITHM, publicKey: key.publicKey, firstSeq: seq, addedAt: ts });
    const signature = key.sign(headMessage({ workspace, seq, hash, key: key.fingerprint }));
    insertAuditSignature(tx, seq, key.fingerprint, signature);
    this.pendingAnchor = { workspace, dir: this.dir, seq, hash, key: key.fingerprint, publicKey: key.publicKey, signature };
  }

  /**
   * Appends the last signed head to the anchor log once it is committed (call after the transaction). A head whose
   * transaction was rolled back (by whichever caller) is no longer the stored head and is dropped.
   */
  flushAnchor(): void {
    const line = this.pendingAnchor;
    if (!line || !this.installation || this.read.inTransaction) return;
    this.pendingAnchor = null;
    const head = this.head();
    if (head.seq !== line.seq || head.hash !== line.hash) return;
    try {
      new AnchorLog(this.installation.anchorFile(line.workspace)).append(line);
    } catch (e) {
      if (!this.anchorWarned)
        process.stderr.write(
          `MedBridge: could not append to the audit anchor log in ${this.installation.configDir} (${(e as Error).message}); truncation of this workspace's log will not be detectable on this installation.\n`,
        );
      this.anchorWarned = true;
    }
  }

  /** Appends one entry with the write handle of the change it records. Must be called inside its transaction (asserted). */
  append(tx: WriteDb, input: AuditInput): AuditEntry {
    if (!tx.inTransaction) throw new Error('AuditLog.append must run inside the transaction of the change it records');
    const head = auditHead(tx);
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const ts = new Date().toISOString();
    // Round-trip through canonical JSON so the stored payload is exactly what was hashed.
    const payloadText = canonicalJson(input.payload ?? null);
    const payload = JSON.parse(payloadText) as unknown;
    const hash = entryHash({ seq, ts, actor: input.actor, action: input.action, subject: input.subject, payload, prevHash });
    insertAuditEntry(tx, { seq, ts, actor: input.actor, action: input.action, subject: input.subject, payload: payloadText, prev_hash: prevHash, hash });
    setAuditHead(tx, { seq, hash });
    this.signHead(tx, seq, hash, ts);
    const entry: AuditEntry = { seq, ts, actor: input.actor, action: input.action, subject: input.subject, payload, prevHash, hash };
    for (const l of this.listeners) queueMicrotask(() => l(entry));
    return entry;
  }

  onAppend(listener: (e: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  head(): { seq: number; hash: string } {
    return auditHead(this.read) ?? { seq: 0, hash: GENESIS_HASH };
  }

  count(): number {
    return auditEntryCount(this.read);
  }

  list(opts: { beforeSeq?: number | undefined; limit: number }): AuditEntry[] {
    return latestAuditEntries(this.read, opts.beforeSeq, opts.limit);
  }

  /** Chain, signatures, anchor log and triggers (see audit-verify.ts). */
  verify(): AuditVerification {
    this.flushAnchor();
    return verifyAudit(this.read, this.installation, this.dir, () => this.verifyChain());
  }

  /** Recomputes the whole chain; names the first entry that was edited, removed, reordered or truncated. */
  verifyChain(): ChainResult {
    const rows = auditRowsInOrder(this.read);
    let expectedSeq = 1;
    let prev = GENESIS_HASH;
    let n = 0;
    const fail = (problem: AuditProblem): ChainResult => ({ ok: false, entries: n, headHash: prev, firstProblem: problem });
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return fail({ seq: expectedSeq, kind: 'gap', message: `Audit entry #${expectedSeq} is missing (next stored entry is #${row.seq}).` });
      }
      let payload: unknown;
      try {
        payload = JSON.parse(row.payload);
      } catch {
        return fail({ seq: row.seq, kind: 'payload-unreadable', message: `Audit entry #${row.seq} has an unreadable payload.` });
      }
      if (row.prev_hash !== prev) {
        return fail({
          seq: row.seq,
          kind: 'prev-mismatch',
          message: `Audit entry #${row.seq} does not link to entry #${row.seq - 1} (its previous-hash field was changed).`,
        });
      }
      const recomputed = entryHash({ seq: row.seq, ts: row.ts, actor: row.actor, action: row.action, subject: row.subject, payload, prevHash: row.prev_hash });
      if (recomputed !== row.hash || canonicalJson(payload) !== row.payload) {
        return fail({
          seq: row.seq,
          kind: 'hash-mismatch',
          message: `Audit entry #${row.seq} (${row.action} ${row.subject}) was altered after it was written.`,
        });
      }
      prev = row.hash;
      expectedSeq++;
      n++;
    }
    const head = this.head();
    if (head.seq !== n || head.hash !== prev) {
      return fail({
        seq: head.seq > n ? n + 1 : head.seq,
        kind: 'head-mismatch',
        message: `The audit head records entry #${head.seq} but the log ends at #${n}: entries were removed from the end, or the head was changed.`,
      });
    }
    return { ok: true, entries: n, headHash: prev, firstProblem: null };
  }
}
