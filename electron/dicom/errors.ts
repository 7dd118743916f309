// Coded, user-facing failures of the DICOM reader: every bad input ends as one of these, never as a thrown exception.

export const DICOM_ERROR_CODES = [
  'dicom/not-dicom',
  'dicom/truncated',
  'dicom/no-pixel-data',
  'dicom/unsupported-syntax',
  'dicom/unsupported-image',
  'dicom/too-large',
  'dicom/decode-failed',
] as const;
export type DicomErrorCode = (typeof DICOM_ERROR_CODES)[number];

export interface DicomError {
  code: DicomErrorCode;
  /** One sentence a clinician-researcher understands, naming the file. */
  message: string;
  file: string;
}

export type DicomResult<T> = ({ ok: true } & T) | { ok: false; error: DicomError };

export function dicomError(code: DicomErrorCode, file: string, message: string): { ok: false; error: DicomError } {
  return { ok: false, error: { code, file, message } };
}

/** Text of an unknown thrown value (dicom-parser throws strings and plain objects, not only Errors). */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'exception' in e) return describeThrown((e as { exception: unknown }).exception);
  return String(e);
}
