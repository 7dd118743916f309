// The append-only, hash-chained audit log.
import { z } from 'zod';
import { defineCall } from './define.ts';

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditProblem = z.object({
  seq: z.number().int().nullable(),
  kind: z.enum([
    'hash-mismatch',
    'prev-mismatch',
    'gap',
    'head-mismatch',
    'payload-unreadable',
    // signatures (kept in the workspace, made with a key kept outside it)
    'signature-invalid',
    'signature-missing',
    'signature-orphan',
    'signature-key-unrecorded',
    'identity-missing',
    // the anchor log of signed heads kept outside the workspace
    'anchor-ahead',
    'anchor-mismatch',
    'anchor-forged',
    'anchor-missing',
    'anchor-unreadable',
    // the append-only triggers
    'triggers-missing',
  ]),
  message: z.string(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;

/** One key that signed entries of this workspace. */
export const AuditSigningKey = z.object({
  fingerprint: z.string(),
  firstSeq: z.number().int(),
  lastSeq: z.number().int(),
  entries: z.number().int().nonnegative(),
  /** The key of this installation (its private key is here). */
  thisInstallation: z.boolean(),
  /** This installation's key, or listed in known-keys.txt of the config folder. */
  trusted: z.boolean(),
});
export type AuditSigningKey = z.infer<typeof AuditSigningKey>;

/** What a passing verification proves. */
export const AuditGuarantee = z.object({
  /** signed: every entry signed; partly-signed: older entries (before signing existed) are chain-only; chain-only: none signed. */
  level: z.enum(['signed', 'partly-signed', 'chain-only', 'empty']),
  chainOnlyEntries: z.number().int().nonnegative(),
  keys: z.array(AuditSigningKey),
  /** The anchor log of signed heads kept by this installation, outside the workspace. */
  anchor: z.object({ file: z.string(), heads: z.number().int().nonnegative(), lastSeq: z.number().int().nullable() }).nullable(),
  summary: z.string(),
});
export type AuditGuarantee = z.infer<typeof AuditGuarantee>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  headHash: z.string(),
  workspaceId: z.string().nullable(),
  /** The first of `problems` (chain problems first), or null. */
  firstProblem: AuditProblem.nullable(),
  problems: z.array(AuditProblem),
  guarantee: AuditGuarantee,
});
export type AuditVerification = z.infer<typeof AuditVerification>;

export const auditCalls = {
  'audit:list': defineCall({
    name: 'audit:list',
    summary: 'Audit entries, newest first (or after a sequence number).',
    mutates: false,
    input: z.strictObject({ beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.array(AuditEntry),
  }),
  'audit:verify': defineCall({
    name: 'audit:verify',
    summary:
      'Recompute the hash chain, check every signature, the anchor log outside the workspace and the append-only triggers; name what does not match and what the log proves.',
    mutates: false,
    input: z.strictObject({}),
    output: AuditVerification,
  }),
} as const;
