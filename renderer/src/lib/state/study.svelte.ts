// The guided study (Diagnose → Bridge → Sharpen → Report): which model, version and runs make it, their details,
// training events, paired comparisons, the stored recommendation, and the study/report records. Jobs report through
// `job-updated` events (onJob); run details are reloaded when their job moves. The chosen ids are kept in
// localStorage per workspace so a reload reopens the same study.
import type { ModelPackSummary } from '../../../../shared/api/models.ts';
import type { ReportVersion, GeneratedReport, StudySummary } from '../../../../shared/api/reports.ts';
import type { Job } from '../../../../shared/api/jobs.ts';
import type { RunDetail, RunItem, RunSplit, RunSummary, StoredRecommendation } from '../../../../shared/api/runs.ts';
import type { RunEvent, TrainAlgorithm } from '../../../../shared/api/training.ts';
import type { PairedComparison } from '../../../../shared/metrics/report-schema.ts';
import type { RecipeThresholds } from '../../../../shared/recipe/thresholds.ts';
import type { AppErrorShape, Result } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { pathProblem } from '../../../../shared/path-fit.ts';
import { coalesce } from '../format/coalesce.ts';
import { currentCopy, isActive } from '../format/jobs.ts';
import { answeringPacks, pooledProbeAccuracy, referenceFromProbe, visionPacks } from '../format/vision.ts';
import {
  adapterOf,
  buildTrainConfig,
  DEFAULT_GUARD_K,
  DEFAULT_THRESHOLDS,
  defaultTrainForm,
  isProbeReport,
  EMPTY_STUDY_RUNS,
  studyProbes,
  studyRunIds,
  type StudyRuns,
  type TrainField,
  type TrainForm,
} from '../format/study.ts';

export const STORAGE_KEY = 'medbridge.study.v1';
/** Items per page of the drill-down list. */
export const DRILL_PAGE = 12;

type Role = keyof StudyRuns;
type TrainStep = 'bridge' | 'sharpen';
/** Which picker a pack registration was started from: the diagnosis model or the vision-only pack probed beside it. */
export type RegistrationTarget = 'diagnosis' | 'vision';

interface Stored {
  model: string | null;
  version: string | null;
  /** The split picked on Diagnose (older stores have none: the study diagnosis's split is taken). */
  split: RunSplit | null;
  runs: StudyRuns;
  study: string | null;
  /** The vision-only pack probed beside the VLM (null = none) and its probe run. Not a study role: it is a reference. */
  visionModel: string | null;
  visionProbe: string | null;
}

function readStore(scope: string): Stored | null {
  try {
    const raw = globalThis.localStorage?.getItem(`${STORAGE_KEY}:${scope}`);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<Stored>;
    return {
      model: v.model ?? null,
      version: v.version ?? null,
      split: v.split ?? null,
      runs: { ...EMPTY_STUDY_RUNS, ...(v.runs ?? {}) },
      study: v.study ?? null,
      visionModel: v.visionModel ?? null,
      visionProbe: v.visionProbe ?? null,
    };
  } catch {
    return null;
  }
}

