// Datasets as the Data step shows them: the list with counts, the import form and the import started from this
// window (its job's live progress comes from JobsState; its summary is loaded here when the job ends).
import type { DatasetSummary, Rejection } from '../../../../shared/api/datasets.ts';
import type { Job } from '../../../../shared/api/jobs.ts';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { coalesce } from '../format/coalesce.ts';
import { pathProblem, type SuggestedSource } from '../../../../shared/path-fit.ts';
import { buildImportSource, emptyImportForm, importPathChecks, type FieldErrors, type ImportFormValues, type SourceKind } from '../format/data.ts';
import { isActive } from '../format/jobs.ts';

export type DatasetDetail = DatasetSummary & { rejections: Rejection[]; quarantine: Rejection[]; warningList: Rejection[] };

/** Rejections loaded per dataset for the summary table (the host caps one answer at 100,000). */
export const REJECTIONS_LOADED = 5_000;
/** Confidence below which the auto-labeller answers `none`; the contract's default for modality:label. */
export const DEFAULT_LABEL_THRESHOLD = 0.6;

export interface DatasetsHooks {
  /** Hands a job returned by a call to the jobs state, so the panel shows it before its first event. */
  onJob(job: Job): void;
  /** The list was (re)loaded. */
  onList(list: readonly DatasetSummary[]): void;
  /** An import or a labelling job ended: items and counts elsewhere are stale. */
  onDataChanged(dataset: string): void;
}

export class DatasetsState {
  list = $state.raw<DatasetSummary[]>([]);
  loaded = $state(false);
  error = $state.raw<AppErrorShape | null>(null);
  /** Import summaries (with rejections and quarantine) by dataset id, loaded when asked for or when an import ends. */
  details = $state.raw<Readonly<Record<string, DatasetDetail>>>({});
  form = $state<ImportFormValues>(emptyImportForm());
  formErrors = $state.raw<FieldErrors<keyof ImportFormValues>>({});
  /** A source that reads what a path field holds ("this folder holds DICOM files"), offered at that field. */
  formSuggestion = $state.raw<{ field: keyof ImportFormValues; source: SuggestedSource } | null>(null);
  /** Paths being checked with the host (paths:inspect) before the import starts. */
  checking = $state(false);
  starting = $state(false);
  /** The import started from this window: its dataset and job, so its progress and then its summary are shown. */
  current = $state.raw<{ dataset: string; job: string } | null>(null);
  /** Auto-labelling jobs started from this window, by dataset id. */
  labelling = $state.raw<Readonly<Record<string, string>>>({});
  /** Which dataset's summary is open in the list (null = the current import's). */
  shown = $state<string | null>(null);
  ready = $derived(this.list.filter((d) => d.state === 'ready'));
  /** Datasets whose items can be browsed: ready ones and imports under way (a failed import has none). */
  browsable = $derived(this.list.filter((d) => d.state !== 'failed'));
  readonly refresh: () => Promise<void>;
  readonly #client: ApiClient;
  readonly #hooks: DatasetsHooks;

