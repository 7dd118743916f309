import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSvelteRunes } from '../../../helpers/svelte-runes.ts';
import { DEFAULT_GUARD_K } from '../../../../renderer/src/lib/format/study.ts';

registerSvelteRunes();
const { TrainFormsState } = await import('../../../../renderer/src/lib/state/study/train-forms.svelte.ts');

test('the guard K follows the recipe’s K in both forms until the user types one', () => {
  const forms = new TrainFormsState();
  assert.equal(forms.bridgeForm.passK, DEFAULT_GUARD_K);
  forms.adoptGuardK(3);
  assert.deepEqual([forms.bridgeForm.passK, forms.sharpenForm.passK], [3, 3]);
  forms.sharpenForm.passK = 5;
  forms.adoptGuardK(4);
  assert.equal(forms.bridgeForm.passK, 4);
  assert.equal(forms.sharpenForm.passK, 5, 'the K the user typed stays');
});

test('the forms start with SFT for Bridge, GRPO from the bridged model for Sharpen, and no field errors', () => {
  const forms = new TrainFormsState();
  assert.equal(forms.sharpenAlgorithm, 'grpo');
  assert.equal(forms.sharpenInit, 'sft');
  assert.deepEqual(forms.formErrors, {});
  assert.notEqual(forms.bridgeForm.learningRate, forms.sharpenForm.learningRate);
});
