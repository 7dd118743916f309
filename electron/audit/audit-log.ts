// Append-only, hash-chained audit log. Each entry's hash = SHA-256 of the canonical JSON of
// {seq, ts, actor, action, subject, payload, prevHash}; the first entry's prevHash is GENESIS_HASH.
// Appends must run inside the caller's transaction, so the change and its entry commit together.
// With an installation (always, outside tests of the bare chain), every append also signs the new head with the
// installation's Ed25519 key (kept outside the workspace) in the same transaction, and after the commit the signed
// head is appended to the anchor log in the installation's config folder (flushAnchor).
import { realpathSync } from 'node:fs';
import { canonicalJson } from '../../shared/canonical-json.ts';
import type { AuditEntry, AuditProblem, AuditVerification } from '../../shared/api/audit.ts';
import type { Db } from '../storage/database.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import type { Installation } from '../signing/installation.ts';
import { KEY_ALGORITHM, type SigningKey } from '../signing/signing-key.ts';
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

interface Row {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

export function entryHash(e: { seq: number; ts: string; actor: string; action: string; subject: string; payload: unknown; prevHash: string }): string {
  return sha256Hex(canonicalJson({ seq: e.seq, ts: e.ts, actor: e.actor, action: e.action, subject: e.subject, payload: e.payload, prevHash: e.prevHash }));
}

export class AuditLog {
  private readonly db: Db;
  private readonly listeners = new Set<(e: AuditEntry) => void>();
  private readonly installation: Installation | null;
  private readonly dir: string;
  private pendingAnchor: AnchorLine | null = null;
  private anchorWarned = false;
  /** `installation` null: chain only (no signature, no anchor) — for tests of the bare chain. `dir`: the workspace folder. */
  constructor(db: Db, installation: Installation | null = null, dir = '') {
    this.db = db;
    this.installation = installation;
    this.dir = dir ? realpathSync(dir) : '';
  }

  /** The random id the workspace got when signing was introduced (migration 100), or null if it is missing. */
  workspaceId(): string | null {
    try {
      const row = this.db.prepare('SELECT workspace_id FROM workspace_identity WHERE id = 1').get() as { workspace_id: string } | undefined;
      return row?.workspace_id ?? null;
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
    return this.db.prepare('SELECT fingerprint FROM audit_keys ORDER BY first_seq').pluck().all() as string[];
  }

  /** Signs the new head inside the caller's transaction; the anchor line is written after the commit. */
  private signHead(seq: number, hash: string, ts: string): void {
    if (!this.installation) return;
    const workspace = this.workspaceId();
    if (!workspace) throw new AppError('audit/identity-missing', 'This workspace has lost its identity row (workspace_identity), so its audit entries cannot be signed; run medbridge audit verify and restore the workspace from a backup.');
    const key = this.installation.signingKey();
    this.db.prepare('INSERT OR IGNORE INTO audit_keys (fingerprint, algorithm, public_key, first_seq, added_at) VALUES (?, ?, ?, ?, ?)').run(key.fingerprint, KEY_ALGORITHM, key.publicKey, seq, ts);
    const signature = key.sign(headMessage({ workspace, seq, hash, key: key.fingerprint }));
    this.db.prepare('INSERT INTO audit_signatures (seq, key, signature) VALUES (?, ?, ?)').run(seq, key.fingerprint, signature);
    this.pendingAnchor = { workspace, dir: this.dir, seq, hash, key: key.fingerprint, publicKey: key.publicKey, signature };
  }

  /**
   * Appends the last signed head to the anchor log once it is committed (call after the transaction). A head whose
   * transaction was rolled back (by whichever caller) is no longer the stored head and is dropped.
   */
  flushAnchor(): void {
    const line = this.pendingAnchor;
    if (!line || !this.installation || this.db.inTransaction) return;
    this.pendingAnchor = null;
    const head = this.head();
    if (head.seq !== line.seq || head.hash !== line.hash) return;
    try {
      new AnchorLog(this.installation.anchorFile(line.workspace)).append(line);
    } catch (e) {
      if (!this.anchorWarned) process.stderr.write(`MedBridge: could not append to the audit anchor log in ${this.installation.configDir} (${(e as Error).message}); truncation of this workspace's log will not be detectable on this installation.\n`);
      this.anchorWarned = true;
    }
  }

  /** Appends one entry. Must be called inside a transaction (asserted). */
  append(input: AuditInput): AuditEntry {
    if (!this.db.inTransaction) throw new Error('AuditLog.append must run inside the transaction of the change it records');
    const head = this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const ts = new Date().toISOString();
    // Round-trip through canonical JSON so the stored payload is exactly what was hashed.
    const payloadText = canonicalJson(input.payload ?? null);
    const payload = JSON.parse(payloadText) as unknown;
    const hash = entryHash({ seq, ts, actor: input.actor, action: input.action, subject: input.subject, payload, prevHash });
    this.db
      .prepare('INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(seq, ts, input.actor, input.action, input.subject, payloadText, prevHash, hash);
    this.db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(seq, hash);
    this.signHead(seq, hash, ts);
    const entry: AuditEntry = { seq, ts, actor: input.actor, action: input.action, subject: input.subject, payload, prevHash, hash };
    for (const l of this.listeners) queueMicrotask(() => l(entry));
    return entry;
  }

  onAppend(listener: (e: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  head(): { seq: number; hash: string } {
    const head = this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    return head ?? { seq: 0, hash: GENESIS_HASH };
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  }

  list(opts: { beforeSeq?: number | undefined; limit: number }): AuditEntry[] {
    const rows = (opts.beforeSeq
      ? this.db.prepare('SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?').all(opts.beforeSeq, opts.limit)
      : this.db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?').all(opts.limit)) as Row[];
    return rows.map(toEntry);
  }

  /** Chain, signatures, anchor log and triggers (see audit-verify.ts). */
  verify(): AuditVerification {
    this.flushAnchor();
    return verifyAudit(this.db, this.installation, this.dir, () => this.verifyChain());
  }

  /** Recomputes the whole chain; names the first entry that was edited, removed, reordered or truncated. */
  verifyChain(): ChainResult {
    const rows = this.db.prepare('SELECT * FROM audit_log ORDER BY seq ASC').iterate() as IterableIterator<Row>;
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
        return fail({ seq: row.seq, kind: 'prev-mismatch', message: `Audit entry #${row.seq} does not link to entry #${row.seq - 1} (its previous-hash field was changed).` });
      }
      const recomputed = entryHash({ seq: row.seq, ts: row.ts, actor: row.actor, action: row.action, subject: row.subject, payload, prevHash: row.prev_hash });
      if (recomputed !== row.hash || canonicalJson(payload) !== row.payload) {
        return fail({ seq: row.seq, kind: 'hash-mismatch', message: `Audit entry #${row.seq} (${row.action} ${row.subject}) was altered after it was written.` });
      }
      prev = row.hash;
      expectedSeq++;
      n++;
    }
    const head = this.head();
    if (head.seq !== n || head.hash !== prev) {
      return fail({ seq: head.seq > n ? n + 1 : head.seq, kind: 'head-mismatch', message: `The audit head records entry #${head.seq} but the log ends at #${n}: entries were removed from the end, or the head was changed.` });
    }
    return { ok: true, entries: n, headHash: prev, firstProblem: null };
  }
}

function toEntry(r: Row): AuditEntry {
  return { seq: r.seq, ts: r.ts, actor: r.actor, action: r.action, subject: r.subject, payload: JSON.parse(r.payload) as unknown, prevHash: r.prev_hash, hash: r.hash };
}
