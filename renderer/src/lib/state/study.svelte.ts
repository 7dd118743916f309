// The guided study (Diagnose → Bridge → Sharpen → Report), composed of one state per concern (./study/): what it is
// about (selection), the packs and runs of the workspace, the study's runs and their details, the recommendation,
// the training forms and runs, pack registration, the drill-down, and the study/report records. This object wires
// them together, restores a workspace's study when its path is known (the chosen ids are kept in localStorage per
// workspace, so a reload reopens the same study), and routes pushed job updates to the state that follows them.
import type { Job } from '../../../../shared/api/jobs.ts';
import { trainStepOfKind } from '../../../../shared/training-algorithms.ts';
import type { ApiClient } from '../api/client.ts';
import { adapterOf, EMPTY_STUDY_RUNS, studyProbes, type StudyRuns } from '../format/study.ts';
import { StudyActivityState, type StudyRole } from './study/activity.svelte.ts';
import { DiagnosisState } from './study/diagnosis.svelte.ts';
import { DrillDownState } from './study/drill-down.svelte.ts';
import { ModelCatalogState } from './study/model-catalog.svelte.ts';
import { RecommendationState } from './study/recommendation.svelte.ts';
import { isRegistrationKind, RegistrationState } from './study/registration.svelte.ts';
import { ReportsState } from './study/reports.svelte.ts';
import { RunFollower } from './study/run-follower.ts';
import { RunListState } from './study/run-list.svelte.ts';
import { StudySelectionState } from './study/selection.svelte.ts';
import { readStoredStudy, writeStoredStudy } from './study/stored-study.ts';
import { StudyRunsState } from './study/study-runs.svelte.ts';
import { TrainFormsState } from './study/train-forms.svelte.ts';
import { TrainingState } from './study/training.svelte.ts';

export class StudyState {
  readonly activity = new StudyActivityState();
  readonly catalog: ModelCatalogState;
  readonly runList: RunListState;
  readonly selection: StudySelectionState;
  readonly runs: StudyRunsState;
  readonly forms = new TrainFormsState();
  readonly recommendation: RecommendationState;
  readonly diagnosis: DiagnosisState;
  readonly training: TrainingState;
  readonly registration: RegistrationState;
  readonly drill: DrillDownState;
  readonly reports: ReportsState;
  /** The workspace's study has been restored (or reconstructed from its runs). */
  restored = $state(false);
  readonly #follower: RunFollower;
  #scope: string | null = null;

