// Gathers everything a study report says, from stored records only: the study, its runs (config, seed, environment,
// metrics, events, latest recommendation), the dataset versions they name (counts per split/modality/letter, label
// sources, exclusions, the frozen manifest), the datasets behind those versions (import summary, rejections,
// quarantine, de-identification) and the model packs (file hashes). Each part is written to the bundle as is, so
// every number printed in the report can point at the bundle file and field it came from.
import { failureAnalysis, type ScoredRow, type TaskFailures } from './failure-analysis.ts';
import { AppError } from '../../shared/errors.ts';
import { compareRuns, type MetricsReport, type PairedGroup } from '../../shared/metrics/index.ts';
import {
  datasetItemCount,
  datasetItemCounts,
  importIssueCount,
  importIssues,
  rejectionCountsByCode,
  reportDatasetById,
  type ImportIssueSeverity,
} from '../storage/repositories/report-dataset-records.ts';
import { reportModelPackById } from '../storage/repositories/report-model-records.ts';
import {
  diagnosisPairedItems,
  diagnosisScoredItems,
  reportRunById,
  runEventsInOrder,
  runItemCount,
  runJobState,
} from '../storage/repositories/report-run-records.ts';
import { reportVersionById, versionAnswers, versionItemCounts, versionModalitySplitCounts } from '../storage/repositories/report-version-records.ts';
import { studyById, studyRunIds } from '../storage/repositories/studies.ts';
import type { Workspace } from '../storage/workspace.ts';

/** Rejected / quarantined files listed by name in the bundle (counts by code are always complete). */
export const LISTED_ISSUES_LIMIT = 200;
/** Run-event kinds that are job bookkeeping, not results (left out of the bundle). */
const BOOKKEEPING_EVENTS = new Set(['batch']);

export interface StudyRecord {
  id: string;
  name: string;
  intendedUse: string | null;
  createdAt: string;
  createdBy: string;
  runs: string[];
}

export interface RunEventRecord {
  seq: number;
  kind: string;
  step: number | null;
  payload: unknown;
  createdAt: string;
}

export interface RunRecord {
  id: string;
  position: number;
  kind: string;
  state: string;
  pack: string;
  version: string | null;
  split: string | null;
  initRun: string | null;
  adapterHash: string | null;
  seed: number;
  jobId: string | null;
  config: Record<string, unknown>;
  environment: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
  createdAt: string;
  finishedAt: string | null;
  /** Seconds between creation and the end of the run (null while it has not ended). */
  durationSeconds: number | null;
  itemsScored: number;
  events: RunEventRecord[];
  /** The latest stored recommendation event's payload (diagnoses only). */
  recommendation: Record<string, unknown> | null;
  /** Diagnoses: per task, the confusion matrix over answer texts and the most confidently wrong items (absent in reports frozen before it existed). */
  failures?: Record<string, TaskFailures> | null;
  /** Diagnoses of a trained adapter: the change from the study's diagnosis of the base model (absent in reports frozen before it existed). */
  changeFromBase?: BaseChange | null;
}

/** A diagnosis of a trained adapter against the study's diagnosis of the base pack on the same version and split. */
export interface BaseChange {
  /** The base diagnosis compared with. */
  base: string;
  /** The training run whose adapter this diagnosis applied. */
  trainedBy: string;
  /** Δ = this diagnosis − the base one on their shared items, with paired bootstrap intervals (shared/metrics/paired.ts). */
  overall: PairedGroup;
}

export type Counts = Record<string, number>;

export interface VersionRecord {
  id: string;
  name: string;
  createdAt: string;
  n: number;
  spec: Record<string, unknown>;
  manifestHash: string;
  notes: string[];
  /** Items the balancing left out, by reason. */
  removed: Counts;
  bySplit: Counts;
  byModality: Counts;
  byLetter: Counts;
  /** byModalitySplit[modality][split] = n */
  byModalitySplit: Record<string, Counts>;
  byTask: Counts;
  /** How each item's modality label was obtained (source, dicom-tag, text-rules, classifier, manual, none …). */
  labelSources: Counts;
  byDataset: Counts;
}

export interface IssueRecord {
  file: string;
  row: number | null;
  code: string;
  reason: string;
}

export interface DatasetRecord {
  id: string;
  name: string;
  source: string;
  state: string;
  createdAt: string;
  params: Record<string, unknown>;
  imported: number;
  byModality: Counts;
  bySplit: Counts;
  duplicates: number;
  warnings: number;
  rejected: number;
  rejectionsByCode: Counts;
  rejections: IssueRecord[];
  quarantined: number;
  quarantine: IssueRecord[];
  deidentification: Record<string, unknown> | null;
}

