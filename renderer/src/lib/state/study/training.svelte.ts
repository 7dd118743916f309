// The Bridge (SFT) and Sharpen (GRPO / GRPO-CARE) runs: starting a training run from the step's form, and diagnosing
// the trained adapter on the same split as the base diagnosis.
import type { RunSplit } from '../../../../../shared/api/runs.ts';
import type { TrainAlgorithm } from '../../../../../shared/api/training.ts';
import type { ApiClient } from '../../api/client.ts';
import type { TrainStep } from '../../format/run-history.ts';
import { buildTrainConfig } from '../../format/study.ts';
import type { StudyActivityState, StudyRole } from './activity.svelte.ts';
import type { RunFollower } from './run-follower.ts';
import type { StudySelectionState } from './selection.svelte.ts';
import type { StudyRunsState } from './study-runs.svelte.ts';
import type { TrainFormsState } from './train-forms.svelte.ts';

export interface TrainingDeps {
  activity: StudyActivityState;
  selection: StudySelectionState;
  runs: StudyRunsState;
  forms: TrainFormsState;
  follower: RunFollower;
}

export class TrainingState {
  readonly #client: ApiClient;
  readonly #deps: TrainingDeps;

  constructor(client: ApiClient, deps: TrainingDeps) {
    this.#client = client;
    this.#deps = deps;
  }

  async train(step: TrainStep): Promise<void> {
    const { activity, selection: sel, runs, forms, follower } = this.#deps;
    if (!sel.model || !sel.version || activity.starting) return;
    const algorithm: TrainAlgorithm = step === 'bridge' ? 'sft' : forms.sharpenAlgorithm;
    const form = step === 'bridge' ? forms.bridgeForm : forms.sharpenForm;
    const built = buildTrainConfig(form, algorithm);
    if (!built.ok) {
      forms.formErrors = built.errors;
      return;
    }
    forms.formErrors = {};
    const role: StudyRole = step === 'bridge' ? 'sft' : 'grpo';
    const init = step === 'sharpen' && forms.sharpenInit === 'sft' && runs.done('sft') ? (runs.ids.sft ?? undefined) : undefined;
    activity.starting = role;
    try {
      const r = await this.#client.call('training:start', {
        model: sel.model,
        version: sel.version,
        algorithm,
        ...(init ? { init } : {}),
        config: built.config as never,
        seed: built.seed,
      });
      if (!r.ok) {
        activity.error = r.error;
        return;
      }
      activity.error = null;
      // The trained model's diagnosis is of the previous run; a new bridging run also ends the sharpening after it.
      const after: StudyRole = step === 'bridge' ? 'sftDiagnosis' : 'grpoDiagnosis';
      runs.ids = { ...runs.ids, [after]: null, ...(step === 'bridge' ? { grpo: null, grpoDiagnosis: null } : {}) };
      runs.track(role, r.value.run, r.value.job);
      await runs.loadRun(r.value.run);
      follower.finishIfDone(r.value.run);
    } finally {
      activity.starting = null;
    }
  }

  /** Diagnoses a trained run's adapter on the same split as the base diagnosis. */
  async diagnoseAdapter(step: TrainStep): Promise<void> {
    const { activity, selection: sel, runs, follower } = this.#deps;
    const trained = step === 'bridge' ? runs.ids.sft : runs.ids.grpo;
    const base = runs.detail('diagnosis');
    if (!trained || !sel.model || !sel.version || activity.starting) return;
    const role: StudyRole = step === 'bridge' ? 'sftDiagnosis' : 'grpoDiagnosis';
    activity.starting = role;
    try {
      const split = (base?.split as RunSplit | null | undefined) ?? sel.split;
      const r = await this.#client.call('runs:diagnose', { model: sel.model, version: sel.version, split, adapter: trained });
      if (!r.ok) {
        activity.error = r.error;
        return;
      }
      activity.error = null;
      runs.track(role, r.value.run, r.value.job);
      await runs.loadRun(r.value.run);
      follower.finishIfDone(r.value.run);
    } finally {
      activity.starting = null;
    }
  }
}
