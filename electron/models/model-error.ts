// Coded errors for everything that can go wrong when opening or running a model pack.

export const MODEL_ERROR_CODES = [
  'model/missing-file',
  'model/hash-mismatch',
  'model/unsupported-architecture',
  'model/corrupt-onnx',
  'model/invalid-manifest',
  'model/invalid-input',
  'model/provider-unavailable',
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

/** An error with a stable `code` and, when a file is at fault, the pack-relative `file` it names. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly file: string | undefined;

  constructor(code: ModelErrorCode, message: string, options: { file?: string; cause?: unknown } = {}) {
    super(options.file ? `${message} (${options.file})` : message, { cause: options.cause });
    this.name = 'ModelError';
    this.code = code;
    this.file = options.file;
  }
}

export function isModelError(e: unknown, code?: ModelErrorCode): e is ModelError {
  return e instanceof ModelError && (code === undefined || e.code === code);
}