export class StudyState {
  models = $state.raw<ModelPackSummary[]>([]);
  modelsLoaded = $state(false);
  registering = $state(false);
  /** The register-model job being followed (its progress message is shown under the picker). */
  registration = $state.raw<Job | null>(null);
  registrationTarget = $state<RegistrationTarget>('diagnosis');
  /** Why the pack folder typed into one picker was refused before any job started (shown at that field). */
  packPathError = $state.raw<{ target: RegistrationTarget; message: string } | null>(null);
  runs = $state.raw<RunSummary[]>([]);
  runsLoaded = $state(false);
  model = $state<string | null>(null);
  version = $state<string | null>(null);
  split = $state<RunSplit>('val');
  /** Optional vision-only reference accuracy (e.g. a published specialist model) for the perception check. */
  referenceAccuracy = $state<number | null>(null);
  /** Optional vision-only pack (kind `vision`) probed beside the VLM when the diagnosis runs; null = none. */
  visionModel = $state<string | null>(null);
  /** That pack's probe run of the current diagnosis. */
  visionProbe = $state<string | null>(null);
  /** The VLM probe is being re-run with the vision pack's accuracy as its reference. */
  rechecking = $state(false);
  /** The runs that make this study, by role. */
  ids = $state<StudyRuns>({ ...EMPTY_STUDY_RUNS });
  details = $state.raw<Readonly<Record<string, RunDetail>>>({});
  events = $state.raw<Readonly<Record<string, RunEvent[]>>>({});
  comparisons = $state.raw<Readonly<Record<string, PairedComparison>>>({});
  starting = $state<Role | null>(null);
  error = $state.raw<AppErrorShape | null>(null);
  /** Recommendation knobs the user may change and re-apply. */
  /** null = automatic: the server judges support at the largest K whose chance level stays below the target. */
  recipeK = $state<number | null>(null);
  thresholds = $state<RecipeThresholds>({ ...DEFAULT_THRESHOLDS });
  recommending = $state(false);
  /** Training forms per step. */
  bridgeForm = $state<TrainForm>(defaultTrainForm('sft'));
  sharpenForm = $state<TrainForm>(defaultTrainForm('grpo'));
  /** The guard K last put into the forms automatically; a K the user typed is never overwritten. */
  #autoGuardK = DEFAULT_GUARD_K;
  sharpenAlgorithm = $state<TrainAlgorithm>('grpo');
  /** 'sft' = start from the bridged model (default), 'base' = from the frozen pack. */
  sharpenInit = $state<'sft' | 'base'>('sft');
  formErrors = $state.raw<Partial<Record<TrainField, string>>>({});
  /** Drill-down of the open diagnosis. */
  drill = $state.raw<{ run: string; total: number; offset: number; right: boolean | undefined; items: RunItem[] } | null>(null);
  drillOpen = $state.raw<RunItem | null>(null);
  drillImage = $state<string | null>(null);
  /** Study and report records. */
  studies = $state.raw<StudySummary[]>([]);
  study = $state<string | null>(null);
  reports = $state.raw<ReportVersion[]>([]);
  generated = $state.raw<GeneratedReport | null>(null);
  generating = $state(false);
  reviewing = $state(false);
  restored = $state(false);

  readonly refreshRuns: () => Promise<void>;
  readonly #client: ApiClient;
  readonly #onJob: (job: Job) => void;
  /** Job id → run id of the runs we follow. */
  readonly #jobs = new Map<string, string>();
  readonly #eventLoaders = new Map<string, () => Promise<void>>();
  /** register-model jobs pushed while a models:register call is in flight: the job's end can overtake the call's answer. */
  readonly #registrationEvents = new Map<string, Job>();
  #scope: string | null = null;

