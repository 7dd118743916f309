// Errors that cross the contract: a stable code, a message a clinician-researcher understands, and optional detail
// (the file, row or field involved). Stacks stay in the host's log.
import { z } from 'zod';

export const ErrorCode = z.enum([
  'request/invalid-input',
  'request/invalid-json',
  'request/unknown-call',
  'request/too-large',
  'request/invalid-path',
  'request/unsupported-media-type',
  'auth/unauthorised',
  'auth/forbidden-origin',
  'workspace/not-found',
  'workspace/cannot-create',
  'workspace/already-exists',
  'workspace/locked',
  'workspace/corrupt',
  'workspace/schema-too-new',
  'blob/not-found',
  'blob/hash-mismatch',
  'job/not-found',
  'job/not-resumable',
  'job/not-running',
  'job/worker-crashed',
  'job/failed',
  'audit/chain-broken',
  'not-found',
  'conflict',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorDetail = z.record(z.string(), z.unknown());

export const AppErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  detail: ErrorDetail.optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

/** An error meant for the user: thrown by services, turned into `{ok:false, error}` at every door. */
export class AppError extends Error {
  readonly code: string;
  readonly detail: Record<string, unknown> | undefined;
  constructor(code: ErrorCode | `${string}/${string}`, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
  }
  toShape(): AppErrorShape {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

/** HTTP status for an error code (used by the headless host; IPC and CLI carry the code itself). */
export function httpStatusFor(code: string): number {
  if (code === 'request/unsupported-media-type') return 415;
  if (code.startsWith('request/')) return code === 'request/too-large' ? 413 : code === 'request/unknown-call' ? 404 : 400;
  if (code === 'auth/unauthorised') return 401;
  if (code.startsWith('auth/')) return 403;
  if (code.endsWith('/not-found') || code === 'not-found') return 404;
  if (code === 'internal') return 500;
  return 409;
}
