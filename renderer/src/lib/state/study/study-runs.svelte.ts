// The runs that make the study, by role (diagnosis, probe, sft, …), and what is loaded about them: each run's detail
// (runs:get), a training run's events (runs:events, fetched incrementally), and the paired before → after comparisons
// (runs:compare). Also which job belongs to which run, so pushed job updates can be routed to their run.
import { IN_APP_TRAINING_KINDS } from '../../../../../shared/run-kinds.ts';
import type { Job } from '../../../../../shared/api/jobs.ts';
import type { RunDetail } from '../../../../../shared/api/runs.ts';
import type { RunEvent } from '../../../../../shared/api/training.ts';
import type { PairedComparison } from '../../../../../shared/metrics/report-schema.ts';
import type { ApiClient } from '../../api/client.ts';
import { coalesce } from '../../format/coalesce.ts';
import { isActive } from '../../format/jobs.ts';
import { EMPTY_STUDY_RUNS, type StudyRuns } from '../../format/study.ts';
import type { StudyActivityState, StudyRole } from './activity.svelte.ts';

export interface StudyRunsHooks {
  /** A job this state started following (the jobs list shows it at once). */
  onJob(job: Job): void;
  /** The study's runs changed: store them. */
  persist(): void;
  /** The base diagnosis's stored recommendation was loaded: its recipe K. */
  onBaseRecipeK(k: number): void;
}

/** Run kinds that write training events. */
export function isTrainingKind(kind: string | undefined): boolean {
  return kind !== undefined && IN_APP_TRAINING_KINDS.has(kind);
}

export class StudyRunsState {
  /** The runs that make this study, by role. */
  ids = $state<StudyRuns>({ ...EMPTY_STUDY_RUNS });
  /** The vision-only pack's probe run of the current diagnosis (a reference, not a study role). */
  visionProbe = $state<string | null>(null);
  details = $state.raw<Readonly<Record<string, RunDetail>>>({});
  events = $state.raw<Readonly<Record<string, RunEvent[]>>>({});
  comparisons = $state.raw<Readonly<Record<string, PairedComparison>>>({});
  readonly #client: ApiClient;
  readonly #activity: StudyActivityState;
  readonly #hooks: StudyRunsHooks;
  /** Job id → run id of the runs we follow. */
  readonly #jobs = new Map<string, string>();
  readonly #eventLoaders = new Map<string, () => Promise<void>>();

  constructor(client: ApiClient, activity: StudyActivityState, hooks: StudyRunsHooks) {
    this.#client = client;
    this.#activity = activity;
    this.#hooks = hooks;
  }

  detail(role: StudyRole): RunDetail | undefined {
    const id = this.ids[role];
    return id ? this.details[id] : undefined;
  }

  done(role: StudyRole): boolean {
    return this.detail(role)?.state === 'done';
  }

  get doneMap(): Record<StudyRole, boolean> {
    return {
      diagnosis: this.done('diagnosis'),
      probe: this.done('probe'),
      sft: this.done('sft'),
      sftDiagnosis: this.done('sftDiagnosis'),
      grpo: this.done('grpo'),
      grpoDiagnosis: this.done('grpoDiagnosis'),
    };
  }

  get visionDetail(): RunDetail | undefined {
    return this.visionProbe ? this.details[this.visionProbe] : undefined;
  }

  /** The role this run has in the study, if any. */
  roleOf(run: string): StudyRole | undefined {
    return (Object.keys(this.ids) as StudyRole[]).find((k) => this.ids[k] === run);
  }

  comparison(a: string | null, b: string | null): PairedComparison | undefined {
    return a && b ? this.comparisons[`${a}|${b}`] : undefined;
  }

  /** A new base diagnosis starts a new study: later runs belong to the previous one. */
  startNewStudy(): void {
    this.ids = { ...EMPTY_STUDY_RUNS };
    this.visionProbe = null;
  }

  /** A run just started for this role: it joins the study and its job is followed. */
  track(role: StudyRole, run: string, job: Job): void {
    this.ids = { ...this.ids, [role]: run };
    this.#jobs.set(job.id, run);
    this.#hooks.onJob(job);
    this.#hooks.persist();
  }

  /** The vision-only pack's probe just started: it stands beside the study and its job is followed. */
  trackVisionProbe(run: string, job: Job): void {
    this.visionProbe = run;
    this.#jobs.set(job.id, run);
    this.#hooks.onJob(job);
    this.#hooks.persist();
  }

  /**
   * The run a pushed job update is about, or undefined. A job resumed from the Jobs panel or a job card (after a
   * cancel or a crash) was not started here: its run is found among the loaded details and shown running again.
   */
  runOfJob(job: Job): string | undefined {
    let run = this.#jobs.get(job.id);
    if (!run && isActive(job)) {
      run = Object.values(this.details).find((d) => d.jobId === job.id)?.id;
      if (run) {
        this.#jobs.set(job.id, run);
        const d = this.details[run];
        if (d && d.state !== 'running') this.details = { ...this.details, [run]: { ...d, state: 'running' } };
      }
    }
    return run;
  }

  /** The job ended: its updates are no longer routed to a run. */
  unfollow(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  async loadRun(id: string): Promise<RunDetail | undefined> {
    const r = await this.#client.call('runs:get', { id });
    if (!r.ok) return undefined;
    this.details = { ...this.details, [id]: r.value };
    if (id === this.ids.diagnosis && r.value.recommendation) this.#hooks.onBaseRecipeK(r.value.recommendation.recipe.k);
    if (r.value.jobId && r.value.state === 'running') this.#jobs.set(r.value.jobId, id);
    if (isTrainingKind(r.value.kind)) await this.loadEvents(id);
    return r.value;
  }

  /** Fetches a training run's events after the last one held (concurrent calls for one run fold into one more). */
  loadEvents(id: string): Promise<void> {
    let l = this.#eventLoaders.get(id);
    if (!l) {
      l = coalesce(async () => {
        const have = this.events[id] ?? [];
        const after = have.length > 0 ? (have[have.length - 1] as RunEvent).seq : 0;
        const r = await this.#client.call('runs:events', { id, afterSeq: after });
        if (r.ok && r.value.length > 0) this.events = { ...this.events, [id]: [...(this.events[id] ?? []), ...r.value] };
      });
      this.#eventLoaders.set(id, l);
    }
    return l();
  }

  /** Comparisons (before → after) whose two diagnoses are done. */
  async loadFollowUps(): Promise<void> {
    const pairs: [string | null, string | null][] = [
      [this.ids.diagnosis, this.ids.sftDiagnosis],
      [this.ids.sftDiagnosis ?? this.ids.diagnosis, this.ids.grpoDiagnosis],
    ];
    await Promise.all(pairs.map(([a, b]) => this.#compare(a, b)));
  }

  async #compare(a: string | null, b: string | null): Promise<void> {
    if (!a || !b || this.comparison(a, b)) return;
    if (this.details[a]?.state !== 'done' || this.details[b]?.state !== 'done') return;
    const r = await this.#client.call('runs:compare', { a, b });
    if (r.ok) this.comparisons = { ...this.comparisons, [`${a}|${b}`]: r.value };
    else this.#activity.error = r.error;
  }
}
