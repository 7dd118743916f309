// What every reader reports about bad input: a coded issue naming the file (and row), never a thrown error.
import type { DecodedImage, ItemDraft } from '../../shared/items.ts';

/** Every code a reader may report. Stable: the import summary groups by code. */
export const ISSUE_CODES = [
  // file system
  'file-unreadable',
  'file-not-found',
  'file-too-large',
  'not-a-regular-file',
  'symlink-outside-root',
  'symlink-broken',
  'symlink-repeat',
  // zip container
  'zip-not-a-zip',
  'zip-corrupt',
  'zip-unsafe-path',
  'zip-encrypted',
  'zip-unsupported-method',
  'zip-too-many-entries',
  'zip-entry-too-large',
  'zip-total-too-large',
  'zip-ratio-too-high',
  'zip-size-mismatch',
  'zip-crc-mismatch',
  'zip-overlapping-entries',
  'zip-entry-not-found',
  // numpy
  'npy-bad-magic',
  'npy-unsupported-version',
  'npy-bad-header',
  'npy-unsupported-dtype',
  'npy-truncated',
  'npy-size-mismatch',
  'npy-too-large',
  'npy-unsupported-layout',
  'npz-missing-array',
  'npz-shape-mismatch',
  // medmnist
  'medmnist-unknown-task',
  'medmnist-bad-images',
  'medmnist-bad-labels',
  'medmnist-bad-volume',
  'label-out-of-range',
  // volumes (DICOM series): the files of one series carry different labels in the labels CSV
  'series-labels-disagree',
  // csv / json tables
  'csv-invalid-utf8',
  'csv-unterminated-quote',
  'csv-bad-quote',
  'csv-field-count',
  'csv-record-too-large',
  'csv-empty',
  'missing-columns',
  'json-invalid',
  'json-shape',
  'row-invalid',
  // items and images
  'bad-answer-label',
  'empty-option',
  'duplicate-options',
  'too-few-options',
  'too-many-options',
  'unsafe-path',
  'image-missing',
  'images-absent',
  'image-undecodable',
  'image-too-large',
  'not-an-image',
  'item-invalid',
  'too-few-classes',
  'too-many-classes',
  'text-too-long',
  // a reader bug surfaced as a rejection instead of an abort; tests assert it never appears
  'internal-error',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** One problem with the input. `row` is 1-based (a CSV's header is row 1; a JSON list's first element is row 1; an array's first image is row 1). */
export interface Issue {
  file: string;
  row?: number;
  code: IssueCode;
  reason: string;
}

/** An item as read from a source, with its image (null when the source has none available). */
export interface ReadItem {
  type: 'item';
  item: ItemDraft;
  image: DecodedImage | null;
  /** Where the image came from inside the source (file path, zip entry, array row), for messages and dedup. */
  imageRef: string | null;
  /** Source fields with no place in ItemDraft (e.g. VQA-RAD question_type, organ, language). */
  extra: Record<string, string>;
}

/** Reader output stream: items, rejections (input dropped) and warnings (input kept, something worth telling). */
export type ReadEvent = ReadItem | { type: 'rejection'; issue: Issue } | { type: 'warning'; issue: Issue };

/** Thrown inside a reader's internals and turned into an Issue at the reader's boundary. */
export class FormatError extends Error {
  constructor(
    readonly code: IssueCode,
    message: string,
    readonly row?: number,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

/** Converts anything thrown into an Issue; unknown errors become `internal-error` so an import never aborts. */
export function toIssue(file: string, err: unknown, row?: number): Issue {
  if (err instanceof FormatError) {
    const r = err.row ?? row;
    return r === undefined ? { file, code: err.code, reason: err.message } : { file, row: r, code: err.code, reason: err.message };
  }
  const reason = `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  return row === undefined ? { file, code: 'internal-error', reason } : { file, row, code: 'internal-error', reason };
}

export function rejection(issue: Issue): ReadEvent {
  return { type: 'rejection', issue };
}

export function warning(issue: Issue): ReadEvent {
  return { type: 'warning', issue };
}

/** Drains a reader into arrays (for tests and small sources; real imports consume the stream). */
export async function collectEvents(events: AsyncIterable<ReadEvent>): Promise<{ items: ReadItem[]; rejections: Issue[]; warnings: Issue[] }> {
  const items: ReadItem[] = [];
  const rejections: Issue[] = [];
  const warnings: Issue[] = [];
  for await (const ev of events) {
    if (ev.type === 'item') items.push(ev);
    else if (ev.type === 'rejection') rejections.push(ev.issue);
    else warnings.push(ev.issue);
  }
  return { items, rejections, warnings };
}
