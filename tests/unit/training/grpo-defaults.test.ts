// The run-config schema and the trainer start from the same GRPO / GRPO-CARE defaults (shared/recipe/grpo-defaults.ts):
// an empty config parses to exactly the trainer's default knobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainConfig } from '../../../shared/api/training.ts';
import { DEFAULT_GRPO_CARE_CONFIG, DEFAULT_GRPO_CONFIG } from '../../../electron/training/index.ts';

test('an empty run config carries the trainer’s GRPO and GRPO-CARE defaults', () => {
  const c = TrainConfig.parse({});
  assert.deepEqual(
    {
      groupSize: c.grpo.groupSize,
      epsilonLow: c.grpo.epsilonLow,
      epsilonHigh: c.grpo.epsilonHigh,
      innerIterations: c.grpo.innerIterations,
      advantageScale: c.grpo.advantageScale,
    },
    { groupSize: 8, epsilonLow: 0.2, epsilonHigh: 0.28, innerIterations: 2, advantageScale: 'group' },
  );
  for (const key of ['groupSize', 'epsilonLow', 'epsilonHigh', 'innerIterations', 'advantageScale'] as const)
    assert.equal(c.grpo[key], DEFAULT_GRPO_CONFIG[key], key);
  // β is left to the trainer: 0.04 for GRPO, 0 for GRPO-CARE (its EMA reference replaces the KL penalty).
  assert.equal(c.grpo.beta, undefined);
  assert.equal(DEFAULT_GRPO_CONFIG.beta, 0.04);
  assert.equal(DEFAULT_GRPO_CARE_CONFIG.beta, 0);
  for (const key of ['emaDecay', 'emaInterval', 'consistencyBonus', 'consistencyMargin', 'agreement'] as const)
    assert.equal(c.care[key], DEFAULT_GRPO_CARE_CONFIG[key], key);
  assert.deepEqual([c.care.emaDecay, c.care.emaInterval, c.care.consistencyBonus, c.care.consistencyMargin], [0.995, 10, 0.5, 0]);
});