  constructor(client: ApiClient, hooks: DatasetsHooks) {
    this.#client = client;
    this.#hooks = hooks;
    this.refresh = coalesce(() => this.#load());
  }

  setSource(source: SourceKind, keepPath = false): void {
    // Paths and options of one source rarely fit another: start the form afresh, keeping the seed and name (and the
    // path when the switch was suggested for it).
    this.form = { ...emptyImportForm(source), seed: this.form.seed, name: this.form.name, ...(keepPath ? { path: this.form.path } : {}) };
    this.formErrors = {};
    this.formSuggestion = null;
  }

  /** Checks the form, then its paths with the host, then starts the import; false (with errors at the fields) otherwise. */
  async startImport(): Promise<boolean> {
    if (this.starting) return false;
    const built = buildImportSource(this.form);
    this.formSuggestion = null;
    if (!built.ok) {
      this.formErrors = built.errors;
      return false;
    }
    this.formErrors = {};
    this.starting = true;
    try {
      if (!(await this.#checkPaths(built.value))) return false;
      const r = await this.#client.call('datasets:import', built.value);
      if (!r.ok) {
        this.error = r.error;
        return false;
      }
      this.error = null;
      this.current = { dataset: r.value.dataset, job: r.value.job.id };
      this.shown = null;
      this.#hooks.onJob(r.value.job);
      void this.refresh();
      if (!isActive(r.value.job)) void this.loadDetail(r.value.dataset);
      return true;
    } finally {
      this.starting = false;
    }
  }

  /** Every path of the request inspected by the host: what is not there or not the right kind is refused at its field. */
  async #checkPaths(request: Parameters<typeof importPathChecks>[0]): Promise<boolean> {
    this.checking = true;
    try {
      const errors: FieldErrors<keyof ImportFormValues> = {};
      for (const check of importPathChecks(request)) {
        const r = await this.#client.call('paths:inspect', { path: check.path });
        if (!r.ok) {
          errors[check.field] = r.error.message;
          continue;
        }
        const problem = pathProblem(r.value, check.role);
        if (!problem) continue;
        errors[check.field] = problem.message;
        if (problem.suggest && !this.formSuggestion) this.formSuggestion = { field: check.field, source: problem.suggest };
      }
      this.formErrors = errors;
      return Object.keys(errors).length === 0;
    } finally {
      this.checking = false;
    }
  }

  /** Starts the modality auto-labeller (text rules → image classifier → none below the threshold) on one dataset. */
  async autoLabel(datasetId: string, threshold = DEFAULT_LABEL_THRESHOLD): Promise<void> {
    if (this.labelling[datasetId]) return;
    const r = await this.#client.call('modality:label', { datasetId, threshold });
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.error = null;
    this.labelling = { ...this.labelling, [datasetId]: r.value.id };
    this.#hooks.onJob(r.value);
  }

  /** The dataset whose deletion waits for a confirmation in its row, and one being deleted. */
  confirmingDelete = $state<string | null>(null);
  deleting = $state<string | null>(null);
  /** Why a dataset could not be deleted (e.g. a frozen version holds its items), shown in its row. */
  deleteErrors = $state.raw<Readonly<Record<string, AppErrorShape>>>({});

  askDelete(id: string | null): void {
    this.confirmingDelete = id;
    if (id) {
      const { [id]: _old, ...rest } = this.deleteErrors;
      this.deleteErrors = rest;
    }
  }

  /** Deletes a dataset no frozen version uses (the host refuses the others and says which version holds it). */
  async deleteDataset(id: string): Promise<boolean> {
    this.deleting = id;
    const r = await this.#client.call('datasets:delete', { id });
    this.deleting = null;
    this.confirmingDelete = null;
    if (!r.ok) {
      this.deleteErrors = { ...this.deleteErrors, [id]: r.error };
      return false;
    }
    if (this.shown === id) this.shown = null;
    const { [id]: _gone, ...details } = this.details;
    this.details = details;
    await this.refresh();
    this.#hooks.onDataChanged(id);
    return true;
  }

  /** A pushed job update: an import that moved refreshes the counts; one that ended loads its summary. */
  onJob(job: Job): void {
    if (job.kind === 'label-modality') {
      const entry = Object.entries(this.labelling).find(([, id]) => id === job.id);
      if (!entry || isActive(job)) return;
      const { [entry[0]]: _done, ...rest } = this.labelling;
      this.labelling = rest;
      void this.refresh();
      void this.loadDetail(entry[0]);
      this.#hooks.onDataChanged(entry[0]);
      return;
    }
    if (job.kind !== 'import') return;
    void this.refresh();
    if (isActive(job)) return;
    const fromResult = typeof job.result?.dataset === 'string' ? job.result.dataset : null;
    const dataset = fromResult ?? (this.current?.job === job.id ? this.current.dataset : this.list.find((d) => d.jobId === job.id)?.id);
    if (!dataset) return;
    void this.loadDetail(dataset);
    this.#hooks.onDataChanged(dataset);
  }

  show(id: string | null): void {
    this.shown = id;
    if (id && !this.details[id]) void this.loadDetail(id);
  }

  async loadDetail(id: string): Promise<void> {
    const r = await this.#client.call('datasets:get', { id, rejectionsLimit: REJECTIONS_LOADED });
    if (r.ok) this.details = { ...this.details, [id]: r.value };
    else this.error = r.error;
  }

  dismissError(): void {
    this.error = null;
  }

  async #load(): Promise<void> {
    const r = await this.#client.call('datasets:list', {});
    if (r.ok) {
      this.list = r.value;
      this.#hooks.onList(r.value);
    } else {
      this.error = r.error;
    }
    this.loaded = true;
  }
}