  constructor(client: ApiClient, onJob: (job: Job) => void) {
    const activity = this.activity;
    const persist = () => this.#save();
    const onBaseRecipeK = (k: number) => this.forms.adoptGuardK(k);
    this.catalog = new ModelCatalogState(client, activity);
    this.runList = new RunListState(client, activity);
    this.selection = new StudySelectionState(this.catalog, persist);
    this.runs = new StudyRunsState(client, activity, { onJob, persist, onBaseRecipeK });
    this.recommendation = new RecommendationState(client, activity, this.runs, onBaseRecipeK);
    this.#follower = new RunFollower(this.runs, this.runList, this.recommendation);
    this.drill = new DrillDownState(client, activity);
    this.reports = new ReportsState(client, activity, persist);
    const shared = { activity, selection: this.selection, runs: this.runs, follower: this.#follower };
    this.diagnosis = new DiagnosisState(client, {
      ...shared,
      runList: this.runList,
      onNewStudy: () => {
        this.reports.reset();
        this.drill.reset();
      },
    });
    this.training = new TrainingState(client, { ...shared, forms: this.forms });
    this.registration = new RegistrationState(client, { activity, catalog: this.catalog, selection: this.selection, onJob, persist });
  }

  /** Bridge and Sharpen need a model, a version and a finished diagnosis of the base model. */
  get readyToTrain(): boolean {
    return !!this.selection.model && !!this.selection.version && this.runs.done('diagnosis');
  }

  /** A pushed job update: registrations go to the registration, run jobs to the study's runs. */
  onJob(job: Job): void {
    if (isRegistrationKind(job.kind)) this.registration.onJob(job);
    else this.#follower.onJob(job);
  }

  /** Called with the workspace path once it is known: restores this workspace's study. */
  async restore(scope: string): Promise<void> {
    if (this.#scope === scope) return;
    this.#scope = scope;
    const { selection, runs } = this;
    const stored = readStoredStudy(scope);
    await Promise.all([this.catalog.refresh(), this.runList.refresh(), this.reports.refreshStudies()]);
    if (stored) {
      selection.model = stored.model;
      selection.version = stored.version;
      if (stored.split) selection.split = stored.split;
      runs.ids = stored.runs;
      this.reports.study = stored.study;
      selection.visionModel = stored.visionModel;
      runs.visionProbe = stored.visionProbe;
    } else {
      await this.#reconstruct();
    }
    await Promise.all([...Object.values(runs.ids), runs.visionProbe].filter((id): id is string => id !== null).map((id) => runs.loadRun(id)));
    // Drop ids this workspace does not know (e.g. a store from a workspace re-created at the same path).
    const ids = { ...runs.ids };
    for (const k of Object.keys(ids) as StudyRole[]) if (ids[k] && !runs.details[ids[k] as string]) ids[k] = null;
    runs.ids = ids;
    if (runs.visionProbe && !runs.details[runs.visionProbe]) runs.visionProbe = null;
    selection.pickDefaults();
    // Without a split of its own the picker starts on the study diagnosis's split, so it and the results agree.
    const baseSplit = runs.detail('diagnosis')?.split;
    if (!stored?.split && (baseSplit === 'train' || baseSplit === 'val' || baseSplit === 'test' || baseSplit === 'all')) selection.split = baseSplit;
    await runs.loadFollowUps();
    if (this.reports.study) void this.reports.refreshReports();
    this.restored = true;
    this.#save();
  }

  /** Without a stored study: the newest run of each role in this workspace. */
  async #reconstruct(): Promise<void> {
    const { selection, runs } = this;
    const done = this.runList.runs.filter((r) => r.state === 'done' || r.state === 'running' || r.state === 'interrupted' || r.state === 'cancelled');
    const ids: StudyRuns = { ...EMPTY_STUDY_RUNS };
    const sft = done.find((r) => r.kind === 'sft');
    // A sharpening run belongs to this study only if it came after the bridging run shown.
    const grpo = done.find((r) => trainStepOfKind(r.kind) === 'sharpen' && (!sft || r.createdAt >= sft.createdAt));
    ids.sft = sft?.id ?? null;
    ids.grpo = grpo?.id ?? null;
    for (const r of done.filter((x) => x.kind === 'diagnose').slice(0, 12)) {
      const d = await runs.loadRun(r.id);
      const adapter = d ? adapterOf(d) : null;
      if (adapter === null && ids.diagnosis === null) ids.diagnosis = r.id;
      else if (adapter !== null && adapter === ids.sft && ids.sftDiagnosis === null) ids.sftDiagnosis = r.id;
      else if (adapter !== null && adapter === ids.grpo && ids.grpoDiagnosis === null) ids.grpoDiagnosis = r.id;
    }
    const base = this.runList.runs.find((r) => r.id === ids.diagnosis);
    // The VLM's probe is of the diagnosed pack and version; a probe of a vision-only pack on that version stands beside it.
    const { probe, vision: visionRun } = studyProbes(done, base, new Set(this.catalog.visionModels.map((m) => m.id)));
    ids.probe = probe?.id ?? null;
    runs.visionProbe = visionRun?.id ?? null;
    selection.visionModel = visionRun?.pack ?? null;
    runs.ids = ids;
    if (base) {
      selection.model = base.pack;
      selection.version = base.version;
    }
    this.reports.study = this.reports.studies[0]?.id ?? null;
  }

  #save(): void {
    if (!this.#scope) return;
    const { selection, runs } = this;
    writeStoredStudy(this.#scope, {
      model: selection.model,
      version: selection.version,
      split: selection.split,
      runs: runs.ids,
      study: this.reports.study,
      visionModel: selection.visionModel,
      visionProbe: runs.visionProbe,
    });
  }
}
