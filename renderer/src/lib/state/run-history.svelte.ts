// Run history of the Bridge and Sharpen steps: the step's training runs (from the study's run list, with their details
// and events loaded through the study so the curves and the final numbers come from one place), the runs chosen in the
// address (`#/bridge?run=A&compare=B`, so a reload keeps them), and the paired comparison (`runs:compare`) of two.
import type { RunSummary } from '../../../../shared/api/runs.ts';
import type { PairedComparison } from '../../../../shared/metrics/report-schema.ts';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import {
  choiceFromQuery,
  choiceQuery,
  comparePair,
  historyRow,
  stepRuns,
  toggleChoice,
  validChoice,
  type HistoryRow,
  type TrainStep,
} from '../format/run-history.ts';
import type { RouterState } from './router.svelte.ts';
import type { StudyState } from './study.svelte.ts';

export class RunHistoryState {
  comparisons = $state.raw<Readonly<Record<string, PairedComparison>>>({});
  /** Why the comparison of the chosen pair could not be made. */
  error = $state.raw<AppErrorShape | null>(null);
  readonly #client: ApiClient;
  readonly #study: StudyState;
  readonly #router: RouterState;
  readonly #asked = new Set<string>();

  constructor(client: ApiClient, study: StudyState, router: RouterState) {
    this.#client = client;
    this.#study = study;
    this.#router = router;
  }

  /** The step's runs for the study's model and version, newest first. */
  runs(step: TrainStep): RunSummary[] {
    const s = this.#study;
    const own = s.runs.detail(step === 'bridge' ? 'sft' : 'grpo');
    return stepRuns(s.runList.runs, step, { model: s.selection.model, version: s.selection.version }, own);
  }

  rows(step: TrainStep): HistoryRow[] {
    const s = this.#study.runs;
    const studyRun = s.ids[step === 'bridge' ? 'sft' : 'grpo'];
    return this.runs(step).map((r) => historyRow(r, s.details[r.id], s.events[r.id], studyRun));
  }

  /** The runs the address chooses that are runs of this step (at most two). */
  chosen(step: TrainStep): string[] {
    return validChoice(choiceFromQuery(this.#router.query), this.runs(step));
  }

  /** Ticks or unticks a run; the choice goes into the address without a history entry. */
  toggle(step: TrainStep, id: string): void {
    this.#router.replaceQuery(choiceQuery(toggleChoice(this.chosen(step), id)));
  }

  /** Back to the study's run. */
  clear(): void {
    this.#router.replaceQuery('');
  }

  /** The chosen pair in compare order (A started first), or null. */
  pair(step: TrainStep): { a: HistoryRow; b: HistoryRow } | null {
    return comparePair(this.chosen(step), this.rows(step));
  }

  comparison(a: string, b: string): PairedComparison | undefined {
    return this.comparisons[`${a}|${b}`];
  }

  /** Details and events of runs not loaded yet (each asked once; the study follows the running ones). */
  async load(ids: readonly string[]): Promise<void> {
    const runs = this.#study.runs;
    const missing = ids.filter((id) => !runs.details[id] && !this.#asked.has(id));
    for (const id of missing) this.#asked.add(id);
    await Promise.all(missing.map((id) => runs.loadRun(id)));
  }

  /** The paired comparison B − A on their shared validation items, once both runs are done. */
  async compare(a: string, b: string): Promise<void> {
    const key = `${a}|${b}`;
    if (this.comparisons[key] || this.#asked.has(key)) return;
    const s = this.#study.runs;
    if (s.details[a]?.state !== 'done' || s.details[b]?.state !== 'done') return;
    this.#asked.add(key);
    const r = await this.#client.call('runs:compare', { a, b });
    if (r.ok) {
      this.error = null;
      this.comparisons = { ...this.comparisons, [key]: r.value };
    } else {
      this.#asked.delete(key);
      this.error = r.error;
    }
  }

  dismissError(): void {
    this.error = null;
  }
}
