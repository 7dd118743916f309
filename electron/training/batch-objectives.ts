// Batch losses chained through the adapter: forward each item, the loss's dL/dlogits, then
// adapter backward accumulating into one flat gradient. The trainer and the gradient checks
// both call these, so the checked code is the trained code.
import { MAX_OPTIONS, backwardItem, forwardItem, type Adapter, type AdapterWorkspace } from './adapter.ts';
import type { FloatArray } from './float-array.ts';
import { emptyGrpoTotals, grpoItemLoss, type GrpoConfig, type GrpoTotals } from './grpo-loss.ts';
import type { GrpoRollout } from './grpo-rollout.ts';
import { sftItemLoss } from './sft-loss.ts';
import { argmax } from './softmax.ts';
import { presentation, type TrainItem } from './train-item.ts';

export class ObjectiveScratch {
  readonly logits = new Float64Array(MAX_OPTIONS);
  readonly probs = new Float64Array(MAX_OPTIONS);
  readonly dLogits = new Float64Array(MAX_OPTIONS);
  constructor(readonly ws: AdapterWorkspace) {}
}

export interface SftTotals {
  /** Mean cross-entropy over the batch. */
  loss: number;
  /** Items whose greedy answer is correct. */
  hits: number;
}

/** Mean cross-entropy over `batch`; adds its gradient into `grad` when given. */
export function sftBatchLoss(policy: Adapter, batch: readonly TrainItem[], s: ObjectiveScratch, grad: FloatArray | null): SftTotals {
  const weight = 1 / batch.length;
  let loss = 0;
  let hits = 0;
  for (const item of batch) {
    const m = item.baseLogits.length;
    forwardItem(policy, item, s.ws, s.logits);
    loss += weight * sftItemLoss(s.logits, m, item.correct, policy.config.temperature, weight, s.probs, s.dLogits);
    if (argmax(s.probs, m) === item.correct) hits++;
    if (grad !== null) backwardItem(policy, item, s.ws, s.dLogits, grad);
  }
  return { loss, hits };
}

/**
 * GRPO surrogate (+ k3 KL) averaged over all N·G samples of `rollout`, each scored in the
 * presentation it was sampled from; adds its gradient into `grad` when given.
 */
export function grpoBatchLoss(
  policy: Adapter,
  batch: readonly TrainItem[],
  rollout: GrpoRollout,
  cfg: GrpoConfig,
  s: ObjectiveScratch,
  grad: FloatArray | null,
): GrpoTotals {
  const totals = emptyGrpoTotals();
  const G = cfg.groupSize;
  const weight = 1 / (batch.length * G);
  for (let b = 0; b < batch.length; b++) {
    const item = batch[b]!;
    rollout.offset = b * G;
    const presentations = rollout.presentationsOf(item, G);
    for (let k = 0; k < presentations; k++) {
      const shown = presentation(item, k);
      rollout.view = k;
      forwardItem(policy, shown, s.ws, s.logits);
      grpoItemLoss(s.logits, item.baseLogits.length, policy.config.temperature, rollout, cfg, weight, s.probs, s.dLogits, totals);
      if (grad !== null) backwardItem(policy, shown, s.ws, s.dLogits, grad);
    }
  }
  rollout.offset = 0;
  rollout.view = 0;
  return totals;
}