  constructor(client: ApiClient, onJob: (job: Job) => void) {
    this.#client = client;
    this.#onJob = onJob;
    this.refreshRuns = coalesce(() => this.#loadRuns());
  }

  // ---- derived views ---------------------------------------------------------------------------------------

  get modelSummary(): ModelPackSummary | undefined {
    return this.models.find((m) => m.id === this.model);
  }

  /** Packs that can answer questions (reference, vlm): the only ones a diagnosis can use. */
  get answerModels(): ModelPackSummary[] {
    return answeringPacks(this.models);
  }

  /** Vision-only packs (kind `vision`): probed beside the VLM, never diagnosed. */
  get visionModels(): ModelPackSummary[] {
    return visionPacks(this.models);
  }

  get visionDetail(): RunDetail | undefined {
    return this.visionProbe ? this.details[this.visionProbe] : undefined;
  }

  detail(role: Role): RunDetail | undefined {
    const id = this.ids[role];
    return id ? this.details[id] : undefined;
  }

  done(role: Role): boolean {
    return this.detail(role)?.state === 'done';
  }

  get doneMap(): Record<Role, boolean> {
    return {
      diagnosis: this.done('diagnosis'),
      probe: this.done('probe'),
      sft: this.done('sft'),
      sftDiagnosis: this.done('sftDiagnosis'),
      grpo: this.done('grpo'),
      grpoDiagnosis: this.done('grpoDiagnosis'),
    };
  }

  /** The base diagnosis's stored recommendation (the one whose thresholds the Diagnose step edits). */
  get recommendation(): StoredRecommendation | null {
    return this.detail('diagnosis')?.recommendation ?? null;
  }

  /** The newest diagnosis's recommendation: after sharpening, else after bridging, else the base. */
  get latestRecommendation(): { role: 'diagnosis' | 'sftDiagnosis' | 'grpoDiagnosis'; rec: StoredRecommendation } | null {
    for (const role of ['grpoDiagnosis', 'sftDiagnosis', 'diagnosis'] as const) {
      const rec = this.detail(role)?.recommendation;
      if (rec) return { role, rec };
    }
    return null;
  }

  comparison(a: string | null, b: string | null): PairedComparison | undefined {
    return a && b ? this.comparisons[`${a}|${b}`] : undefined;
  }

  // ---- loading and restoring -------------------------------------------------------------------------------

  /** Called with the workspace path once it is known: restores this workspace's study. */
  async restore(scope: string): Promise<void> {
    if (this.#scope === scope) return;
    this.#scope = scope;
    const stored = readStore(scope);
    await Promise.all([this.refreshModels(), this.refreshRuns(), this.refreshStudies()]);
    if (stored) {
      this.model = stored.model;
      this.version = stored.version;
      if (stored.split) this.split = stored.split;
      this.ids = stored.runs;
      this.study = stored.study;
      this.visionModel = stored.visionModel;
      this.visionProbe = stored.visionProbe;
    } else {
      await this.#reconstruct();
    }
    await Promise.all([...Object.values(this.ids), this.visionProbe].filter((id): id is string => id !== null).map((id) => this.loadRun(id)));
    // Drop ids this workspace does not know (e.g. a store from a workspace re-created at the same path).
    const ids = { ...this.ids };
    for (const k of Object.keys(ids) as Role[]) if (ids[k] && !this.details[ids[k] as string]) ids[k] = null;
    this.ids = ids;
    if (this.visionProbe && !this.details[this.visionProbe]) this.visionProbe = null;
    this.#pickDefaults();
    // Without a split of its own the picker starts on the study diagnosis's split, so it and the results agree.
    const baseSplit = this.detail('diagnosis')?.split;
    if (!stored?.split && (baseSplit === 'train' || baseSplit === 'val' || baseSplit === 'test' || baseSplit === 'all')) this.split = baseSplit;
    await this.#loadFollowUps();
    if (this.study) void this.refreshReports();
    this.restored = true;
    this.#save();
  }

  /** Without a stored study: the newest run of each role in this workspace. */
  async #reconstruct(): Promise<void> {
    const done = this.runs.filter((r) => r.state === 'done' || r.state === 'running' || r.state === 'interrupted' || r.state === 'cancelled');
    const ids: StudyRuns = { ...EMPTY_STUDY_RUNS };
    const sft = done.find((r) => r.kind === 'sft');
    // A sharpening run belongs to this study only if it came after the bridging run shown.
    const grpo = done.find((r) => (r.kind === 'grpo' || r.kind === 'grpo-care') && (!sft || r.createdAt >= sft.createdAt));
    ids.sft = sft?.id ?? null;
    ids.grpo = grpo?.id ?? null;
    for (const r of done.filter((x) => x.kind === 'diagnose').slice(0, 12)) {
      const d = await this.loadRun(r.id);
      const adapter = d ? adapterOf(d) : null;
      if (adapter === null && ids.diagnosis === null) ids.diagnosis = r.id;
      else if (adapter !== null && adapter === ids.sft && ids.sftDiagnosis === null) ids.sftDiagnosis = r.id;
      else if (adapter !== null && adapter === ids.grpo && ids.grpoDiagnosis === null) ids.grpoDiagnosis = r.id;
    }
    const base = this.runs.find((r) => r.id === ids.diagnosis);
    // The VLM's probe is of the diagnosed pack and version; a probe of a vision-only pack on that version stands beside it.
    const { probe, vision: visionRun } = studyProbes(done, base, new Set(this.visionModels.map((m) => m.id)));
    ids.probe = probe?.id ?? null;
    this.visionProbe = visionRun?.id ?? null;
    this.visionModel = visionRun?.pack ?? null;
    this.ids = ids;
    if (base) {
      this.model = base.pack;
      this.version = base.version;
    }
    this.study = this.studies[0]?.id ?? null;
  }

  /** The diagnosis model is always a pack that can answer (a vision pack is never the default); the vision pack is optional. */
  #pickDefaults(): void {
    const answer = this.answerModels;
    if (!this.model || !answer.some((m) => m.id === this.model)) this.model = answer[0]?.id ?? null;
    if (this.visionModel && !this.visionModels.some((m) => m.id === this.visionModel)) this.visionModel = null;
  }

