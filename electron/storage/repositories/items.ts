// The items table: what an import stores per question (with its image's hashes and size), modality labels and
// overrides, the balancing wizard's candidates, and the item browser's queries. The browser's WHERE clause is built
// here from an ItemSelection (its page of items and its filter choices share it), with a text search over question,
// answer, source key and task. Values are always bound parameters; only column names chosen here are spliced in.
import type { ItemRow, ItemSelection } from '../../../shared/api/datasets.ts';
import type { BalanceCandidate } from '../../../shared/balance/index.ts';
import type { ItemDraft, LabelSource, Modality, Split } from '../../../shared/items.ts';
import type { ReadDb, WriteDb } from '../sql-handles.ts';

/** A row of the items table as stored (options and extra are JSON text). */
interface StoredItemRow {
  id: string;
  dataset_id: string;
  source_key: string;
  question: string;
  options: string;
  correct: number | null;
  answer: string;
  kind: ItemRow['kind'];
  modality: Modality;
  modality_source: ItemRow['modalitySource'];
  modality_confidence: number;
  task: string;
  benchmark: string;
  question_type: string;
  source_split: ItemRow['sourceSplit'];
  patient: string | null;
  image_hash: string | null;
  thumb_hash: string | null;
  width: number | null;
  height: number | null;
  extra?: string | null;
}

/** The stored image of a new item: its PNG, its thumbnail, its perceptual hash and size. */
export interface NewItemImage {
  hash: string;
  thumb: string;
  phash: string;
  width: number;
  height: number;
}

export interface NewItem {
  id: string;
  datasetId: string;
  draft: ItemDraft;
  image: NewItemImage | null;
  /** What the importer recorded beyond the draft (e.g. a volume's `slices` and `sliceCount`). */
  extra: Record<string, string>;
}

/** An item whose modality is still `none`, as the modality labeller reads it. */
export interface UnlabelledItem {
  id: string;
  question: string;
  thumb: string | null;
}

/** An item whose modality is trusted (source, DICOM tag, manual), as a training example for the labeller. */
export interface TrustedModalityExample {
  thumb: string;
  modality: Modality;
  source: LabelSource;
}

/** The filters a facet leaves out when counting its own choices, so that they stay selectable. */
export type FacetField = 'task' | 'answer' | 'modality' | 'split';
export const FACET_FIELDS: readonly FacetField[] = ['task', 'answer', 'modality', 'split'];

/** How many items of a selection share one task, answer, modality and split. */
export type FacetGroup = Record<FacetField, string | null> & { n: number };

function toItemRow(r: StoredItemRow): ItemRow {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    sourceKey: r.source_key,
    question: r.question,
    options: JSON.parse(r.options) as string[],
    correct: r.correct,
    answer: r.answer,
    kind: r.kind,
    modality: r.modality,
    modalitySource: r.modality_source,
    modalityConfidence: r.modality_confidence,
    task: r.task,
    benchmark: r.benchmark,
    questionType: r.question_type,
    sourceSplit: r.source_split,
    patient: r.patient,
    imageHash: r.image_hash,
    thumbHash: r.thumb_hash,
    width: r.width,
    height: r.height,
    slices: volumeSlices(r.extra),
  };
}

/** The slices of a volume an item shows, from what the importer recorded in its extra (`slices`, `sliceCount`). */
function volumeSlices(extra: string | null | undefined): ItemRow['slices'] {
  if (!extra) return null;
  const e = JSON.parse(extra) as Record<string, string>;
  if (e['slices'] === undefined || e['sliceCount'] === undefined) return null;
  return { indices: e['slices'].split(',').map(Number), of: Number(e['sliceCount']) };
}

// ---- import and deletion

