// Datasets (immutable imports), their items, modality labels, and frozen dataset versions.
import { z } from 'zod';
import { defineCall } from './define.ts';
import { Job } from './jobs.ts';
import { LabelSource, Modality, Split } from '../items.ts';
import { BalanceSpec as BalanceAlgorithmSpec } from '../balance/spec.ts';
import { AbsolutePath } from './local-path.ts';
import { VolumeMode } from '../volume-slices.ts';

const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
  .default(20260101);
const LocalPath = AbsolutePath;

export const ImportSource = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('medmnist'),
    path: LocalPath,
    task: z.string().min(1).max(40).optional(),
    seed: Seed,
    name: z.string().max(200).optional(),
    /** 3D files only: which slices of each volume become items (shared/volume-slices.ts); absent = every slice. */
    volume: VolumeMode.optional(),
  }),
  z.strictObject({
    source: z.literal('pmc-vqa'),
    path: LocalPath,
    images: LocalPath,
    split: Split.nullable().optional(),
    name: z.string().max(200).optional(),
  }),
  z.strictObject({ source: z.literal('vqa-rad'), path: LocalPath, images: LocalPath.optional(), seed: Seed, name: z.string().max(200).optional() }),
  z.strictObject({ source: z.literal('slake'), path: LocalPath, images: LocalPath.optional(), seed: Seed, name: z.string().max(200).optional() }),
  z.strictObject({
    source: z.literal('image-folder'),
    path: LocalPath,
    modality: Modality,
    task: z.string().min(1).max(80),
    question: z.string().min(1).max(500).optional(),
    seed: Seed,
    name: z.string().max(200).optional(),
  }),
  z.strictObject({
    source: z.literal('dicom'),
    path: LocalPath,
    /** CSV with a UID column (SOPInstanceUID, SeriesInstanceUID or StudyInstanceUID) and a `label` column. */
    labels: LocalPath.optional(),
    /** Question asked for each image; {modality} and {bodyPart} are filled in. */
    question: z.string().min(1).max(500).optional(),
    dates: z.enum(['remove', 'shift']).default('remove'),
    /** Per series (grouped by pseudonymised Study + Series Instance UID): which slices become items; absent = every file an item. */
    volume: VolumeMode.optional(),
    shiftDays: z.number().int().min(-36500).max(36500).optional(),
    seed: Seed,
    name: z.string().max(200).optional(),
  }),
]);
export type ImportSource = z.infer<typeof ImportSource>;

export const Rejection = z.object({ file: z.string(), row: z.number().int().nullable(), code: z.string(), reason: z.string() });
export type Rejection = z.infer<typeof Rejection>;

