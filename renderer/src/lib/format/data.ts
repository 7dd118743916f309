// Pure helpers for the Data step: names of modalities, sources and label sources; building the import and balance
// requests from form values (with messages per field); summing count cubes; chart scales; the visible row range of
// a virtualised table. No DOM, no state, unit-tested in tests/unit/renderer/data-format.test.ts.
import type { CallInput } from '../../../../shared/api/index.ts';
import type { ImportSource } from '../../../../shared/api/datasets.ts';
import { MODALITIES, OPTION_LETTERS, type LabelSource, type Modality } from '../../../../shared/items.ts';
import type { PathRole } from '../../../../shared/path-fit.ts';
import { isAbsolutePath } from '../../../../shared/paths.ts';
import { MONTAGE_DEFAULT_SLICES, MONTAGE_MAX_SLICES, type VolumeMode } from '../../../../shared/volume-slices.ts';

export type SourceKind = ImportSource['source'];
export type ImportSourceInput = CallInput<'datasets:import'>;
export type BalanceSpecInput = CallInput<'versions:preview'>;

export { MODALITIES };

const MODALITY_NAMES: Record<Modality, string> = {
  'x-ray': 'X-ray',
  ct: 'CT',
  mri: 'MRI',
  ultrasound: 'Ultrasound',
  pet: 'PET',
  'nuclear-medicine': 'Nuclear medicine',
  mammography: 'Mammography',
  angiography: 'Angiography',
  microscopy: 'Microscopy',
  pathology: 'Pathology',
  dermoscopy: 'Dermoscopy',
  fundus: 'Fundus',
  endoscopy: 'Endoscopy',
  oct: 'OCT',
  photo: 'Photo',
  other: 'Other',
  none: 'None',
};

export function modalityLabel(m: string): string {
  return (MODALITY_NAMES as Record<string, string | undefined>)[m] ?? m;
}

export const LABEL_SOURCE_NAMES: Record<LabelSource, string> = {
  source: 'Given by the source',
  'dicom-tag': 'DICOM Modality tag',
  'text-rules': 'Text rules',
  classifier: 'Image classifier',
  vlm: 'Model prompt',
  manual: 'Set by hand',
  none: 'Not labelled',
};

export function labelSourceName(s: string): string {
  return (LABEL_SOURCE_NAMES as Record<string, string | undefined>)[s] ?? s;
}

/** The option letter of a 0-based index ("A" for 0); "—" when there is none. */
export function letterOf(index: number | null | undefined): string {
  if (index === null || index === undefined || index < 0) return '—';
  return OPTION_LETTERS[index] ?? '—';
}

export interface SourceInfo {
  kind: SourceKind;
  title: string;
  /** What `path` is for this source. */
  pathLabel: string;
  pathHint: string;
  /** The images field, for sources whose annotations point at images kept elsewhere. */
  images?: { label: string; required: boolean; hint: string };
  /** Whether the source takes an option-order seed (PMC-VQA keeps its published option order). */
  seeded: boolean;
}

/** VQA-RAD and SLAKE read images from a folder only (electron/formats/vqa-images.ts); a .zip is not opened. */
const VQA_IMAGES = {
  label: 'Images folder',
  required: false,
  hint: 'Optional. Without it the questions are imported without images; images missing from the folder are kept as text-only items and summed up in one warning.',
};

