// `audit verify`: what the workspace's audit log proves, checked four ways, every problem named.
//   1. the hash chain (each entry's hash recomputes and links to the previous one; the head matches the last entry);
//   2. the signatures: each entry's signature over {workspace, seq, hash, key} verifies with a key recorded in the
//      workspace; once entries are signed, every later entry is signed; no signature outlives its entry;
//   3. the anchor log in this installation's config folder (outside the workspace): every signed head it holds
//      must still be in the log with the same hash — catches a deleted tail, deleted rows, a re-chained rewrite and
//      an older copy of the database put back;
//   4. the append-only triggers are present as the migrations wrote them.
// Entries written before signing existed are reported as "hash chain only".
import type { AuditGuarantee, AuditProblem, AuditSigningKey, AuditVerification } from '../../shared/api/audit.ts';
import type { ReadDb } from '../storage/sql-handles.ts';
import type { Installation } from './installation.ts';
import { fingerprintOf, formatFingerprint, verifySignature } from './signing-key.ts';
import { AnchorLog } from './anchor-log.ts';
import { APPEND_ONLY_TABLES, missingAppendOnlyTriggers } from '../storage/append-only-triggers.ts';
import {
  entryHashes,
  identityRowsUnlessDropped,
  keyRowsUnlessDropped,
  signatureRowsUnlessDropped,
  triggers as storedTriggers,
} from '../storage/repositories/audit-checks.ts';
import { headMessage } from './signed-messages.ts';

export interface ChainResult {
  ok: boolean;
  entries: number;
  headHash: string;
  firstProblem: AuditProblem | null;
}

export const CHAIN_ONLY_TEXT = 'hash chain only: detects accidental or naive edits, not a rewrite';

/** "#3", "#3–#9": a run of entry numbers for messages. */
function span(first: number, last: number): string {
  return first === last ? `#${first}` : `#${first}–#${last}`;
}

