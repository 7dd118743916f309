// Internal failure signal of the pixel decoders; the public decode turns it into a coded DicomError.
import type { DicomErrorCode } from './errors.ts';

export class DecodeFailure extends Error {
  readonly code: DicomErrorCode;
  constructor(code: DicomErrorCode, message: string) {
    super(message);
    this.name = 'DecodeFailure';
    this.code = code;
  }
}