export interface ModelRecord {
  id: string;
  name: string;
  kind: string;
  path: string;
  addedAt: string;
  manifest: Record<string, unknown>;
}

export interface ReportData {
  schemaVersion: 1;
  study: StudyRecord;
  runs: RunRecord[];
  versions: VersionRecord[];
  datasets: DatasetRecord[];
  models: ModelRecord[];
}

/** The bytes of a version's frozen manifest (written to the bundle verbatim; their SHA-256 is the manifest hash). */
export function versionManifestBytes(ws: Workspace, v: VersionRecord): Buffer {
  return ws.blobs.get(v.manifestHash);
}

function tally(rows: Array<{ k: string | null; n: number }>): Counts {
  const out: Counts = {};
  for (const r of rows) out[r.k ?? 'none'] = r.n;
  return out;
}

export function studyRecord(ws: Workspace, id: string): StudyRecord {
  const row = studyById(ws.read, id);
  if (!row)
    throw new AppError('not-found', `There is no study ${id} in this workspace. Create one with: medbridge studies create --name N --runs R1,R2`, {
      study: id,
    });
  const runs = studyRunIds(ws.read, id);
  return { id: row.id, name: row.name, intendedUse: row.intended_use, createdAt: row.created_at, createdBy: row.created_by, runs };
}

function runRecord(ws: Workspace, id: string, position: number): RunRecord {
  const r = reportRunById(ws.read, id);
  if (!r) throw new AppError('not-found', `The study names run ${id}, which is not in this workspace.`, { run: id });
  const jobState = r.state === 'running' && r.job_id ? runJobState(ws.read, r.job_id) : undefined;
  const allEvents = runEventsInOrder(ws.read, id).map((e) => ({ seq: e.seq, kind: e.kind, step: e.step, payload: e.payload, createdAt: e.created_at }));
  const recommendations = allEvents.filter((e) => e.kind === 'recommendation');
  const events = allEvents.filter((e) => !BOOKKEEPING_EVENTS.has(e.kind) && e.kind !== 'recommendation');
  const itemsScored = runItemCount(ws.read, id);
  return {
    id: r.id,
    position,
    kind: r.kind,
    state: jobState === 'failed' || jobState === 'cancelled' || jobState === 'interrupted' ? jobState : r.state,
    pack: r.pack_id,
    version: r.version_id,
    split: r.split,
    initRun: r.init_run,
    adapterHash: r.adapter_hash,
    seed: r.seed,
    jobId: r.job_id,
    config: r.config ?? {},
    environment: r.environment ?? {},
    metrics: r.metrics,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    durationSeconds: r.finished_at ? Math.max(0, (Date.parse(r.finished_at) - Date.parse(r.created_at)) / 1000) : null,
    itemsScored,
    events,
    recommendation: (recommendations.at(-1)?.payload as Record<string, unknown> | undefined) ?? null,
    failures: r.kind === 'diagnose' && r.version_id && r.metrics ? failureAnalysis(scoredRows(ws, id, r.version_id)) : null,
  };
}

/** A diagnosis's scored items with their displayed options (the version's option order) and thumbnails. */
function scoredRows(ws: Workspace, run: string, version: string): ScoredRow[] {
  return diagnosisScoredItems(ws.read, run, version).map((x) => {
    const original = x.options;
    const order = x.option_order;
    return {
      item: x.item_id,
      task: x.task,
      question: x.question,
      correct: x.correct,
      probs: x.probs,
      thumb: x.thumb_hash,
      options: order.length === original.length ? order.map((k) => original[k] as string) : original,
    };
  });
}

/** A diagnosis's scored items as the paired comparison reads them. */
function pairedItems(
  ws: Workspace,
  run: string,
  version: string,
): Array<{ item: string; probs: number[]; correct: number; modality: string; task: string; split: string }> {
  return diagnosisPairedItems(ws.read, run, version).map((x) => ({
    item: x.item_id,
    probs: x.probs,
    correct: x.correct,
    modality: x.modality,
    task: x.task,
    split: x.split,
  }));
}

const isBaseDiagnosis = (r: RunRecord): boolean => r.kind === 'diagnose' && r.initRun === null && r.adapterHash === null && r.metrics !== null;

/**
 * The change a trained adapter made: its diagnosis against the study's base diagnosis of the same pack, version and
 * split, item by item, with the base diagnosis's K values, bootstrap size, seed and confidence. Null when the study
 * holds no such base diagnosis or the two share no item.
 */