export function verifyAudit(db: ReadDb, installation: Installation | null, dir: string, chain: () => ChainResult): AuditVerification {
  const problems: AuditProblem[] = [];
  const add = (kind: AuditProblem['kind'], seq: number | null, message: string) => problems.push({ kind, seq, message });

  // 1. The chain.
  const c = chain();
  if (c.firstProblem) problems.push(c.firstProblem);

  // 2. Signatures.
  const rows = entryHashes(db);
  const hashes = new Map(rows.map((r) => [r.seq, r.hash]));
  const lastSeq = rows.at(-1)?.seq ?? 0;
  const identity = identityRowsUnlessDropped(db);
  const workspaceId = identity?.[0]?.workspace_id ?? null;
  const keyRows = keyRowsUnlessDropped(db) ?? [];
  const keys = new Map(keyRows.map((k) => [k.fingerprint, k]));
  const sigRows = signatureRowsUnlessDropped(db) ?? [];
  const sigs = new Map(sigRows.map((s) => [s.seq, s]));
  const { trusted, own } = installation?.trust() ?? { trusted: new Set<string>(), own: new Set<string>() };

  if (!workspaceId && (sigRows.length > 0 || keyRows.length > 0 || identity === null)) {
    add('identity-missing', null, "The workspace's identity row (workspace_identity) was removed or changed: no signature of this workspace can be checked.");
  }
  for (const k of keyRows) {
    if (fingerprintOf(k.public_key) !== k.fingerprint)
      add(
        'signature-key-unrecorded',
        k.first_seq,
        `The public key recorded for fingerprint ${k.fingerprint} does not have that fingerprint: the key table was edited.`,
      );
  }

  const stats = new Map<string, { first: number; last: number; n: number }>();
  let firstSigned: number | null = null;
  let chainOnly = 0;
  const invalid: number[] = [];
  const verified = new Set<string>(); // signatures checked valid above (an anchor line repeating one needs no second check)
  const missing: number[] = [];
  const unrecorded: number[] = [];
  for (const r of rows) {
    const s = sigs.get(r.seq);
    if (!s) {
      if (firstSigned === null) chainOnly++;
      else missing.push(r.seq);
      continue;
    }
    if (firstSigned === null) firstSigned = r.seq;
    const k = keys.get(s.key);
    if (!k) {
      unrecorded.push(r.seq);
      continue;
    }
    if (!workspaceId || !verifySignature(k.public_key, headMessage({ workspace: workspaceId, seq: r.seq, hash: r.hash, key: s.key }), s.signature)) {
      invalid.push(r.seq);
      continue;
    }
    verified.add(`${r.seq} ${r.hash} ${s.key} ${s.signature}`);
    const st = stats.get(s.key) ?? { first: r.seq, last: r.seq, n: 0 };
    st.last = r.seq;
    st.n++;
    stats.set(s.key, st);
  }
  if (invalid.length) {
    add(
      'signature-invalid',
      invalid[0] as number,
      `Audit entry #${invalid[0]}${invalid.length > 1 ? ` and ${invalid.length - 1} later entr${invalid.length > 2 ? 'ies' : 'y'}` : ''} do not match their signature: the entry was edited, re-chained, reordered or inserted after it was signed.`,
    );
  }
  if (unrecorded.length) {
    add(
      'signature-key-unrecorded',
      unrecorded[0] as number,
      `Audit entry #${unrecorded[0]}${unrecorded.length > 1 ? ` and ${unrecorded.length - 1} more` : ''} carr${unrecorded.length > 1 ? 'y' : 'ies'} a signature by a key this workspace never recorded.`,
    );
  }
  if (missing.length) {
    add(
      'signature-missing',
      missing[0] as number,
      `Audit entr${missing.length > 1 ? 'ies' : 'y'} ${span(missing[0] as number, missing.at(-1) as number)} ${missing.length > 1 ? `(${missing.length}) are` : 'is'} not signed although entry #${firstSigned} before ${missing.length > 1 ? 'them' : 'it'} is: once signing starts every entry is signed, so signatures were removed.`,
    );
  }
  const orphans = sigRows.filter((s) => !hashes.has(s.seq)).map((s) => s.seq);
  if (orphans.length) {
    add(
      'signature-orphan',
      orphans[0] as number,
      `Signatures exist for audit entr${orphans.length > 1 ? 'ies' : 'y'} ${span(orphans[0] as number, orphans.at(-1) as number)} that ${orphans.length > 1 ? 'are' : 'is'} no longer in the log: entries were deleted${(orphans[0] as number) > lastSeq ? ' from the end' : ''}.`,
    );
  }

  // 3. The anchor log outside the workspace.
  let anchor: AuditGuarantee['anchor'] = null;
  if (installation && workspaceId) {
    const log = new AnchorLog(installation.anchorFile(workspaceId));
    const { lines: all, unreadable } = log.read();
    // Only heads committed in this folder (a copy of the folder is another line of history with the same id).
    const lines = all.filter((l) => l.dir === dir);
    if (unreadable.length)
      add(
        'anchor-unreadable',
        null,
        `Line${unreadable.length > 1 ? 's' : ''} ${unreadable.slice(0, 5).join(', ')} of the anchor log ${log.file} cannot be read: the anchor log was edited.`,
      );
    const forged: number[] = [];
    let ahead: { seq: number; hash: string } | null = null;
    let mismatch: number | null = null;
    let maxSeq: number | null = null;
    for (const l of lines) {
      // This installation's key, or an earlier key of it that the workspace recorded (a key file lost and re-created).
      const ours = l.workspace === workspaceId && (own.has(l.key) || keys.has(l.key)) && fingerprintOf(l.publicKey) === l.key;
      const checkedAbove = keys.get(l.key)?.public_key === l.publicKey && verified.has(`${l.seq} ${l.hash} ${l.key} ${l.signature}`);
      const genuine =
        ours && (checkedAbove || verifySignature(l.publicKey, headMessage({ workspace: l.workspace, seq: l.seq, hash: l.hash, key: l.key }), l.signature));
      if (!genuine) {
        forged.push(l.lineNumber);
        continue;
      }
      maxSeq = Math.max(maxSeq ?? 0, l.seq);
      const stored = hashes.get(l.seq);
      if (stored === undefined) {
        if (!ahead || l.seq > ahead.seq) ahead = { seq: l.seq, hash: l.hash };
      } else if (stored !== l.hash && (mismatch === null || l.seq < mismatch)) {
        mismatch = l.seq;
      }
    }
    if (forged.length)
      add(
        'anchor-forged',
        null,
        `Line${forged.length > 1 ? 's' : ''} ${forged.slice(0, 5).join(', ')}${forged.length > 5 ? ', …' : ''} of the anchor log ${log.file} ${forged.length > 1 ? 'are' : 'is'} not signed by this installation's key: the anchor log was edited.`,
      );
    if (ahead) {
      add(
        'anchor-ahead',
        lastSeq + 1,
        `The anchor log kept outside the workspace (${log.file}) holds the signed head of entry #${ahead.seq} (hash ${ahead.hash.slice(0, 16)}…), but the workspace's log ${lastSeq ? `ends at #${lastSeq}` : 'is empty'}: entries were deleted from the end, or the database was replaced by an older copy.`,
      );
    }
    if (mismatch !== null) {
      add(
        'anchor-mismatch',
        mismatch,
        `Audit entry #${mismatch} is not the entry whose signed head the anchor log (${log.file}) recorded: the log was rewritten from #${mismatch} on (edited and re-chained, reordered or inserted into), or the database was replaced.`,
      );
    }
    const ownSigned = sigRows.some((s) => own.has(s.key));
    if (!log.exists() && ownSigned) {
      add(
        'anchor-missing',
        null,
        `This installation signed entries of this workspace but its anchor log ${log.file} is missing: it was deleted, so a deleted tail could go unnoticed.`,
      );
    }
    anchor = log.exists() ? { file: log.file, heads: lines.length, lastSeq: maxSeq } : null;
  }

  // 4. The append-only triggers.
  const triggers = storedTriggers(db);
  const absent = missingAppendOnlyTriggers(triggers, APPEND_ONLY_TABLES);
  if (absent.length)
    add(
      'triggers-missing',
      null,
      `The append-only trigger${absent.length > 1 ? 's' : ''} ${absent.join(', ')} ${absent.length > 1 ? 'were' : 'was'} dropped or changed: someone made the audit tables writable with a database tool.`,
    );

  const keyList: AuditSigningKey[] = [...stats.entries()].map(([fingerprint, st]) => ({
    fingerprint,
    firstSeq: st.first,
    lastSeq: st.last,
    entries: st.n,
    thisInstallation: own.has(fingerprint),
    trusted: trusted.has(fingerprint),
  }));
  const level: AuditGuarantee['level'] = rows.length === 0 ? 'empty' : firstSigned === null ? 'chain-only' : chainOnly > 0 ? 'partly-signed' : 'signed';
  const guarantee: AuditGuarantee = { level, chainOnlyEntries: chainOnly, keys: keyList, anchor, summary: '' };
  guarantee.summary = problems.length
    ? `NOT VERIFIED: ${problems.length} problem(s) found; the log proves nothing until they are explained.`
    : guaranteeText(guarantee);
  return { ok: problems.length === 0, entries: c.entries, headHash: c.headHash, workspaceId, firstProblem: problems[0] ?? null, problems, guarantee };
}

