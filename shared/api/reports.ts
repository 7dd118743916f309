// Studies (a named, ordered set of runs) and their reports for review boards: a self-contained HTML page, the PDF of
// the same page, and a JSON evidence bundle with a SHA-256 manifest; reviewer comments and signatures (audited).
// A report version is frozen by the hash of its data: a signed version never changes, and new data makes a new version.
import { z } from 'zod';
import { defineCall } from './define.ts';
import { AbsolutePath } from './local-path.ts';
import { STUDY_FIELD_REQUIRED, STUDY_INTENDED_USE_MAX, STUDY_NAME_MAX } from '../study-fields.ts';

const StudyId = z.string().min(1).max(100);
const ReportId = z.string().min(1).max(140);
const LocalPath = AbsolutePath;
const Person = z.string().trim().min(1).max(200);
/** Required, and not only spaces: the title of every report. */
const StudyName = z.string({ error: STUDY_FIELD_REQUIRED.name }).trim().min(1, { error: STUDY_FIELD_REQUIRED.name }).max(STUDY_NAME_MAX);
/** Required, and not only spaces: printed on page 1 of every report (CLAIM 2024 items 3 and 41, TRIPOD+AI 3a–4). */
const StudyIntendedUse = z
  .string({ error: STUDY_FIELD_REQUIRED.intendedUse })
  .trim()
  .min(1, { error: STUDY_FIELD_REQUIRED.intendedUse })
  .max(STUDY_INTENDED_USE_MAX);

export const StudySummary = z.object({
  id: z.string(),
  name: z.string(),
  /** Null only for studies created before the intended use was required. */
  intendedUse: z.string().nullable(),
  runs: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  reports: z.number().int(),
});
export type StudySummary = z.infer<typeof StudySummary>;

export const ReportComment = z.object({ seq: z.number().int(), author: z.string(), text: z.string(), createdAt: z.string() });
export type ReportComment = z.infer<typeof ReportComment>;

/** What a signature means, in the signer's words: e.g. "reviewed", "approved for continuation". */
export const Signature = z.object({
  seq: z.number().int(),
  name: z.string(),
  role: z.string(),
  meaning: z.string(),
  signedAt: z.string(),
  /** SHA-256 of the canonical report data plus the comments present when signing: what was signed. */
  signedHash: z.string(),
  /** The audit entry that records the signature. */
  auditSeq: z.number().int(),
});
export type Signature = z.infer<typeof Signature>;

export const ReportVersion = z.object({
  id: z.string(),
  study: z.string(),
  version: z.number().int().min(1),
  /** SHA-256 of the canonical report data (records only, no reviewer fields). */
  dataHash: z.string(),
  createdAt: z.string(),
  signed: z.boolean(),
  comments: z.array(ReportComment),
  signatures: z.array(Signature),
});
export type ReportVersion = z.infer<typeof ReportVersion>;

export const BundleFile = z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int() });

export const GeneratedReport = ReportVersion.extend({
  /** False when the study's records were unchanged since this version was made (the same version was written again). */
  newVersion: z.boolean(),
  out: z.string(),
  html: z.string(),
  pdf: z.string().nullable(),
  manifest: z.string(),
  /** SHA-256 of manifest.json as written (recorded in the audit entry of the generation). */
  manifestHash: z.string(),
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }),
  files: z.array(BundleFile),
});
export type GeneratedReport = z.infer<typeof GeneratedReport>;

export const BundleProblem = z.object({
  kind: z.enum([
    'file-changed',
    'file-missing',
    'file-unlisted',
    'manifest-unreadable',
    'entry-altered',
    'entry-unlinked',
    'head-mismatch',
    'workspace-entry-differs',
    'workspace-chain',
    'manifest-unrecorded',
    'signature-missing',
    'signature-invalid',
    'signature-key-foreign',
  ]),
  /** The bundle file or audit entry named. */
  file: z.string().nullable(),
  seq: z.number().int().nullable(),
  message: z.string(),
});
export type BundleProblem = z.infer<typeof BundleProblem>;

export const BundleVerification = z.object({
  ok: z.boolean(),
  files: z.number().int(),
  auditEntries: z.number().int(),
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  /** Whether the excerpt was also checked against this workspace's audit log. */
  checkedAgainstWorkspace: z.boolean(),
  problems: z.array(BundleProblem),
  /** What a passing verification proves: whose Ed25519 key signed the manifest, and whether this installation knows it. */
  guarantee: z.object({
    level: z.enum(['signed-trusted', 'signed-unknown-key', 'unsigned']),
    fingerprint: z.string().nullable(),
    summary: z.string(),
  }),
});
export type BundleVerification = z.infer<typeof BundleVerification>;

export const reportsCalls = {
  'studies:create': defineCall({
    name: 'studies:create',
    summary: 'Name an ordered set of runs as a study (audited); the name and the intended use are required, stated here once and printed in every report.',
    mutates: true,
    input: z.strictObject({ name: StudyName, runs: z.array(z.string().min(1).max(100)).min(1).max(1000), intendedUse: StudyIntendedUse }),
    output: StudySummary,
  }),
  'studies:list': defineCall({
    name: 'studies:list',
    summary: 'Studies, newest first.',
    mutates: false,
    input: z.strictObject({}),
    output: z.array(StudySummary),
  }),
  'reports:generate': defineCall({
    name: 'reports:generate',
    summary:
      'Write the study report (HTML, optional PDF) and its evidence bundle with a SHA-256 manifest into a folder (audited). Unchanged records reuse the current version; changed records make a new one.',
    mutates: true,
    input: z.strictObject({ study: StudyId, out: LocalPath.optional(), pdf: z.boolean().default(false) }),
    output: GeneratedReport,
  }),
  'reports:list': defineCall({
    name: 'reports:list',
    summary: 'Report versions of a study, newest first, with their comments and signatures.',
    mutates: false,
    input: z.strictObject({ study: StudyId }),
    output: z.array(ReportVersion),
  }),
  'reports:comment': defineCall({
    name: 'reports:comment',
    summary: 'Add a reviewer comment to an unsigned report version (audited).',
    mutates: true,
    input: z.strictObject({ report: ReportId, author: Person, text: z.string().trim().min(1).max(4000) }),
    output: ReportVersion,
  }),
  'reports:sign': defineCall({
    name: 'reports:sign',
    summary: 'Sign a report version (name, role, meaning of the signature; the time is recorded). Appends to the audit log; the version becomes immutable.',
    mutates: true,
    input: z.strictObject({ report: ReportId, name: Person, role: Person, meaning: z.string().trim().min(1).max(500) }),
    output: ReportVersion,
  }),
  'reports:verify': defineCall({
    name: 'reports:verify',
    summary:
      "Recompute a bundle's manifest and its audit-log excerpt, and check the excerpt against this workspace's audit log; names every file or entry that does not match.",
    mutates: false,
    input: z.strictObject({ dir: LocalPath }),
    output: BundleVerification,
  }),
} as const;
