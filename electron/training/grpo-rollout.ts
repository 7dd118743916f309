// The sampling half of a GRPO step: for each item, G answers from the old policy through the
// seeded RNG, their rewards (verifiable + format hook, + GRPO-CARE's consistency bonus), old and
// reference log-probabilities, and group-normalised advantages. Everything here is a constant
// of the surrogate that the inner iterations then optimise.
import type { Rng } from '../../shared/random.ts';
import { AdapterWorkspace, MAX_OPTIONS, forwardItem, type Adapter } from './adapter.ts';
import { groupAdvantages } from './grpo-advantages.ts';
import { applyConsistencyBonus, optionConsistency, type CareScratch, type GrpoCareConfig } from './grpo-care.ts';
import { answerReward, sampleGroup, type GrpoConfig, type GrpoGroup } from './grpo-loss.ts';
import { argmax, softmaxInto } from './softmax.ts';
import type { TrainItem } from './train-item.ts';

/** Per-sample buffers of one batch (item b's group at [b·G, (b+1)·G)), reused across steps. */
export class GrpoRollout implements GrpoGroup {
  answers = new Int32Array(0);
  oldLogProb = new Float64Array(0);
  refLogProb = new Float64Array(0);
  rewards = new Float64Array(0);
  advantages = new Float64Array(0);
  consistency = new Float64Array(0);
  hasReference = false;
  offset = 0;
  /** Samples in use. */
  count = 0;
  /** Items whose greedy answer under the old policy is correct. */
  hits = 0;
  /** Samples that received the CARE bonus. */
  bonuses = 0;
  rewardSum = 0;
  consistencySum = 0;

  ensure(n: number): void {
    this.count = n;
    if (this.answers.length >= n) return;
    this.answers = new Int32Array(n);
    this.oldLogProb = new Float64Array(n);
    this.refLogProb = new Float64Array(n);
    this.rewards = new Float64Array(n);
    this.advantages = new Float64Array(n);
    this.consistency = new Float64Array(n);
  }
}

/** Scratch for `collectRollout`. */
export class RolloutScratch {
  readonly logits = new Float64Array(MAX_OPTIONS);
  readonly probs = new Float64Array(MAX_OPTIONS);
  readonly optionScore = new Float64Array(MAX_OPTIONS);
  readonly care: CareScratch = {
    logits: new Float64Array(MAX_OPTIONS),
    probs: new Float64Array(MAX_OPTIONS),
    viewProbs: new Float64Array(MAX_OPTIONS),
    agreement: new Float64Array(MAX_OPTIONS),
  };
  constructor(readonly ws: AdapterWorkspace) {}
}

/**
 * Fills `out` for `batch`: samples from `old`, reference log-probs from `reference` (if any),
 * the CARE bonus when `care` is given (its consistency comes from `reference`), advantages.
 */
export function collectRollout(
  old: Adapter, reference: Adapter | null, batch: readonly TrainItem[], cfg: GrpoConfig,
  care: GrpoCareConfig | null, rng: Rng, s: RolloutScratch, out: GrpoRollout,
): GrpoRollout {
  const G = cfg.groupSize;
  const n = batch.length * G;
  const T = old.config.temperature;
  if (care !== null && reference === null) throw new RangeError('GRPO-CARE needs a reference policy');
  out.ensure(n);
  out.hasReference = reference !== null;
  out.hits = 0;
  out.bonuses = 0;
  out.rewardSum = 0;
  out.consistencySum = 0;
  for (let b = 0; b < batch.length; b++) {
    const item = batch[b]!;
    const m = item.baseLogits.length;
    if (!(item.correct >= 0 && item.correct < m)) throw new RangeError(`item ${b}: correct option ${item.correct} is outside 0..${m - 1}`);
    const off = b * G;
    forwardItem(old, item, s.ws, s.logits);
    const logZ = softmaxInto(s.logits, m, T, s.probs);
    if (argmax(s.probs, m) === item.correct) out.hits++;
    sampleGroup(s.probs, m, G, rng, out.answers, off);
    for (let i = off; i < off + G; i++) {
      const a = out.answers[i]!;
      out.oldLogProb[i] = s.logits[a]! / T - logZ;
      out.rewards[i] = answerReward(cfg, item, a);
    }
    if (reference !== null) {
      forwardItem(reference, item, s.ws, s.logits);
      const refLogZ = softmaxInto(s.logits, m, T, s.probs);
      for (let i = off; i < off + G; i++) out.refLogProb[i] = s.logits[out.answers[i]!]! / T - refLogZ;
    }
    if (care !== null && reference !== null) {
      optionConsistency(reference, item, care.agreement, s.ws, s.care, s.optionScore);
      for (let i = off; i < off + G; i++) {
        out.consistency[i] = s.optionScore[out.answers[i]!]!;
        out.consistencySum += out.consistency[i]!;
      }
      out.bonuses += applyConsistencyBonus(out.rewards, out.answers, out.consistency, item.correct, off, care);
    }
  }
  for (let i = 0; i < n; i++) out.rewardSum += out.rewards[i]!;
  groupAdvantages(out.rewards, n, G, cfg.advantageScale, out.advantages);
  return out;
}
