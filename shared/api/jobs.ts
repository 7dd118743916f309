// Long-running work: import, feature extraction, diagnosis, training, integrity checks.
import { z } from 'zod';
import { defineCall } from './define.ts';
import { AppErrorShape } from '../errors.ts';

export const JobState = z.enum(['queued', 'running', 'cancelling', 'cancelled', 'interrupted', 'failed', 'done']);
export type JobState = z.infer<typeof JobState>;

/** States a job can be resumed from; whether a resume can succeed is shared/job-resume.ts. */
export { RESUMABLE_STATES } from '../job-resume.ts';

export const JobKind = z.enum([
  'verify-blobs',
  'compact-images',
  'import',
  'label-modality',
  'register-model',
  'convert-model',
  'diagnose',
  'probe',
  'train',
  'transfer',
]);
export type JobKind = z.infer<typeof JobKind>;

export const JobProgress = z.object({
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Units per second over the current attempt. */
  rate: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  message: z.string(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const Job = z.object({
  id: z.string(),
  kind: JobKind,
  state: JobState,
  params: z.record(z.string(), z.unknown()),
  progress: JobProgress,
  attempts: z.number().int().nonnegative(),
  checkpoints: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  error: AppErrorShape.nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
});
export type Job = z.infer<typeof Job>;

export const VerifyBlobsParams = z.strictObject({
  /** Throttle so a background integrity scan never starves the workstation (0 = unthrottled). */
  maxBlobsPerSecond: z.number().min(0).max(100_000).default(0),
});
export type VerifyBlobsParams = z.infer<typeof VerifyBlobsParams>;

/** Re-encodes grey images that older versions stored as RGB PNGs as grey PNGs of the same pixels (no options). */
export const CompactImagesParams = z.strictObject({});
export type CompactImagesParams = z.infer<typeof CompactImagesParams>;

const JobId = z.strictObject({ id: z.string().min(1).max(100) });

export const jobsCalls = {
  'jobs:list': defineCall({
    name: 'jobs:list',
    summary: 'List jobs, newest first.',
    mutates: false,
    input: z.strictObject({ state: JobState.optional(), limit: z.number().int().min(1).max(1000).default(100) }),
    output: z.array(Job),
  }),
  'jobs:get': defineCall({ name: 'jobs:get', summary: 'One job.', mutates: false, input: JobId, output: Job }),
  'jobs:start': defineCall({
    name: 'jobs:start',
    summary: 'Start a job in a worker process.',
    mutates: true,
    input: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('verify-blobs'), params: VerifyBlobsParams.default({ maxBlobsPerSecond: 0 }) }),
      z.strictObject({ kind: z.literal('compact-images'), params: CompactImagesParams.default({}) }),
    ]),
    output: Job,
  }),
  'jobs:cancel': defineCall({
    name: 'jobs:cancel',
    summary: 'Ask a running job to stop after its current step; its checkpoints are kept.',
    mutates: true,
    input: JobId,
    output: Job,
  }),
  'jobs:resume': defineCall({
    name: 'jobs:resume',
    summary:
      'Continue a cancelled, interrupted or failed job from its last checkpoint; refused (job/not-resumable) where it cannot succeed, e.g. a job that failed on its own input (shared/job-resume.ts).',
    mutates: true,
    input: JobId,
    output: Job,
  }),
} as const;