export const SOURCE_INFO: readonly SourceInfo[] = [
  {
    kind: 'medmnist',
    title: 'MedMNIST v2 (.npz)',
    pathLabel: 'MedMNIST .npz file',
    pathHint: 'e.g. /data/medmnist/breastmnist_224.npz — the official train/val/test split is kept.',
    seeded: true,
  },
  {
    kind: 'image-folder',
    title: 'Image folder (one sub-folder per class)',
    pathLabel: 'Folder of class sub-folders',
    pathHint: 'Each sub-folder name is a class; each image becomes a multiple-choice item over the class names.',
    seeded: true,
  },
  {
    kind: 'pmc-vqa',
    title: 'PMC-VQA question table (CSV)',
    pathLabel: 'Question CSV',
    pathHint: 'Columns Figure_path, Question, Choice A–D, Answer_label.',
    images: {
      label: 'Images folder or .zip',
      required: true,
      hint: 'The figures named in Figure_path, e.g. the release’s images.zip. A row whose image is missing is rejected with its row number.',
    },
    seeded: false,
  },
  {
    kind: 'vqa-rad',
    title: 'VQA-RAD (JSON)',
    pathLabel: 'VQA-RAD JSON file',
    pathHint: 'Closed questions become multiple choice; open ones are kept as free-form.',
    images: VQA_IMAGES,
    seeded: true,
  },
  {
    kind: 'slake',
    title: 'SLAKE (JSON or CSV)',
    pathLabel: 'SLAKE JSON or CSV file',
    pathHint: 'Closed questions become multiple choice; open ones are kept as free-form.',
    images: VQA_IMAGES,
    seeded: true,
  },
  {
    kind: 'dicom',
    title: 'DICOM folder',
    pathLabel: 'Folder of DICOM files',
    pathHint: 'Searched recursively. De-identified on import; original files are never copied.',
    seeded: true,
  },
];

export function sourceInfo(kind: SourceKind): SourceInfo {
  return SOURCE_INFO.find((s) => s.kind === kind) ?? (SOURCE_INFO[0] as SourceInfo);
}

/** Seed recorded for option shuffling and splits when the user does not change it (the contract's default). */
export const DEFAULT_SEED = 20260101;
const MAX_SEED = 2 ** 32 - 1;

/** Everything the import form can hold; which fields matter depends on `source`. */
export interface ImportFormValues {
  source: SourceKind;
  path: string;
  images: string;
  labels: string;
  task: string;
  modality: Modality | '';
  question: string;
  split: '' | 'train' | 'val' | 'test';
  dates: 'remove' | 'shift';
  shiftDays: string;
  seed: string;
  name: string;
  /** DICOM series and MedMNIST 3D volumes: which slices become items (shared/volume-slices.ts). */
  volume: VolumeMode['mode'];
  montageSlices: string;
}

export function emptyImportForm(source: SourceKind = 'medmnist'): ImportFormValues {
  return {
    source,
    path: '',
    images: '',
    labels: '',
    task: '',
    modality: '',
    question: '',
    split: '',
    dates: 'remove',
    shiftDays: '',
    seed: String(DEFAULT_SEED),
    name: '',
    volume: 'every-slice',
    montageSlices: String(MONTAGE_DEFAULT_SLICES),
  };
}

/** The volume choices the import form offers, in its order, with the words it shows. */
export const VOLUME_CHOICES: ReadonlyArray<{ mode: VolumeMode['mode']; label: string; hint: string }> = [
  { mode: 'every-slice', label: 'Every slice an item', hint: 'One item per file (DICOM) or per slice (MedMNIST 3D).' },
  { mode: 'middle-slice', label: 'One item per series: middle slice', hint: 'Slice ⌊(n − 1) / 2⌋ in position order.' },
  {
    mode: 'most-tissue',
    label: 'One item per series: slice with most tissue',
    hint: 'The slice with the largest share of pixels above 10 % grey after windowing.',
  },
  { mode: 'montage', label: 'One item per series: montage of N slices', hint: 'N evenly spaced slices, first and last included, in one grid image.' },
];

/** Whether the form offers the volume choice: always for DICOM; for MedMNIST when the file or task names a 3D task. */
export function offersVolumeChoice(v: Pick<ImportFormValues, 'source' | 'path' | 'task'>): boolean {
  return v.source === 'dicom' || (v.source === 'medmnist' && /mnist3d/i.test(`${v.path} ${v.task}`));
}

function volumeOf(v: ImportFormValues, errors: FieldErrors<keyof ImportFormValues>): VolumeMode | undefined {
  if (!offersVolumeChoice(v) || v.volume === 'every-slice') return undefined;
  if (v.volume !== 'montage') return { mode: v.volume };
  const n = parseInteger(v.montageSlices);
  if (n === null || n < 2 || n > MONTAGE_MAX_SLICES) {
    errors.montageSlices = `A montage has 2 to ${MONTAGE_MAX_SLICES} slices.`;
    return undefined;
  }
  return { mode: 'montage', slices: n };
}