/** The plain-language statement of what a log that passed verification proves. */
export function guaranteeText(g: AuditGuarantee): string {
  if (g.level === 'empty') return 'The audit log is empty.';
  const parts: string[] = [];
  if (g.chainOnlyEntries > 0) {
    parts.push(
      `Entries ${span(1, g.chainOnlyEntries)}: ${CHAIN_ONLY_TEXT}${g.level === 'partly-signed' ? ' (written before MedBridge signed its audit log)' : ''}.`,
    );
  }
  for (const k of g.keys) {
    const who = k.thisInstallation
      ? "this installation's key"
      : k.trusted
        ? 'a key this installation knows (known-keys.txt)'
        : `a key this installation does not know — compare ${formatFingerprint(k.fingerprint)} with the fingerprint printed in the report`;
    parts.push(
      `Entries ${span(k.firstSeq, k.lastSeq)}${k.entries !== k.lastSeq - k.firstSeq + 1 ? ` (${k.entries} of them)` : ''}: signed by key ${formatFingerprint(k.fingerprint)} (${who}); a rewrite by anyone without that key is detected.`,
    );
  }
  if (g.anchor)
    parts.push(
      `Anchor log outside the workspace: ${g.anchor.heads} signed heads up to #${g.anchor.lastSeq} (${g.anchor.file}); deleting the tail or restoring an older copy of the database is detected on this installation.`,
    );
  else if (g.level !== 'chain-only')
    parts.push('No anchor log for this workspace on this installation (it was signed elsewhere): a deleted tail is detected only where the anchor log is.');
  if (g.level !== 'chain-only')
    parts.push(`Not detected: a rewrite by someone holding the signing key, who can re-sign everything (and edit the anchor log of this user account).`);
  return parts.join(' ');
}
