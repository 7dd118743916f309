// The Diagnose step's selection (model, version, split, K) bound to the address, and the stored diagnosis that answers
// it. The pickers write the selection into the route's query (no history entry), an address with a query sets the
// pickers once the study and the versions are loaded, and the step shows the numbers of `shown` only: a run computed on
// exactly that selection, or nothing.
import type { RunSummary } from '../../../../shared/api/runs.ts';
import { diagnosisForSelection, selectionFromQuery, selectionQuery, type DiagnoseSelection } from '../format/diagnose-selection.ts';
import type { RouterState } from './router.svelte.ts';
import type { StudyState } from './study.svelte.ts';

export class DiagnoseSelectionState {
  /** The K of the headline Pass@K the user chose; null = the recipe's K. */
  k = $state<number | null>(null);
  readonly #study: StudyState;
  readonly #router: RouterState;
  /** The last query this state read or wrote, so an address is adopted once, not again after each write. */
  #seen: string | null = null;

  constructor(study: StudyState, router: RouterState) {
    this.#study = study;
    this.#router = router;
  }

  get selection(): DiagnoseSelection {
    const { model, version, split } = this.#study.selection;
    return { model, version, split, k: this.k };
  }

  /** The stored diagnosis computed on exactly this selection (the study's own first), or null. */
  get shown(): RunSummary | null {
    const studyRuns = this.#study.runs;
    const list = this.#study.runList.runs;
    const base = studyRuns.detail('diagnosis');
    const runs = base && !list.some((r) => r.id === base.id) ? [base, ...list] : list;
    const found = diagnosisForSelection(runs, this.selection, studyRuns.ids.diagnosis);
    // The details hold the freshest state of a followed run (the list is reloaded only when a job ends).
    return found ? (studyRuns.details[found.id] ?? found) : null;
  }

  /**
   * Sets the pickers from the address's query (when it has one the page has not seen yet). Call once the study is
   * restored and the versions are listed: values that name no known pack or version are ignored.
   */
  adoptAddress(versionIds: readonly string[]): void {
    const query = this.#router.query;
    if (query === this.#seen) return;
    this.#seen = query;
    if (!query) return;
    const want = selectionFromQuery(query);
    const selection = this.#study.selection;
    if (want.model && this.#study.catalog.answerModels.some((m) => m.id === want.model)) selection.selectModel(want.model);
    if (want.version && versionIds.includes(want.version)) selection.selectVersion(want.version);
    if (want.split) selection.selectSplit(want.split);
    this.k = want.k ?? null;
  }

  /** Writes the pickers into the address (after the user changed one). */
  write(): void {
    const query = selectionQuery(this.selection);
    this.#seen = query;
    this.#router.replaceQuery(query);
  }
}