export type FieldErrors<K extends string> = Partial<Record<K, string>>;
export type Built<T, K extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<K> };

function parseInteger(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/** Turns the import form into a `datasets:import` request, or says which fields are wrong and why. */
export function buildImportSource(v: ImportFormValues): Built<ImportSourceInput, keyof ImportFormValues> {
  const errors: FieldErrors<keyof ImportFormValues> = {};
  const path = v.path.trim();
  const info = sourceInfo(v.source);
  if (!path) errors.path = `Enter the ${info.pathLabel.toLowerCase()} on this computer.`;
  else if (!isAbsolutePath(path)) errors.path = 'Give the full path, starting with / (or a drive letter such as C:\\ on Windows).';
  for (const [field, text] of [
    ['images', v.images],
    ['labels', v.labels],
  ] as const) {
    const t = text.trim();
    if (t && !isAbsolutePath(t) && (field === 'labels' ? v.source === 'dicom' : info.images !== undefined))
      errors[field] = 'Give the full path, starting with / (or a drive letter such as C:\\ on Windows).';
  }
  const seed = parseInteger(v.seed);
  // Only a seed the form shows for this source can block the import: one typed for another source is not sent.
  if (info.seeded && (seed === null || seed < 0 || seed > MAX_SEED)) errors.seed = `The seed is a whole number from 0 to ${MAX_SEED}.`;
  const name = v.name.trim() || undefined;
  const images = v.images.trim() || undefined;
  const question = v.question.trim() || undefined;
  let value: ImportSourceInput | null = null;
  switch (v.source) {
    case 'medmnist':
      value = { source: 'medmnist', path, seed: seed ?? DEFAULT_SEED, name, task: v.task.trim() || undefined, volume: volumeOf(v, errors) };
      break;
    case 'pmc-vqa':
      if (!images) errors.images = 'Enter the folder or .zip file that holds the figures named in Figure_path.';
      value = { source: 'pmc-vqa', path, images: images ?? '', name, split: v.split || undefined };
      break;
    case 'vqa-rad':
    case 'slake':
      value = { source: v.source, path, images, seed: seed ?? DEFAULT_SEED, name };
      break;
    case 'image-folder':
      if (!v.modality) errors.modality = 'Say which modality these images are; it is recorded as given by the source.';
      if (!v.task.trim()) errors.task = 'Name the task, e.g. blood-cell or skin-lesion.';
      value = { source: 'image-folder', path, modality: (v.modality || 'other') as Modality, task: v.task.trim(), question, seed: seed ?? DEFAULT_SEED, name };
      break;
    case 'dicom': {
      let shiftDays: number | undefined;
      if (v.dates === 'shift' && v.shiftDays.trim()) {
        const d = parseInteger(v.shiftDays);
        if (d === null || Math.abs(d) > 36_500)
          errors.shiftDays = 'Shift by a whole number of days, at most 36,500 either way (or leave empty for a per-patient keyed shift).';
        else shiftDays = d;
      }
      value = {
        source: 'dicom',
        path,
        labels: v.labels.trim() || undefined,
        question,
        dates: v.dates,
        shiftDays,
        seed: seed ?? DEFAULT_SEED,
        name,
        volume: volumeOf(v, errors),
      };
      break;
    }
  }
  if (Object.keys(errors).length > 0 || value === null) return { ok: false, errors };
  return { ok: true, value: dropUndefined(value) };
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}

/** counts[modality][split][letter] = n, as versions:preview and versions:show return them. */
export type CountCube = Record<string, Record<string, Record<string, number>>>;

export interface CountTotals {
  total: number;
  byModality: Record<string, number>;
  bySplit: Record<string, number>;
  byLetter: Record<string, number>;
}

export function sumCounts(cube: CountCube): CountTotals {
  const out: CountTotals = { total: 0, byModality: {}, bySplit: {}, byLetter: {} };
  for (const [m, splits] of Object.entries(cube)) {
    for (const [s, letters] of Object.entries(splits)) {
      for (const [l, n] of Object.entries(letters)) {
        out.total += n;
        out.byModality[m] = (out.byModality[m] ?? 0) + n;
        out.bySplit[s] = (out.bySplit[s] ?? 0) + n;
        out.byLetter[l] = (out.byLetter[l] ?? 0) + n;
      }
    }
  }
  return out;
}

/** Letter counts for one modality, over every split. */
export function lettersOf(cube: CountCube, modality: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const letters of Object.values(cube[modality] ?? {})) for (const [l, n] of Object.entries(letters)) out[l] = (out[l] ?? 0) + n;
  return out;
}

