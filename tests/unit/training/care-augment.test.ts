// GRPO-CARE on augmented presentations (electron/training/image-augment.ts): the augmentation by hand, and the reason
// it exists — on presentations that differ only in option order, a model that ignores order gives every correct
// sample the same consistency, so the bonus is uniform and group normalisation cancels it; on a presentation whose
// features differ (as an augmented image's do), two correct samples of one item get different bonuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AdapterWorkspace,
  DEFAULT_GRPO_CARE_CONFIG,
  GrpoRollout,
  RolloutScratch,
  collectRollout,
  createAdapter,
  type TrainItem,
} from '../../../electron/training/index.ts';
import { applyAugment, drawAugment } from '../../../electron/training/image-augment.ts';
import { createRng } from '../../../shared/random.ts';
import { randomize } from './synthetic-task.ts';

test('applyAugment: crop, flip and grey-level change, computed by hand', () => {
  // 4 × 2 grey image 0..7; keep 0.5 → 2 × 1; left 1 → columns 2..3; top 0 → row 0; flipped → [3, 2]; 2v + 1 → [7, 5]
  const image = { width: 4, height: 2, channels: 1 as const, data: Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7]) };
  const out = applyAugment(image, { flip: true, keep: 0.5, left: 1, top: 0, gain: 2, bias: 1 });
  assert.deepEqual([out.width, out.height, out.channels, [...out.data]], [2, 1, 1, [7, 5]]);
  // RGB, no crop, no flip: clamped at 0 and 255
  const rgb = { width: 1, height: 1, channels: 3 as const, data: Uint8Array.from([10, 128, 250]) };
  assert.deepEqual([...applyAugment(rgb, { flip: false, keep: 1, left: 0, top: 0, gain: 1.1, bias: -20 }).data], [0, 121, 255]);
});

test('drawAugment: seeded, within its ranges, flips on odd presentations', () => {
  const a = drawAugment(createRng(5), 1);
  assert.deepEqual(a, drawAugment(createRng(5), 1));
  assert.equal(a.flip, true);
  assert.equal(drawAugment(createRng(5), 2).flip, false);
  for (let s = 0; s < 50; s++) {
    const d = drawAugment(createRng(s), 0);
    assert.ok(d.keep >= 0.85 && d.keep <= 0.95 && d.gain >= 0.9 && d.gain <= 1.1 && Math.abs(d.bias) <= 8 && d.left >= 0 && d.left <= 1);
  }
});

function rollout(view: TrainItem['views']) {
  const a = createAdapter({ imageDim: 4, textDim: 3, rank: 2 }, 3, 'float64');
  randomize(a.params, 4, 0.1);
  const item: TrainItem = {
    baseLogits: Float64Array.from([2, -1]),
    image: Float64Array.from([1, -1, 0.5, 2]),
    optionText: Float64Array.from({ length: 6 }, (_, i) => Math.cos(i)),
    correct: 0,
    views: view,
  };
  const cfg = { ...DEFAULT_GRPO_CARE_CONFIG, groupSize: 8 };
  return collectRollout(a, a, [item], cfg, cfg, createRng(1), new RolloutScratch(new AdapterWorkspace(a.config)), new GrpoRollout());
}

function correctRewards(r: GrpoRollout): number[] {
  return Array.from({ length: 8 }, (_, i) => i)
    .filter((i) => r.originalAnswers[i] === 0)
    .map((i) => r.rewards[i]!);
}

test('two correct samples of one item get different consistency bonuses when the presentations differ in their features', () => {
  // the view shows the same options (identity order) on a different picture: other base logits and image features
  const augmented = rollout([
    {
      baseLogits: Float64Array.from([0.2, 0.1]),
      image: Float64Array.from([0.2, 0.4, -1, 1]),
      optionText: Float64Array.from({ length: 6 }, (_, i) => Math.cos(i)),
      originalIndex: [0, 1],
    },
  ]);
  const rewards = correctRewards(augmented);
  assert.ok(rewards.length >= 2, `${rewards.length} correct samples`);
  assert.ok(new Set(rewards).size === 2, `rewards of correct samples: ${rewards.join(', ')} (some with the bonus, some without)`);
  const byView = [0, 1].map(
    (k) =>
      new Set(
        Array.from({ length: 8 }, (_, i) => i)
          .filter((i) => augmented.viewOf![i] === k && augmented.originalAnswers[i] === 0)
          .map((i) => augmented.consistency[i]),
      ),
  );
  assert.ok(byView.every((s) => s.size === 1) && [...byView[0]!][0] !== [...byView[1]!][0], 'consistency is per presentation and differs between them');

  // a presentation with the same features (what an option permutation is to a model that ignores order): every
  // correct sample gets the same consistency and the same bonus
  const same = rollout([
    {
      baseLogits: Float64Array.from([2, -1]),
      image: Float64Array.from([1, -1, 0.5, 2]),
      optionText: Float64Array.from({ length: 6 }, (_, i) => Math.cos(i)),
      originalIndex: [0, 1],
    },
  ]);
  assert.equal(new Set(correctRewards(same)).size, 1);
  assert.equal(correctRewards(same)[0], 1 + DEFAULT_GRPO_CARE_CONFIG.consistencyBonus);
});
