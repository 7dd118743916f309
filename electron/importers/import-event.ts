// What an importer's source produces: the format readers' events, plus quarantine (DICOM burned-in annotation)
// and the de-identification profile applied (once per DICOM source).
import type { ReadEvent } from '../formats/index.ts';

export type ImportEvent =
  | ReadEvent
  | { type: 'quarantine'; file: string; reason: string }
  | { type: 'deidentification'; record: Record<string, unknown> };
