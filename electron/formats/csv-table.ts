// A CSV with a header row as a stream of named rows: required columns checked once, per-row problems as rejections.
import { parseCsv } from './csv.ts';
import type { Issue } from './issues.ts';

export type TableEvent = { type: 'row'; row: number; values: Map<string, string> } | { type: 'rejection'; issue: Issue };

const norm = (s: string): string => s.trim().toLowerCase();

/**
 * Reads a headed CSV. `required` maps each canonical column name to the header spellings accepted for it (matched
 * case-insensitively, trimmed). If any are missing, yields ONE `missing-columns` rejection naming them all, and stops.
 * Row values are keyed by canonical name; blank lines are skipped.
 */
export async function* readCsvTable(
  file: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  required: Record<string, readonly string[]>,
  optional: Record<string, readonly string[]> = {},
): AsyncGenerator<TableEvent> {
  let columns: Map<string, number> | null = null;
  let width = 0;
  for await (const ev of parseCsv(chunks)) {
    if (ev.type === 'error') {
      // A header that cannot be read (binary or non-UTF-8 bytes, a quote never closed) leaves no column to read by: stop.
      const header = columns === null;
      yield { type: 'rejection', issue: { file, row: ev.row, code: ev.code, reason: header ? `header row: ${ev.reason}` : ev.reason } };
      if (header) return;
      continue;
    }
    if (ev.fields.length === 1 && ev.fields[0] === '') continue;
    if (columns === null) {
      const header = ev.fields.map(norm);
      const find = (names: readonly string[]): number => header.findIndex((h) => names.some((n) => norm(n) === h));
      // Name missing columns as the source's documentation spells them (the first accepted spelling).
      const missing = Object.entries(required)
        .filter(([, names]) => find(names) < 0)
        .map(([name, names]) => names[0] ?? name);
      if (missing.length > 0) {
        yield {
          type: 'rejection',
          issue: {
            file,
            row: ev.row,
            code: 'missing-columns',
            reason: `missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')} (header: ${ev.fields.join(', ')})`,
          },
        };
        return;
      }
      columns = new Map();
      for (const [name, names] of [...Object.entries(required), ...Object.entries(optional)]) {
        const idx = find(names);
        if (idx >= 0) columns.set(name, idx);
      }
      width = ev.fields.length;
      continue;
    }
    if (ev.fields.length !== width) {
      yield { type: 'rejection', issue: { file, row: ev.row, code: 'csv-field-count', reason: `${ev.fields.length} fields, header has ${width}` } };
      continue;
    }
    const values = new Map<string, string>();
    for (const [name, idx] of columns) values.set(name, ev.fields[idx] as string);
    yield { type: 'row', row: ev.row, values };
  }
  if (columns === null) yield { type: 'rejection', issue: { file, code: 'csv-empty', reason: 'file has no header row' } };
}