const SPLIT_ORDER = ['train', 'val', 'test', 'unassigned', 'none'];

/** Splits in workflow order (train, val, test, then anything without a split). */
export function sortSplits(keys: Iterable<string>): string[] {
  const rank = (k: string) => (SPLIT_ORDER.includes(k) ? SPLIT_ORDER.indexOf(k) : SPLIT_ORDER.length);
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function splitLabel(s: string): string {
  if (s === 'none' || s === 'unassigned') return 'no split';
  return s;
}

/** Letters A…Z first in order, the free-form "-" last. */
export function sortLetters(keys: Iterable<string>): string[] {
  const rank = (k: string) => (OPTION_LETTERS.includes(k) && k.length === 1 ? OPTION_LETTERS.indexOf(k) : 99);
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Modalities by count, largest first, `none` last. */
export function sortModalities(counts: Record<string, number>): string[] {
  return Object.keys(counts).sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : (counts[b] ?? 0) - (counts[a] ?? 0) || a.localeCompare(b)));
}

/** The keys of several count records, united. */
export function unionKeys(...records: readonly Record<string, number>[]): string[] {
  const s = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) s.add(k);
  return [...s];
}

/** A round axis maximum ≥ n: 1, 2, 2.5 or 5 × 10^k (the usual "nice numbers" steps, Heckbert 1990). */
export function niceMax(n: number): number {
  if (!(n > 0)) return 1;
  const exp = Math.floor(Math.log10(n));
  const base = 10 ** exp;
  for (const step of [1, 2, 2.5, 5, 10]) if (step * base >= n) return step * base;
  return 10 * base;
}

/** A generous average advance of a 12 px sans-serif character (capitals and m/w included), for sizing chart label
 *  columns without measuring text; the chart also clips each label to its column, so an estimate never overlaps. */
export const CHART_CHAR_PX = 7.2;

/**
 * Width in px of a bar chart's label column: the longest label at `charPx` a character plus a gap, at least `min`
 * and at most `max` (longer labels are cut by `fitLabel`).
 */
export function labelColumnWidth(labels: readonly string[], min: number, max: number, charPx = CHART_CHAR_PX, gap = 8): number {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  return Math.ceil(Math.min(max, Math.max(min, longest * charPx + gap)));
}

/** A label that fits `width` px (less the gap), cut with an ellipsis when it does not. */
export function fitLabel(label: string, width: number, charPx = CHART_CHAR_PX, gap = 8): string {
  const room = Math.max(1, Math.floor((width - gap) / charPx + 1e-9));
  if (label.length <= room) return label;
  return `${label.slice(0, Math.max(1, room - 1)).trimEnd()}…`;
}

/** One series of a grouped bar chart: a value per category key. */
export interface BarSeries {
  name: string;
  values: Readonly<Record<string, number>>;
  tone: 'before' | 'after';
}

/** Evenly spaced tick values from 0 to max (inclusive), `count` intervals. */
export function ticks(max: number, count = 4): number[] {
  const out: number[] = [];
  for (let i = 0; i <= count; i++) out.push((max * i) / count);
  return out;
}

