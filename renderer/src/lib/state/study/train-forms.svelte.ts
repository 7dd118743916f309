// The Bridge and Sharpen configuration forms, Sharpen's algorithm and starting point, and the field errors of the last
// start. The support guard's K follows the recipe's K until the user types one of their own.
import type { TrainAlgorithm } from '../../../../../shared/api/training.ts';
import { DEFAULT_GUARD_K, defaultTrainForm, type TrainField, type TrainForm } from '../../format/study.ts';

export class TrainFormsState {
  bridgeForm = $state<TrainForm>(defaultTrainForm('sft'));
  sharpenForm = $state<TrainForm>(defaultTrainForm('grpo'));
  sharpenAlgorithm = $state<TrainAlgorithm>('grpo');
  /** 'sft' = start from the bridged model (default), 'base' = from the frozen pack. */
  sharpenInit = $state<'sft' | 'base'>('sft');
  formErrors = $state.raw<Partial<Record<TrainField, string>>>({});
  /** The guard K last put into the forms automatically; a K the user typed is never overwritten. */
  #autoGuardK = DEFAULT_GUARD_K;

  /** The support guard watches the K the recipe judged support at (informative for these tasks) unless the user chose one. */
  adoptGuardK(k: number): void {
    for (const form of [this.bridgeForm, this.sharpenForm]) if (form.passK === this.#autoGuardK) form.passK = k;
    this.#autoGuardK = k;
  }
}
