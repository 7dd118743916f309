// The item browser's SQL: one WHERE clause built from an ItemSelection (datasets:list's items and the filter
// choices share it), with a text search over question, answer, source key and task. Values are always bound
// parameters; only column names chosen here are spliced in.
import type { ItemSelection } from '../../shared/api/datasets.ts';

/** The filters a facet leaves out when counting its own choices, so that they stay selectable. */
export type FacetField = 'task' | 'answer' | 'modality' | 'split';
export const FACET_FIELDS: readonly FacetField[] = ['task', 'answer', 'modality', 'split'];

export interface ItemQuery {
  /** FROM clause: `items i`, joined to the version's rows when a version is chosen (alias `v`). */
  from: string;
  /** `WHERE …` or empty. */
  where: string;
  args: unknown[];
  /** The split column in force: the version's split inside a version, the source's split otherwise. */
  splitColumn: 'v.split' | 'i.source_split';
}

/** LIKE's escape character for a search term; `%`, `_` and itself in the term are matched literally. */
const LIKE_ESCAPE = '\\';

/** `abc%` → `%abc\%%`: a LIKE pattern matching the term anywhere. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c)}%`;
}

/** Search terms: whitespace-separated words, each of which must appear (in any of the searched columns). */
export function searchWords(search: string | undefined): string[] {
  return (search ?? '').trim().split(/\s+/).filter((w) => w.length > 0);
}

export function itemQuery(s: ItemSelection): ItemQuery {
  const where: string[] = [];
  const args: unknown[] = [];
  let from = 'items i';
  const splitColumn = s.versionId ? 'v.split' : 'i.source_split';
  if (s.versionId) {
    from = 'items i JOIN version_items v ON v.item_id = i.id AND v.version_id = ?';
    args.push(s.versionId);
  }
  const equal: Array<[string, string | undefined]> = [
    ['i.dataset_id', s.datasetId],
    ['i.modality', s.modality],
    ['i.task', s.task],
    ['i.answer', s.answer],
    [splitColumn, s.split],
    ['i.modality_source', s.modalitySource],
  ];
  for (const [column, value] of equal) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    args.push(value);
  }
  for (const word of searchWords(s.search)) {
    // SQLite's LIKE folds ASCII case only; lower() on both sides would not fold more, so LIKE is used as is.
    where.push(`(i.question LIKE ? ESCAPE '\\' OR i.answer LIKE ? ESCAPE '\\' OR i.source_key LIKE ? ESCAPE '\\' OR i.task LIKE ? ESCAPE '\\')`);
    const p = containsPattern(word);
    args.push(p, p, p, p);
  }
  return { from, where: where.length ? `WHERE ${where.join(' AND ')}` : '', args, splitColumn };
}