/** What the balancing form holds (strings where the user types). */
export interface BalanceFormValues {
  datasets: string[];
  quotaMode: 'equal' | 'per-modality';
  perModality: Record<string, string>;
  total: string;
  excludeModalities: string[];
  letterBalance: boolean;
  nearHammingMax: string;
  splitMode: 'source' | 'patient-random';
  /** Percentages, summing to 100. */
  train: string;
  val: string;
  test: string;
  seed: string;
  name: string;
}

/** Default size of a balanced set: design.md §1 "Practice" (~8,000 items); mirrors shared/balance/spec.ts. */
export const DEFAULT_BALANCE_TOTAL = 8000;
/** Largest Hamming distance between two 64-bit dHashes counted as the same picture; mirrors shared/balance/spec.ts. */
export const DEFAULT_NEAR_HAMMING = 4;
const MAX_HAMMING = 63;

export function defaultBalanceForm(datasets: string[] = []): BalanceFormValues {
  return {
    datasets,
    quotaMode: 'equal',
    perModality: {},
    total: String(DEFAULT_BALANCE_TOTAL),
    excludeModalities: ['none'],
    letterBalance: true,
    nearHammingMax: String(DEFAULT_NEAR_HAMMING),
    splitMode: 'source',
    train: '80',
    val: '10',
    test: '10',
    seed: String(DEFAULT_SEED),
    name: '',
  };
}

export type BalanceField = keyof BalanceFormValues | `quota:${string}`;

