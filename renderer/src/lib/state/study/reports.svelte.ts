// The Report step's records: the workspace's studies (studies:list, studies:create), the one chosen, its report
// versions (reports:list), generating a new version (reports:generate) and reviewing one (reports:comment, reports:sign).
import type { ReportVersion, GeneratedReport, StudySummary } from '../../../../../shared/api/reports.ts';
import type { Result } from '../../../../../shared/errors.ts';
import type { ApiClient } from '../../api/client.ts';
import type { StudyActivityState } from './activity.svelte.ts';

export class ReportsState {
  studies = $state.raw<StudySummary[]>([]);
  /** The study record chosen (null = a new study is being set up). */
  study = $state<string | null>(null);
  /** Report versions of the chosen study, newest first. */
  reports = $state.raw<ReportVersion[]>([]);
  generated = $state.raw<GeneratedReport | null>(null);
  generating = $state(false);
  reviewing = $state(false);
  readonly #client: ApiClient;
  readonly #activity: StudyActivityState;
  readonly #persist: () => void;

  constructor(client: ApiClient, activity: StudyActivityState, persist: () => void) {
    this.#client = client;
    this.#activity = activity;
    this.#persist = persist;
  }

  async refreshStudies(): Promise<void> {
    const r = await this.#client.call('studies:list', {});
    if (r.ok) this.studies = r.value;
    else this.#activity.error = r.error;
  }

  /** A new study: no record is chosen and nothing generated for the previous one is shown. */
  reset(): void {
    this.study = null;
    this.generated = null;
    this.reports = [];
  }

  /** Records a study of these runs; false if there are none, a report is being written, or the host refused. */
  async createStudy(name: string, intendedUse: string, runs: string[]): Promise<boolean> {
    if (runs.length === 0 || this.generating) return false;
    const r = await this.#client.call('studies:create', { name, runs, intendedUse });
    if (!r.ok) {
      this.#activity.error = r.error;
      return false;
    }
    this.#activity.error = null;
    this.study = r.value.id;
    this.generated = null;
    this.reports = [];
    this.#persist();
    await this.refreshStudies();
    return true;
  }

  selectStudy(id: string): void {
    this.study = id;
    this.generated = null;
    this.#persist();
    void this.refreshReports();
  }

  async generateReport(): Promise<void> {
    if (!this.study || this.generating) return;
    this.generating = true;
    try {
      const r = await this.#client.call('reports:generate', { study: this.study, pdf: true });
      if (!r.ok) {
        this.#activity.error = r.error;
        return;
      }
      this.#activity.error = null;
      this.generated = r.value;
      await Promise.all([this.refreshReports(), this.refreshStudies()]);
    } finally {
      this.generating = false;
    }
  }

  async refreshReports(): Promise<void> {
    if (!this.study) return;
    const r = await this.#client.call('reports:list', { study: this.study });
    if (r.ok) this.reports = r.value;
    else this.#activity.error = r.error;
  }

  async comment(report: string, author: string, text: string): Promise<boolean> {
    return this.#review(() => this.#client.call('reports:comment', { report, author, text }));
  }

  async sign(report: string, name: string, role: string, meaning: string): Promise<boolean> {
    return this.#review(() => this.#client.call('reports:sign', { report, name, role, meaning }));
  }

  async #review(run: () => Promise<Result<ReportVersion>>): Promise<boolean> {
    if (this.reviewing) return false;
    this.reviewing = true;
    try {
      const r = await run();
      if (!r.ok) {
        this.#activity.error = r.error;
        return false;
      }
      this.#activity.error = null;
      await this.refreshReports();
      return true;
    } finally {
      this.reviewing = false;
    }
  }
}
