// What an importer's source produces: the format readers' events, plus quarantine (DICOM burned-in annotation)
// and the de-identification profile applied (once per DICOM source), and `skipped`: a place-holder for an event a
// resumed import had already committed, given by readers that can pass over committed work without redoing it.
import type { ReadEvent } from '../formats/index.ts';

export type ImportEvent =
  ReadEvent | { type: 'quarantine'; file: string; reason: string } | { type: 'deidentification'; record: Record<string, unknown> } | { type: 'skipped' };

/** Where a resumed import stands: events already committed, and whether the de-identification event was among them. */
export interface ResumePoint {
  events: number;
  deidentified: boolean;
}