/** Turns the balancing form into a versions:preview / versions:create request, or names what is wrong. */
export function buildBalanceSpec(v: BalanceFormValues): Built<BalanceSpecInput, BalanceField> {
  const errors: FieldErrors<BalanceField> = {};
  if (v.datasets.length === 0) errors.datasets = 'Pick at least one dataset.';
  const total = parseInteger(v.total);
  if (v.quotaMode === 'equal' && (total === null || total < 1)) errors.total = 'Enter how many items the version should hold (a whole number above 0).';
  const quotas: Partial<Record<Modality, number>> = {};
  if (v.quotaMode === 'per-modality') {
    for (const [m, text] of Object.entries(v.perModality)) {
      if (v.excludeModalities.includes(m)) continue;
      if (!text.trim()) continue;
      const n = parseInteger(text);
      if (n === null || n < 0) errors[`quota:${m}`] = `Quota for ${modalityLabel(m)} is a whole number of items (0 or more).`;
      else quotas[m as Modality] = n;
    }
    if (Object.keys(quotas).length === 0 && !Object.keys(errors).some((k) => k.startsWith('quota:')))
      errors.perModality = 'Give a quota for at least one modality.';
  }
  const near = parseInteger(v.nearHammingMax);
  if (near === null || near < 0 || near > MAX_HAMMING) errors.nearHammingMax = `The threshold is a number of differing bits, 0 to ${MAX_HAMMING}.`;
  const pct = [v.train, v.val, v.test].map((t) => Number(t.trim()));
  if (pct.some((p) => !Number.isFinite(p) || p < 0 || p > 100) || Math.abs(pct.reduce((a, b) => a + b, 0) - 100) > 1e-6) {
    errors.train = 'Train, validation and test percentages must each be 0–100 and add up to 100.';
  }
  const seed = parseInteger(v.seed);
  if (seed === null || seed < 0 || seed > MAX_SEED) errors.seed = `The seed is a whole number from 0 to ${MAX_SEED}.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const [train, val, test] = pct as [number, number, number];
  const spec: BalanceSpecInput = {
    datasets: [...v.datasets].sort(),
    quotas: v.quotaMode === 'equal' ? 'equal' : quotas,
    total: total ?? DEFAULT_BALANCE_TOTAL,
    excludeModalities: [...v.excludeModalities].sort() as Modality[],
    letterBalance: v.letterBalance,
    dedupe: { exact: true, nearHammingMax: near as number },
    split: { mode: v.splitMode, ratios: { train: train / 100, val: val / 100, test: test / 100 } },
    seed: seed as number,
  };
  const name = v.name.trim();
  if (name) spec.name = name;
  return { ok: true, value: spec };
}

/** A stable key for a spec, so a preview can tell it no longer matches the form. */
export function specKey(spec: BalanceSpecInput): string {
  return JSON.stringify(spec, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : val,
  );
}

/** Reasons items were left out of a version, in words. */
const REMOVED_REASONS: Record<string, string> = {
  'exact-duplicate': 'Exact duplicate image',
  'near-duplicate': 'Near-duplicate image',
  'over-quota': 'Over the modality quota',
  'letter-balance': 'Answer-letter balance',
  excluded: 'Modality excluded',
  'excluded-modality': 'Modality excluded',
  'wrong-kind': 'Item kind not selected',
};

export function removedReason(key: string): string {
  return REMOVED_REASONS[key] ?? key.replace(/-/g, ' ');
}

/** Rows [start, end) a virtualised list must render to fill its viewport, plus `overscan` rows either side. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 4): { start: number; end: number } {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total - 1, first) - overscan);
  const end = Math.min(total, first + shown + overscan);
  return { start, end: Math.max(start, end) };
}

/** Page indexes (of `pageSize` rows) that cover rows [start, end). */
export function pagesCovering(start: number, end: number, pageSize: number): number[] {
  if (end <= start || pageSize <= 0) return [];
  const out: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) out.push(p);
  return out;
}

/** The first `n` de-identification method codes of a dataset's record, as "113100 Basic Application Confidentiality Profile". */
export function deidMethods(record: Record<string, unknown> | null): { code: string; scheme: string; meaning: string }[] {
  const methods = record?.methods;
  if (!Array.isArray(methods)) return [];
  return methods
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
    .map((m) => ({ code: String(m.code ?? ''), scheme: String(m.scheme ?? ''), meaning: String(m.meaning ?? '') }))
    .filter((m) => m.code !== '');
}

/** The plain (non-method) fields of a de-identification record, in words, for the summary. */
export function deidFacts(record: Record<string, unknown> | null): { label: string; value: string }[] {
  if (!record) return [];
  const out: { label: string; value: string }[] = [];
  const labels: Record<string, string> = {
    profile: 'Profile',
    dates: 'Dates',
    shiftDays: 'Date shift',
    pseudonyms: 'Patient pseudonyms',
    uids: 'UIDs',
    privateTags: 'Private tags',
    originalFilesCopied: 'Original files copied',
  };
  for (const [k, label] of Object.entries(labels)) {
    const v = record[k];
    if (v === undefined || v === null) continue;
    out.push({ label, value: typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v) });
  }
  return out;
}

/** One path of an import request and what its field expects there (checked with paths:inspect before the job). */
export interface ImportPathCheck {
  field: 'path' | 'images' | 'labels';
  path: string;
  role: PathRole;
}

/** The paths of a built import request, in the order the form shows their fields. */
export function importPathChecks(v: ImportSourceInput): ImportPathCheck[] {
  switch (v.source) {
    case 'medmnist':
      return [{ field: 'path', path: v.path, role: 'medmnist-file' }];
    case 'pmc-vqa':
      return [
        { field: 'path', path: v.path, role: 'csv-file' },
        { field: 'images', path: v.images, role: 'images-folder-or-zip' },
      ];
    case 'vqa-rad':
    case 'slake':
      return [
        { field: 'path', path: v.path, role: 'vqa-file' },
        ...(v.images ? [{ field: 'images' as const, path: v.images, role: 'images-folder' as const }] : []),
      ];
    case 'image-folder':
      return [{ field: 'path', path: v.path, role: 'class-image-folder' }];
    case 'dicom':
      return [
        { field: 'path', path: v.path, role: 'dicom-folder' },
        ...(v.labels ? [{ field: 'labels' as const, path: v.labels, role: 'labels-csv' as const }] : []),
      ];
  }
}

/** The source a suggestion switches to, as its button says it. */
export function suggestionLabel(source: SourceKind): string {
  return `Import as ${sourceInfo(source).title.replace(/ \(.*\)$/, '')}`;
}