  /** The newest frozen version is chosen until the user picks one. */
  syncVersions(ids: readonly string[]): void {
    if (!this.version || !ids.includes(this.version)) this.version = ids[0] ?? null;
  }

  #save(): void {
    if (!this.#scope) return;
    const v: Stored = { model: this.model, version: this.version, split: this.split, runs: this.ids, study: this.study, visionModel: this.visionModel, visionProbe: this.visionProbe };
    try {
      globalThis.localStorage?.setItem(`${STORAGE_KEY}:${this.#scope}`, JSON.stringify(v));
    } catch {
      // Private mode or a full quota: the study is still in the workspace; only the reopen shortcut is lost.
    }
  }

  async refreshModels(): Promise<void> {
    const r = await this.#client.call('models:list', {});
    if (r.ok) this.models = r.value;
    else this.error = r.error;
    this.modelsLoaded = true;
  }

  async #loadRuns(): Promise<void> {
    const r = await this.#client.call('runs:list', { limit: 200 });
    if (r.ok) this.runs = r.value;
    else this.error = r.error;
    this.runsLoaded = true;
  }

  async refreshStudies(): Promise<void> {
    const r = await this.#client.call('studies:list', {});
    if (r.ok) this.studies = r.value;
    else this.error = r.error;
  }

  async loadRun(id: string): Promise<RunDetail | undefined> {
    const r = await this.#client.call('runs:get', { id });
    if (!r.ok) return undefined;
    this.details = { ...this.details, [id]: r.value };
    if (id === this.ids.diagnosis && r.value.recommendation) this.#adoptGuardK(r.value.recommendation.recipe.k);
    if (r.value.jobId && r.value.state === 'running') this.#jobs.set(r.value.jobId, id);
    if (r.value.kind === 'sft' || r.value.kind === 'grpo' || r.value.kind === 'grpo-care') await this.#loader(id)();
    return r.value;
  }

  #loader(id: string): () => Promise<void> {
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
    return l;
  }

  /** Comparisons (before → after) whose two diagnoses are done. */
  async #loadFollowUps(): Promise<void> {
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
    else this.error = r.error;
  }

  /** A pushed job update: follow the runs we started (or restored). */
  onJob(job: Job): void {
    if (job.kind === 'register-model' || job.kind === 'convert-model') {
      this.#onRegistration(job);
      return;
    }
    let run = this.#jobs.get(job.id);
    // A job resumed from the Jobs panel or a job card (after a cancel or a crash) was not started here: find its run.
    if (!run && isActive(job)) {
      run = Object.values(this.details).find((d) => d.jobId === job.id)?.id;
      if (run) {
        this.#jobs.set(job.id, run);
        const d = this.details[run];
        if (d && d.state !== 'running') this.details = { ...this.details, [run]: { ...d, state: 'running' } };
      }
    }
    if (!run) return;
    const kind = this.details[run]?.kind;
    if (kind === 'sft' || kind === 'grpo' || kind === 'grpo-care') void this.#loader(run)();
    if (!isActive(job)) {
      this.#jobs.delete(job.id);
      void this.#finished(run);
    }
  }

  async #finished(run: string): Promise<void> {
    await this.loadRun(run);
    void this.refreshRuns();
    const role = (Object.keys(this.ids) as Role[]).find((k) => this.ids[k] === run);
    // The recommendation waits for the probe (its perception check reads the probe's accuracies); a failed or
    // cancelled probe does not block it.
    const probe = this.detail('probe');
    const probeSettled = probe !== undefined && probe.state !== 'running';
    // A probe finished after the recommendation was made (re-run with a new reference): the recommendation is made again
    // so its perception check reads that probe.
    const stale = role === 'probe' && this.done('probe') && this.recommendation !== null && this.recommendation.probeRun !== run;
    if ((role === 'diagnosis' || role === 'probe') && this.done('diagnosis') && probeSettled && (!this.recommendation || stale)) {
      await this.recommend();
    }
    // A trained model's diagnosis gets its own recommendation with the same K and thresholds: it says whether to
    // sharpen next (or stop).
    if ((role === 'sftDiagnosis' || role === 'grpoDiagnosis') && this.done(role) && !this.detail(role)?.recommendation) await this.recommend(run);
    await this.#loadFollowUps();
  }

  // ---- actions ----------------------------------------------------------------------------------------------

  dismissError(): void {
    this.error = null;
  }

  selectModel(id: string): void {
    this.model = id;
    this.#save();
  }

  selectVersion(id: string): void {
    this.version = id;
    this.#save();
  }

  selectSplit(split: RunSplit): void {
    this.split = split;
    this.#save();
  }

  /** The vision-only pack to probe beside the VLM at the next diagnosis; null = none. */
  selectVisionModel(id: string | null): void {
    this.visionModel = id && this.visionModels.some((m) => m.id === id) ? id : null;
    this.#save();
  }

  /** Starts the register-model job (files hashed in a worker, progress pushed as job updates); false if refused. */
  /** Registers a pack folder, or with no path the reference pack shipped with MedBridge (the host knows where it is). */
  async registerModel(path?: string, target: RegistrationTarget = 'diagnosis'): Promise<boolean> {
    this.packPathError = null;
    if (path !== undefined && !(await this.#checkPackPath(path, target))) return false;
    return this.#startRegistration(target, () => (path === undefined ? this.#client.call('models:register-reference', {}) : this.#client.call('models:register', { path })));
  }

  /** The host looks at the folder first (paths:inspect): a missing path or a folder of images is refused at the field. */
  async #checkPackPath(path: string, target: RegistrationTarget): Promise<boolean> {
    const r = await this.#client.call('paths:inspect', { path });
    const message = r.ok ? pathProblem(r.value, 'model-pack')?.message : r.error.message;
    if (message === undefined) return true;
    this.packPathError = { target, message };
    return false;
  }

  /** Starts a convert-model job (HF folder → pack, then registered; followed like a registration); false if refused. */
  async convertModel(source: string, out: string): Promise<boolean> {
    return this.#startRegistration('diagnosis', () => this.#client.call('models:convert', { source, out, dtype: 'fp32' }));
  }

  async #startRegistration(target: RegistrationTarget, start: () => Promise<Result<Job>>): Promise<boolean> {
    if (this.registering) return false;
    this.registering = true;
    this.registrationTarget = target;
    const r = await start();
    const pushed = r.ok ? this.#registrationEvents.get(r.value.id) : undefined;
    this.#registrationEvents.clear();
    if (!r.ok) {
      this.registering = false;
      this.error = r.error;
      return false;
    }
    this.error = null;
    // The job's `done` may have been pushed before this answer (then it was not yet known as ours): use the newer copy.
    const job = currentCopy(r.value, pushed);
    this.registration = job;
    this.#onJob(job);
    if (!isActive(job)) await this.#registrationEnded(job);
    return true;
  }

  /** A register-model job moved: follow ours; any that finished adds a pack to the list. */
  #onRegistration(job: Job): void {
    const ours = job.id === this.registration?.id;
    if (ours) this.registration = job;
    else if (this.registering) this.#registrationEvents.set(job.id, job);
    if (!isActive(job) && (ours || job.state === 'done')) void this.#registrationEnded(job);
  }

  async #registrationEnded(job: Job): Promise<void> {
    const ours = job.id === this.registration?.id;
    if (ours) this.registering = false;
    if (job.state === 'done') {
      await this.refreshModels();
      const packId = typeof job.result?.packId === 'string' ? job.result.packId : null;
      const pack = packId ? this.models.find((m) => m.id === packId) : undefined;
      // A vision-only pack can only be probed: it goes to the vision picker (when registered from there), never to the
      // diagnosis model.
      if (pack && pack.kind === 'vision') {
        if (ours && this.registrationTarget === 'vision') this.visionModel = pack.id;
      } else if (pack && (ours || !this.model)) {
        this.model = pack.id;
      }
      this.#pickDefaults();
      this.#save();
    } else if (ours && job.state === 'failed' && job.error) {
      this.error = job.error;
    }
  }

  #track(role: Role, run: string, job: Job): void {
    this.ids = { ...this.ids, [role]: run };
    this.#jobs.set(job.id, run);
    this.#onJob(job);
    this.#save();
  }

  /** Diagnosis of the base model on the chosen split, with the linear probe of its vision tower beside it. */
  async diagnose(): Promise<void> {
    if (!this.model || !this.version || this.starting) return;
    this.starting = 'diagnosis';
    try {
      const r = await this.#client.call('runs:diagnose', { model: this.model, version: this.version, split: this.split });
      if (!r.ok) {
        this.error = r.error;
        return;
      }
      this.error = null;
      // A new base diagnosis starts a new study: later runs belong to the previous one.
      this.ids = { ...EMPTY_STUDY_RUNS };
      this.visionProbe = null;
      this.study = null;
      this.generated = null;
      this.reports = [];
      this.drill = null;
      this.drillOpen = null;
      this.#track('diagnosis', r.value.run, r.value.job);
      await this.loadRun(r.value.run);
      const ref = this.referenceAccuracy;
      const p = await this.#client.call('runs:probe', { model: this.model, version: this.version, ...(ref !== null && Number.isFinite(ref) && ref >= 0 && ref <= 1 ? { referenceAccuracy: ref } : {}) });
      if (p.ok) {
        this.#track('probe', p.value.run, p.value.job);
        await this.loadRun(p.value.run);
      } else {
        this.error = p.error;
      }
      // The vision-only pack, probed on the same version beside the VLM's own tower.
      const visionRun = this.visionModel ? await this.#probeVision(this.visionModel, this.version) : null;
      void this.refreshRuns();
      // Fast jobs can finish before their events reach us.
      for (const id of [r.value.run, p.ok ? p.value.run : null, visionRun]) if (id && this.details[id]?.state === 'done') void this.#finished(id);
    } finally {
      this.starting = null;
    }
  }

  async #probeVision(model: string, version: string): Promise<string | null> {
    const v = await this.#client.call('runs:probe', { model, version });
    if (!v.ok) {
      this.error = v.error;
      return null;
    }
    this.visionProbe = v.value.run;
    this.#jobs.set(v.value.job.id, v.value.run);
    this.#onJob(v.value.job);
    this.#save();
    await this.loadRun(v.value.run);
    return v.value.run;
  }

  /** The vision pack's overall test accuracy (tasks pooled by test count), once its probe is done. */
  get visionPooled(): ReturnType<typeof pooledProbeAccuracy> {
    const d = this.visionDetail;
    return d?.state === 'done' && isProbeReport(d.metrics) ? pooledProbeAccuracy(d.metrics) : null;
  }

  /**
   * Uses the vision pack's probe as the reference vision-only accuracy: the perception check takes one number for every
   * task, so it is the pack's overall test accuracy (three decimals). The VLM's probe is run again with it (its
   * features are cached, so this is quick) and the recommendation is made again when that probe is done.
   */
  async useVisionReference(): Promise<void> {
    const pooled = this.visionPooled;
    // The probe that enters the recommendation is the diagnosed pack's, on the diagnosed version.
    const base = this.detail('diagnosis');
    if (!pooled || !base?.version || this.rechecking || this.starting) return;
    const ref = referenceFromProbe(pooled);
    this.referenceAccuracy = ref;
    this.rechecking = true;
    try {
      const p = await this.#client.call('runs:probe', { model: base.pack, version: base.version, referenceAccuracy: ref });
      if (!p.ok) {
        this.error = p.error;
        return;
      }
      this.error = null;
      this.#track('probe', p.value.run, p.value.job);
      await this.loadRun(p.value.run);
      void this.refreshRuns();
      if (this.details[p.value.run]?.state === 'done') void this.#finished(p.value.run);
    } finally {
      this.rechecking = false;
    }
  }

  /** Stores the recommendation again with the K and thresholds shown. */
  async recommend(run: string | null = this.ids.diagnosis): Promise<void> {
    if (!run || this.recommending) return;
    this.recommending = true;
    try {
      const r = await this.#client.call('runs:recommend', { run, ...(this.recipeK !== null ? { k: this.recipeK } : {}), thresholds: { ...this.thresholds } });
      if (!r.ok) {
        this.error = r.error;
        return;
      }
      this.error = null;
      const d = this.details[run];
      if (d) this.details = { ...this.details, [run]: { ...d, recommendation: r.value } };
      if (run === this.ids.diagnosis) this.#adoptGuardK(r.value.recipe.k);
    } finally {
      this.recommending = false;
    }
  }

  /** The support guard watches the K the recipe judged support at (informative for these tasks) unless the user chose one. */
  #adoptGuardK(k: number): void {
    for (const form of [this.bridgeForm, this.sharpenForm]) if (form.passK === this.#autoGuardK) form.passK = k;
    this.#autoGuardK = k;
  }

  resetThresholds(): void {
    this.recipeK = null;
    this.thresholds = { ...DEFAULT_THRESHOLDS };
  }

  async train(step: TrainStep): Promise<void> {
    if (!this.model || !this.version || this.starting) return;
    const algorithm: TrainAlgorithm = step === 'bridge' ? 'sft' : this.sharpenAlgorithm;
    const form = step === 'bridge' ? this.bridgeForm : this.sharpenForm;
    const built = buildTrainConfig(form, algorithm);
    if (!built.ok) {
      this.formErrors = built.errors;
      return;
    }
    this.formErrors = {};
    const role: Role = step === 'bridge' ? 'sft' : 'grpo';
    const init = step === 'sharpen' && this.sharpenInit === 'sft' && this.done('sft') ? (this.ids.sft ?? undefined) : undefined;
    this.starting = role;
    try {
      const r = await this.#client.call('training:start', {
        model: this.model,
        version: this.version,
        algorithm,
        ...(init ? { init } : {}),
        config: built.config as never,
        seed: built.seed,
      });
      if (!r.ok) {
        this.error = r.error;
        return;
      }
      this.error = null;
      const after: Role = step === 'bridge' ? 'sftDiagnosis' : 'grpoDiagnosis';
      this.ids = { ...this.ids, [after]: null, ...(step === 'bridge' ? { grpo: null, grpoDiagnosis: null } : {}) };
      this.#track(role, r.value.run, r.value.job);
      await this.loadRun(r.value.run);
      if (this.details[r.value.run]?.state === 'done') void this.#finished(r.value.run);
    } finally {
      this.starting = null;
    }
  }

  /** Diagnoses a trained run's adapter on the same split as the base diagnosis. */
  async diagnoseAdapter(step: TrainStep): Promise<void> {
    const trained = step === 'bridge' ? this.ids.sft : this.ids.grpo;
    const base = this.detail('diagnosis');
    if (!trained || !this.model || !this.version || this.starting) return;
    const role: Role = step === 'bridge' ? 'sftDiagnosis' : 'grpoDiagnosis';
    this.starting = role;
    try {
      const split = (base?.split as RunSplit | null | undefined) ?? this.split;
      const r = await this.#client.call('runs:diagnose', { model: this.model, version: this.version, split, adapter: trained });
      if (!r.ok) {
        this.error = r.error;
        return;
      }
      this.error = null;
      this.#track(role, r.value.run, r.value.job);
      await this.loadRun(r.value.run);
      if (this.details[r.value.run]?.state === 'done') void this.#finished(r.value.run);
    } finally {
      this.starting = null;
    }
  }

  // ---- drill-down ---------------------------------------------------------------------------------------------

  async loadItems(run: string, offset = 0, right: boolean | undefined = this.drill?.run === run ? this.drill.right : undefined): Promise<void> {
    const r = await this.#client.call('runs:items', { id: run, offset, limit: DRILL_PAGE, ...(right === undefined ? {} : { right }) });
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.drill = { run, total: r.value.total, offset, right, items: r.value.items };
  }

  async openItem(item: RunItem): Promise<void> {
    this.drillOpen = item;
    this.drillImage = null;
    if (!item.imageHash) return;
    const r = await this.#client.call('items:image', { hash: item.imageHash });
    if (r.ok && this.drillOpen?.item === item.item) this.drillImage = r.value.dataUrl;
  }

  closeItem(): void {
    this.drillOpen = null;
    this.drillImage = null;
  }

  // ---- study and report ----------------------------------------------------------------------------------------

  async createStudy(name: string, intendedUse: string, runs: string[] = studyRunIds(this.ids)): Promise<boolean> {
    if (runs.length === 0 || this.generating) return false;
    const r = await this.#client.call('studies:create', { name, runs, intendedUse });
    if (!r.ok) {
      this.error = r.error;
      return false;
    }
    this.error = null;
    this.study = r.value.id;
    this.generated = null;
    this.reports = [];
    this.#save();
    await this.refreshStudies();
    return true;
  }

  selectStudy(id: string): void {
    this.study = id;
    this.generated = null;
    this.#save();
    void this.refreshReports();
  }

  async generateReport(): Promise<void> {
    if (!this.study || this.generating) return;
    this.generating = true;
    try {
      const r = await this.#client.call('reports:generate', { study: this.study, pdf: true });
      if (!r.ok) {
        this.error = r.error;
        return;
      }
      this.error = null;
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
    else this.error = r.error;
  }

  async comment(report: string, author: string, text: string): Promise<boolean> {
    return this.#review(() => this.#client.call('reports:comment', { report, author, text }));
  }

  async sign(report: string, name: string, role: string, meaning: string): Promise<boolean> {
    return this.#review(() => this.#client.call('reports:sign', { report, name, role, meaning }));
  }

  async #review(run: () => Promise<{ ok: true; value: ReportVersion } | { ok: false; error: AppErrorShape }>): Promise<boolean> {
    if (this.reviewing) return false;
    this.reviewing = true;
    try {
      const r = await run();
      if (!r.ok) {
        this.error = r.error;
        return false;
      }
      this.error = null;
      await this.refreshReports();
      return true;
    } finally {
      this.reviewing = false;
    }
  }
}
