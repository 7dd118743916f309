// What the Diagnose step's pickers say (model, version, split, K), written to and read from the route's query, and
// which stored diagnosis answers that selection. The step shows a run's numbers only when the run was computed on
// exactly this model, version and split (the pack as it is, no adapter) and holds Pass@K at this K; otherwise it says
// there is no diagnosis for the selection. Pure: no DOM, no state.
import type { RunSplit, RunSummary } from '../../../../shared/api/runs.ts';
import { MAX_PASS_AT_K } from '../../../../shared/metrics/constants.ts';
import type { GroupMetrics } from '../../../../shared/metrics/report-schema.ts';
import { headlineK, reportKs } from './study.ts';

export interface DiagnoseSelection {
  model: string | null;
  version: string | null;
  split: RunSplit;
  /** The K of the headline Pass@K the user chose; null = the recipe's K (or the largest the run holds). */
  k: number | null;
}

/** Query keys, in the order they are written. */
const KEYS = ['model', 'version', 'split', 'k'] as const;
/** Longest id accepted from an address (pack ids are 64 hex digits, version ids shorter). */
const MAX_ID_LENGTH = 100;

/** shared/api/runs.ts RunSplit (the renderer takes types only from the contract, not its zod values). */
const SPLITS: readonly RunSplit[] = ['train', 'val', 'test', 'all'];

/**
 * The selection an address asks for (`model=…&version=…&split=test&k=2`). Only well-formed values are taken; anything
 * else is left out, so the caller keeps what it had for that picker.
 */
export function selectionFromQuery(query: string): Partial<DiagnoseSelection> {
  const q = new URLSearchParams(query);
  const out: Partial<DiagnoseSelection> = {};
  const id = (v: string | null) => (v !== null && v.length > 0 && v.length <= MAX_ID_LENGTH && /^[A-Za-z0-9._-]+$/.test(v) ? v : null);
  const model = id(q.get('model'));
  if (model) out.model = model;
  const version = id(q.get('version'));
  if (version) out.version = version;
  const split = SPLITS.find((s) => s === q.get('split'));
  if (split) out.split = split;
  const k = q.get('k');
  if (k !== null && /^[1-9]\d{0,3}$/.test(k) && Number(k) <= MAX_PASS_AT_K) out.k = Number(k);
  return out;
}

/** The query that reopens this selection; keys without a value are left out. */
export function selectionQuery(sel: DiagnoseSelection): string {
  const q = new URLSearchParams();
  for (const key of KEYS) {
    const v = sel[key];
    if (v !== null && v !== undefined) q.set(key, String(v));
  }
  return q.toString();
}

/** A diagnosis of the pack as it is (no adapter) on this model, version and split. */
export function answersSelection(run: Pick<RunSummary, 'kind' | 'pack' | 'version' | 'split' | 'adapter'>, sel: DiagnoseSelection): boolean {
  return run.kind === 'diagnose' && run.adapter === null && run.pack === sel.model && run.version === sel.version && (run.split ?? 'all') === sel.split;
}

/**
 * The stored diagnosis for a selection: the study's own when it answers the selection, else the newest finished one,
 * else the newest still running (its job is shown). Failed, cancelled or interrupted runs have no numbers to show.
 * `runs` newest first (as runs:list answers).
 */
export function diagnosisForSelection<R extends Pick<RunSummary, 'id' | 'kind' | 'pack' | 'version' | 'split' | 'adapter' | 'state'>>(
  runs: readonly R[],
  sel: DiagnoseSelection,
  studyRun: string | null,
): R | null {
  const matching = runs.filter((r) => answersSelection(r, sel));
  const own = matching.find((r) => r.id === studyRun && (r.state === 'done' || r.state === 'running'));
  return own ?? matching.find((r) => r.state === 'done') ?? matching.find((r) => r.state === 'running') ?? null;
}

/**
 * The K the headline Pass@K is shown at: the chosen K when the run holds it (null when it does not: no numbers at a K
 * that was not computed), else the recipe's K, else the largest the run holds.
 */
export function headlineKFor(overall: Pick<GroupMetrics, 'passAtK'>, chosen: number | null, recipeK: number | undefined): number | null {
  if (chosen !== null) return reportKs(overall).includes(chosen) ? chosen : null;
  return headlineK(overall, recipeK);
}