export function insertItem(tx: WriteDb, it: NewItem): void {
  const d = it.draft;
  tx.run(
    `INSERT INTO items (id, dataset_id, source_key, question, options, correct, answer, kind, modality, modality_source,
      modality_confidence, task, benchmark, question_type, source_split, patient, option_seed, image_hash, thumb_hash, phash, width, height, extra)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    it.id,
    it.datasetId,
    d.sourceKey,
    d.question,
    JSON.stringify(d.options),
    d.correct,
    d.answer,
    d.kind,
    d.modality,
    d.modalitySource,
    d.modalityConfidence,
    d.task,
    d.benchmark,
    d.questionType,
    d.sourceSplit,
    d.patient,
    d.optionSeed,
    it.image?.hash ?? null,
    it.image?.thumb ?? null,
    it.image?.phash ?? null,
    it.image?.width ?? null,
    it.image?.height ?? null,
    JSON.stringify(it.extra),
  );
}

export function deleteItemsOfDataset(tx: WriteDb, datasetId: string): void {
  tx.run('DELETE FROM items WHERE dataset_id = ?', datasetId);
}

// ---- counts for a dataset's summary

export function countItemsOfDataset(db: ReadDb, datasetId: string): number {
  return db.value<number>('SELECT count(*) AS n FROM items WHERE dataset_id = ?', datasetId) ?? 0;
}

/** Items with an image whose image another item of the dataset has already. */
export function countDuplicateImagesOfDataset(db: ReadDb, datasetId: string): number {
  return db.value<number>('SELECT count(*) - count(DISTINCT image_hash) AS n FROM items WHERE dataset_id = ? AND image_hash IS NOT NULL', datasetId) ?? 0;
}

/** A dataset's item count per modality or per source split (`none` for no value), in value order. */
export function countItemsOfDatasetBy(db: ReadDb, datasetId: string, column: 'modality' | 'source_split'): Record<string, number> {
  const rows = db.all<{ k: string; n: number }>(
    `SELECT coalesce(${column}, 'none') AS k, count(*) AS n FROM items WHERE dataset_id = ? GROUP BY k ORDER BY k`,
    datasetId,
  );
  return Object.fromEntries(rows.map((x) => [x.k, x.n]));
}

// ---- modality labels

export function itemModality(db: ReadDb, id: string): Modality | undefined {
  return db.value<Modality>('SELECT modality FROM items WHERE id = ?', id);
}

/** A person's choice of modality: source `manual`, full confidence. */
export function setManualModality(tx: WriteDb, id: string, modality: Modality): void {
  tx.run("UPDATE items SET modality = ?, modality_source = 'manual', modality_confidence = 1 WHERE id = ?", modality, id);
}

export function setModalityLabel(tx: WriteDb, id: string, modality: Modality, source: LabelSource, confidence: number): void {
  tx.run('UPDATE items SET modality = ?, modality_source = ?, modality_confidence = ? WHERE id = ?', modality, source, confidence, id);
}

/** A dataset's items whose modality is `none`, in id order. */
export function unlabelledItemsOfDataset(db: ReadDb, datasetId: string): UnlabelledItem[] {
  return db.all<UnlabelledItem>("SELECT id, question, thumb_hash AS thumb FROM items WHERE dataset_id = ? AND modality = 'none' ORDER BY id", datasetId);
}

/** Every modality some trusted item with a thumbnail has, across the workspace. */
export function trustedModalities(db: ReadDb): Modality[] {
  return db.values<Modality>(
    "SELECT DISTINCT modality FROM items WHERE modality <> 'none' AND modality_source IN ('source','dicom-tag','manual') AND thumb_hash IS NOT NULL",
  );
}

/** The first `limit` trusted items with a thumbnail of one modality, in id order. */
export function trustedModalityExamples(db: ReadDb, modality: Modality, limit: number): TrustedModalityExample[] {
  return db.all<TrustedModalityExample>(
    "SELECT thumb_hash AS thumb, modality, modality_source AS source FROM items WHERE modality = ? AND modality_source IN ('source','dicom-tag','manual') AND thumb_hash IS NOT NULL ORDER BY id LIMIT ?",
    modality,
    limit,
  );
}

// ---- balancing

interface CandidateRow {
  id: string;
  modality: Modality;
  correct: number | null;
  options: string;
  patient: string | null;
  source_split: Split | null;
  image_hash: string | null;
  phash: string | null;
  kind: 'multiple-choice' | 'free-form';
  task: string;
  benchmark: string;
  question: string;
}

/** The items of these datasets of these kinds, in id order, as the balancer takes them. */
export function balanceCandidates(db: ReadDb, datasets: readonly string[], kinds: readonly string[]): BalanceCandidate[] {
  const rows = db.all<CandidateRow>(
    `SELECT id, modality, correct, options, patient, source_split, image_hash, phash, kind, task, benchmark, question FROM items
                WHERE dataset_id IN (SELECT value FROM json_each(?)) AND kind IN (SELECT value FROM json_each(?)) ORDER BY id`,
    JSON.stringify(datasets),
    JSON.stringify(kinds),
  );
  return rows.map((r) => ({
    id: r.id,
    modality: r.modality,
    correct: r.correct,
    optionCount: r.kind === 'multiple-choice' ? (JSON.parse(r.options) as string[]).length : 0,
    patient: r.patient,
    sourceSplit: r.source_split,
    imageHash: r.image_hash,
    phash: r.phash,
    kind: r.kind,
    task: r.task,
    benchmark: r.benchmark,
    question: r.question,
  }));
}

/** The items with these ids (any order; ids with no item are left out). */
export function itemsByIds(db: ReadDb, ids: readonly string[]): ItemRow[] {
  return db.all<StoredItemRow>('SELECT * FROM items WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids)).map(toItemRow);
}

// ---- the item browser

interface ItemQuery {
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
  return (search ?? '')
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

function itemQuery(s: ItemSelection): ItemQuery {
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

/** A page of the items matching the selection, in import order (rowid), with how many match in all. */
export function matchingItemsPage(db: ReadDb, s: ItemSelection, limit: number, offset: number): { total: number; items: ItemRow[] } {
  const q = itemQuery(s);
  const total = db.value<number>(`SELECT count(*) AS n FROM ${q.from} ${q.where}`, ...q.args) ?? 0;
  const rows = db.all<StoredItemRow>(`SELECT i.* FROM ${q.from} ${q.where} ORDER BY i.rowid LIMIT ? OFFSET ?`, ...q.args, limit, offset);
  return { total, items: rows.map(toItemRow) };
}

/** The items matching the selection grouped by task, answer, modality and split (the split in force), with counts. */
export function facetGroups(db: ReadDb, s: ItemSelection): FacetGroup[] {
  const base = itemQuery(s);
  return db.all<FacetGroup>(
    `SELECT i.task AS task, i.answer AS answer, i.modality AS modality, ${base.splitColumn} AS split, count(*) AS n
      FROM ${base.from} ${base.where} GROUP BY 1, 2, 3, 4`,
    ...base.args,
  );
}