function changeFromBase(ws: Workspace, r: RunRecord, runs: RunRecord[]): BaseChange | null {
  if (r.kind !== 'diagnose' || r.initRun === null || r.metrics === null || r.version === null) return null;
  const base = runs.find((b) => isBaseDiagnosis(b) && b.pack === r.pack && b.version === r.version && b.split === r.split);
  if (!base || base.version === null) return null;
  const cfg = (base.metrics as unknown as MetricsReport).config;
  const a = pairedItems(ws, base.id, base.version);
  const b = pairedItems(ws, r.id, r.version);
  const scored = new Set(b.map((y) => y.item));
  if (!a.some((x) => scored.has(x.item))) return null;
  const cmp = compareRuns(a, b, { ks: cfg.ks, bootstrapSamples: cfg.bootstrapSamples, seed: cfg.seed, confidence: cfg.confidence });
  return { base: base.id, trainedBy: r.initRun, overall: cmp.overall };
}

function versionRecord(ws: Workspace, id: string): VersionRecord {
  const row = reportVersionById(ws.read, id);
  if (!row) throw new AppError('not-found', `A run names dataset version ${id}, which is not in this workspace.`, { version: id });
  const byModalitySplit: Record<string, Counts> = {};
  for (const r of versionModalitySplitCounts(ws.read, id)) {
    (byModalitySplit[r.m] ??= {})[r.s] = r.n;
  }
  // The displayed correct letter = position of the stored correct index in the frozen option order.
  const byLetter: Counts = {};
  for (const { optionOrder: order, correct } of versionAnswers(ws.read, id)) {
    let letter = '-';
    if (correct !== null) {
      const pos = order.length ? order.indexOf(correct) : correct;
      letter = pos >= 0 ? String.fromCharCode(65 + pos) : '-';
    }
    byLetter[letter] = (byLetter[letter] ?? 0) + 1;
  }
  const sortedLetters = Object.fromEntries(Object.entries(byLetter).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    n: row.n,
    spec: row.spec,
    manifestHash: row.manifest_hash,
    notes: row.notes,
    removed: row.removed,
    bySplit: tally(versionItemCounts(ws.read, id, 'split')),
    byModality: tally(versionItemCounts(ws.read, id, 'modality')),
    byLetter: sortedLetters,
    byModalitySplit,
    byTask: tally(versionItemCounts(ws.read, id, 'task')),
    labelSources: tally(versionItemCounts(ws.read, id, 'labelSource')),
    byDataset: tally(versionItemCounts(ws.read, id, 'dataset')),
  };
}

function datasetRecord(ws: Workspace, id: string): DatasetRecord {
  const r = reportDatasetById(ws.read, id);
  const issues = (severity: ImportIssueSeverity): IssueRecord[] => importIssues(ws.read, id, severity, LISTED_ISSUES_LIMIT);
  const count = (severity: ImportIssueSeverity): number => importIssueCount(ws.read, id, severity);
  return {
    id: r.id,
    name: r.name,
    source: r.source,
    state: r.state,
    createdAt: r.created_at,
    params: sanitiseParams(r.params),
    imported: datasetItemCount(ws.read, id),
    byModality: tally(datasetItemCounts(ws.read, id, 'modality')),
    bySplit: tally(datasetItemCounts(ws.read, id, 'source_split')),
    duplicates: r.duplicates,
    warnings: count('warning'),
    rejected: count('rejection'),
    rejectionsByCode: tally(rejectionCountsByCode(ws.read, id)),
    rejections: issues('rejection'),
    quarantined: count('quarantine'),
    quarantine: issues('quarantine'),
    deidentification: r.deidentification,
  };
}

/** Import parameters as recorded, without anything secret-looking (there should be none; belt and braces). */
function sanitiseParams(p: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([k]) => !/secret|key|token|password/i.test(k)));
}

function modelRecord(ws: Workspace, id: string): ModelRecord {
  const r = reportModelPackById(ws.read, id);
  return { id: r.id, name: r.name, kind: r.kind, path: r.path, addedAt: r.added_at, manifest: r.manifest };
}

export function gatherReportData(ws: Workspace, studyId: string): ReportData {
  const study = studyRecord(ws, studyId);
  const runs = study.runs.map((id, i) => runRecord(ws, id, i + 1));
  for (const r of runs) if (r.kind === 'diagnose' && r.initRun !== null) r.changeFromBase = changeFromBase(ws, r, runs);
  const versionIds = [...new Set(runs.map((r) => r.version).filter((v): v is string => v !== null))];
  const versions = versionIds.map((v) => versionRecord(ws, v));
  const datasetIds = [...new Set(versions.flatMap((v) => Object.keys(v.byDataset)))].sort();
  const packIds = [...new Set(runs.map((r) => r.pack))];
  return { schemaVersion: 1, study, runs, versions, datasets: datasetIds.map((d) => datasetRecord(ws, d)), models: packIds.map((p) => modelRecord(ws, p)) };
}
