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
  kind: z.enum(['hash-mismatch', 'prev-mismatch', 'gap', 'head-mismatch', 'payload-unreadable']),
  message: z.string(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  headHash: z.string(),
  firstProblem: AuditProblem.nullable(),
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
    summary: 'Recompute the hash chain and name the first entry that does not match.',
    mutates: false,
    input: z.strictObject({}),
    output: AuditVerification,
  }),
} as const;