export const DatasetSummary = z.object({
  id: z.string(),
  name: z.string(),
  source: z.string(),
  state: z.enum(['importing', 'ready', 'failed']),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  imported: z.number().int(),
  rejected: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  warnings: z.number().int(),
  byModality: z.record(z.string(), z.number().int()),
  bySplit: z.record(z.string(), z.number().int()),
  deidentification: z.record(z.string(), z.unknown()).nullable(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const ItemRow = z.object({
  id: z.string(),
  datasetId: z.string(),
  sourceKey: z.string(),
  question: z.string(),
  options: z.array(z.string()),
  correct: z.number().int().nullable(),
  answer: z.string(),
  kind: z.enum(['multiple-choice', 'free-form']),
  modality: Modality,
  modalitySource: LabelSource,
  modalityConfidence: z.number(),
  task: z.string(),
  benchmark: z.string(),
  questionType: z.string(),
  sourceSplit: Split.nullable(),
  patient: z.string().nullable(),
  imageHash: z.string().nullable(),
  thumbHash: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** For an item made from a volume (DICOM series, MedMNIST 3D): the slices its image shows (0-based) of how many. */
  slices: z.object({ indices: z.array(z.number().int()), of: z.number().int() }).nullable(),
});
export type ItemRow = z.infer<typeof ItemRow>;

/** Longest text search the browser sends; longer is refused at the boundary rather than cut. */
export const ITEM_SEARCH_MAX = 200;

/** What narrows the item browser, over the whole dataset (or version) on the host, never over rows already loaded. */
export const ItemSelection = z.strictObject({
  datasetId: z.string().min(1).max(200).optional(),
  versionId: z.string().min(1).max(200).optional(),
  modality: Modality.optional(),
  task: z.string().min(1).max(200).optional(),
  /** The class: the item's correct answer text, exactly. */
  answer: z.string().min(1).max(500).optional(),
  split: Split.optional(),
  modalitySource: LabelSource.optional(),
  /** Words found, case-insensitively, in the question, the answer, the source key (file name, row, qid) or the task. */
  search: z.string().trim().max(ITEM_SEARCH_MAX).optional(),
});
export type ItemSelection = z.infer<typeof ItemSelection>;

export const ItemFilter = ItemSelection.extend({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
}).strict();
export type ItemFilter = z.infer<typeof ItemFilter>;

/** One choice of a filter with how many items it would show, the other filters applied. */
export const FacetCount = z.object({ value: z.string(), n: z.number().int() });
export type FacetCount = z.infer<typeof FacetCount>;

/** The choices of each filter over the whole selection: each facet counted with every filter but its own applied. */
export const ItemFacets = z.object({
  total: z.number().int(),
  tasks: z.array(FacetCount),
  answers: z.array(FacetCount),
  modalities: z.array(FacetCount),
  splits: z.array(FacetCount),
});
export type ItemFacets = z.infer<typeof ItemFacets>;

/** The balancing wizard's request: which datasets and item kinds, plus the algorithm's spec (shared/balance/spec.ts). */
export const BalanceSpec = BalanceAlgorithmSpec.omit({ sources: true })
  .extend({
    datasets: z.array(z.string().min(1)).min(1),
    kinds: z.array(z.enum(['multiple-choice', 'free-form'])).default(['multiple-choice']),
    seed: Seed,
    name: z.string().max(200).optional(),
  })
  .strict();
export type BalanceSpec = z.infer<typeof BalanceSpec>;

/** counts[modality][split][letter] = n; letter "-" for free-form. */
export const Counts = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.number().int())));

export const BalancePreview = z.object({
  before: Counts,
  after: Counts,
  removed: z.record(z.string(), z.number().int()),
  notes: z.array(z.string()),
  n: z.number().int(),
});
export type BalancePreview = z.infer<typeof BalancePreview>;

export const VersionSummary = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  n: z.number().int(),
  spec: z.record(z.string(), z.unknown()),
  counts: z.object({
    bySplit: z.record(z.string(), z.number().int()),
    byModality: z.record(z.string(), z.number().int()),
    byLetter: z.record(z.string(), z.number().int()),
  }),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const VersionDetail = VersionSummary.extend({
  countsByModalitySplitLetter: Counts,
  /** counts[task][class (correct answer text)][split] = n. */
  countsByTaskClassSplit: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.number().int()))),
  notes: z.array(z.string()),
  removed: z.record(z.string(), z.number().int()),
  items: z.array(
    z.object({
      item: z.string(),
      split: Split,
      modality: Modality,
      correctLetter: z.string().nullable(),
      patient: z.string().nullable(),
      optionOrder: z.array(z.number().int()),
    }),
  ),
});
export type VersionDetail = z.infer<typeof VersionDetail>;

export const DuplicateReason = z.enum(['near-duplicate', 'exact-duplicate']);
export type DuplicateReason = z.infer<typeof DuplicateReason>;

/** The duplicates a version's balancing removed, each with the kept item it matched. */
export const RemovedDuplicates = z.object({
  /** False when running the stored balancing again no longer gives this version (items changed since): no list then. */
  reproduced: z.boolean(),
  total: z.number().int(),
  removed: z.array(z.object({ item: ItemRow, reason: DuplicateReason, matches: ItemRow.nullable() })),
});
export type RemovedDuplicates = z.infer<typeof RemovedDuplicates>;

