// The Diagnose step's runs: the diagnosis of the base model on the chosen split, the linear probe of its vision tower
// beside it (checked against an optional reference accuracy), and the probe of an optional vision-only pack.
import type { ApiClient } from '../../api/client.ts';
import { isProbeReport } from '../../format/study.ts';
import { pooledProbeAccuracy, referenceFromProbe } from '../../format/vision.ts';
import type { StudyActivityState } from './activity.svelte.ts';
import type { RunFollower } from './run-follower.ts';
import type { RunListState } from './run-list.svelte.ts';
import type { StudySelectionState } from './selection.svelte.ts';
import type { StudyRunsState } from './study-runs.svelte.ts';

export interface DiagnosisDeps {
  activity: StudyActivityState;
  selection: StudySelectionState;
  runs: StudyRunsState;
  runList: RunListState;
  follower: RunFollower;
  /** A new base diagnosis started: what belonged to the previous study (its record, reports, drill-down) is put away. */
  onNewStudy: () => void;
}

export class DiagnosisState {
  /** Optional vision-only reference accuracy (e.g. a published specialist model) for the perception check. */
  referenceAccuracy = $state<number | null>(null);
  /** The VLM probe is being re-run with the vision pack's accuracy as its reference. */
  rechecking = $state(false);
  readonly #client: ApiClient;
  readonly #deps: DiagnosisDeps;

  constructor(client: ApiClient, deps: DiagnosisDeps) {
    this.#client = client;
    this.#deps = deps;
  }

  /** The vision pack's overall test accuracy (tasks pooled by test count), once its probe is done. */
  get visionPooled(): ReturnType<typeof pooledProbeAccuracy> {
    const d = this.#deps.runs.visionDetail;
    return d?.state === 'done' && isProbeReport(d.metrics) ? pooledProbeAccuracy(d.metrics) : null;
  }

  /** Diagnosis of the base model on the chosen split, with the linear probe of its vision tower beside it. */
  async diagnose(): Promise<void> {
    const { activity, selection: sel, runs, runList, follower } = this.#deps;
    if (!sel.model || !sel.version || activity.starting) return;
    activity.starting = 'diagnosis';
    try {
      const r = await this.#client.call('runs:diagnose', { model: sel.model, version: sel.version, split: sel.split });
      if (!r.ok) {
        activity.error = r.error;
        return;
      }
      activity.error = null;
      // A new base diagnosis starts a new study: later runs belong to the previous one.
      runs.startNewStudy();
      this.#deps.onNewStudy();
      runs.track('diagnosis', r.value.run, r.value.job);
      await runs.loadRun(r.value.run);
      const ref = this.referenceAccuracy;
      const p = await this.#client.call('runs:probe', {
        model: sel.model,
        version: sel.version,
        ...(ref !== null && Number.isFinite(ref) && ref >= 0 && ref <= 1 ? { referenceAccuracy: ref } : {}),
      });
      if (p.ok) {
        runs.track('probe', p.value.run, p.value.job);
        await runs.loadRun(p.value.run);
      } else {
        activity.error = p.error;
      }
      // The vision-only pack, probed on the same version beside the VLM's own tower.
      const visionRun = sel.visionModel ? await this.#probeVision(sel.visionModel, sel.version) : null;
      void runList.refresh();
      // Fast jobs can finish before their events reach us.
      for (const id of [r.value.run, p.ok ? p.value.run : null, visionRun]) follower.finishIfDone(id);
    } finally {
      activity.starting = null;
    }
  }

  async #probeVision(model: string, version: string): Promise<string | null> {
    const { activity, runs } = this.#deps;
    const v = await this.#client.call('runs:probe', { model, version });
    if (!v.ok) {
      activity.error = v.error;
      return null;
    }
    runs.trackVisionProbe(v.value.run, v.value.job);
    await runs.loadRun(v.value.run);
    return v.value.run;
  }

  /**
   * Uses the vision pack's probe as the reference vision-only accuracy: the perception check takes one number for every
   * task, so it is the pack's overall test accuracy (three decimals). The VLM's probe is run again with it (its
   * features are cached, so this is quick) and the recommendation is made again when that probe is done.
   */
  async useVisionReference(): Promise<void> {
    const { activity, runs, runList, follower } = this.#deps;
    const pooled = this.visionPooled;
    // The probe that enters the recommendation is the diagnosed pack's, on the diagnosed version.
    const base = runs.detail('diagnosis');
    if (!pooled || !base?.version || this.rechecking || activity.starting) return;
    const ref = referenceFromProbe(pooled);
    this.referenceAccuracy = ref;
    this.rechecking = true;
    try {
      const p = await this.#client.call('runs:probe', { model: base.pack, version: base.version, referenceAccuracy: ref });
      if (!p.ok) {
        activity.error = p.error;
        return;
      }
      activity.error = null;
      runs.track('probe', p.value.run, p.value.job);
      await runs.loadRun(p.value.run);
      void runList.refresh();
      follower.finishIfDone(p.value.run);
    } finally {
      this.rechecking = false;
    }
  }
}