export const datasetsCalls = {
  'datasets:import': defineCall({
    name: 'datasets:import',
    summary: 'Import a data source as a new dataset (a resumable job); the same content again answers with the dataset already imported (created: false).',
    mutates: true,
    input: ImportSource,
    output: z.object({ dataset: z.string(), job: Job, created: z.boolean() }),
  }),
  'datasets:list': defineCall({
    name: 'datasets:list',
    summary: 'All datasets with their counts.',
    mutates: false,
    input: z.strictObject({}),
    output: z.array(DatasetSummary),
  }),
  'datasets:delete': defineCall({
    name: 'datasets:delete',
    summary: 'Delete a dataset no frozen version uses (its items and import issues; audited). Refused while it imports and when a version holds its items.',
    mutates: true,
    input: z.strictObject({ id: z.string().min(1).max(200) }),
    output: z.object({ deleted: z.string(), name: z.string(), items: z.number().int(), issues: z.number().int() }),
  }),
  'datasets:get': defineCall({
    name: 'datasets:get',
    summary: 'One dataset with its import summary, rejections, quarantined images and warnings.',
    mutates: false,
    input: z.strictObject({ id: z.string(), rejectionsLimit: z.number().int().min(0).max(100_000).default(1000) }),
    output: DatasetSummary.extend({ rejections: z.array(Rejection), quarantine: z.array(Rejection), warningList: z.array(Rejection) }),
  }),
  'items:list': defineCall({
    name: 'items:list',
    summary: 'Items matching filters, for the dataset browser.',
    mutates: false,
    input: ItemFilter,
    output: z.object({ total: z.number().int(), items: z.array(ItemRow) }),
  }),
  'items:facets': defineCall({
    name: 'items:facets',
    summary: "Every task, class (answer), modality and split of the selection with its count, for the browser's filters.",
    mutates: false,
    input: ItemSelection,
    output: ItemFacets,
  }),
  'items:image': defineCall({
    name: 'items:image',
    summary: 'An item image or thumbnail as a data URL.',
    mutates: false,
    input: z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/) }),
    output: z.object({ dataUrl: z.string() }),
  }),
  'modality:override': defineCall({
    name: 'modality:override',
    summary: "Set an item's modality by hand (audited).",
    mutates: true,
    input: z.strictObject({ items: z.array(z.string()).min(1).max(10_000), modality: Modality, reason: z.string().max(500).optional() }),
    output: z.object({ changed: z.number().int() }),
  }),
  'modality:label': defineCall({
    name: 'modality:label',
    summary: "Auto-label the modality of a dataset's unlabelled items (text rules → image classifier → none), as a job.",
    mutates: true,
    input: z.strictObject({ datasetId: z.string(), threshold: z.number().min(0).max(1).default(0.6) }),
    output: Job,
  }),
  'versions:preview': defineCall({
    name: 'versions:preview',
    summary: 'Before/after counts of a balancing spec, without freezing anything.',
    mutates: false,
    input: BalanceSpec,
    output: BalancePreview,
  }),
  'versions:create': defineCall({
    name: 'versions:create',
    summary: 'Freeze a balanced dataset version (its id is the hash of its content).',
    mutates: true,
    input: BalanceSpec,
    output: VersionSummary.extend({ created: z.boolean() }),
  }),
  'versions:list': defineCall({
    name: 'versions:list',
    summary: 'All dataset versions.',
    mutates: false,
    input: z.strictObject({}),
    output: z.array(VersionSummary),
  }),
  'versions:removed': defineCall({
    name: 'versions:removed',
    summary: "The near (or exact) duplicates a version's balancing removed, each with the kept item it matched, a page at a time.",
    mutates: false,
    input: z.strictObject({
      id: z.string().min(1).max(200),
      reason: DuplicateReason.default('near-duplicate'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: RemovedDuplicates,
  }),
  'versions:show': defineCall({
    name: 'versions:show',
    summary: "A version's counts per split, modality and correct letter, and its items.",
    mutates: false,
    input: z.strictObject({ id: z.string() }),
    output: VersionDetail,
  }),
} as const;
