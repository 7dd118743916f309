// The sampling half of a GRPO step: for each item, G answers from the old policy through the
// seeded RNG, their rewards (verifiable + format hook, + GRPO-CARE's consistency bonus), old and
// reference log-probabilities, and group-normalised advantages. Everything here is a constant
// of the surrogate that the inner iterations then optimise.
import type { Rng } from '../../shared/random.ts';
import { MAX_OPTIONS, forwardItem, type Adapter, type AdapterWorkspace } from './adapter.ts';
import { groupAdvantages } from './grpo-advantages.ts';
import { applyConsistencyBonus, checkViews, presentationAgreement, sampleConsistency, type GrpoCareConfig } from './grpo-care.ts';
import { answerReward, type GrpoConfig, type GrpoGroup } from './grpo-loss.ts';
import { argmax, sampleCategorical, softmaxInto } from './softmax.ts';
import { originalOption, presentation, presentationCount, type TrainItem } from './train-item.ts';

/** Per-sample buffers of one batch (item b's group at [b·G, (b+1)·G)), reused across steps. */
export class GrpoRollout implements GrpoGroup {
  /** Answer as an option index of the presentation it was sampled from. */
  answers = new Int32Array(0);
  /** The same answer mapped back to the item's original option order (rewards use this). */
  originalAnswers = new Int32Array(0);
  /** Presentation each sample came from; null when every sample used the original order. */
  viewOf: Int32Array | null = null;
  view = 0;
  oldLogProb = new Float64Array(0);
  refLogProb = new Float64Array(0);
  rewards = new Float64Array(0);
  advantages = new Float64Array(0);
  consistency = new Float64Array(0);
  hasReference = false;
  offset = 0;
  /** Samples in use. */
  count = 0;
  /** Items whose greedy answer (original order) under the old policy is correct. */
  hits = 0;
  /** Samples that received the CARE bonus. */
  bonuses = 0;
  rewardSum = 0;
  consistencySum = 0;
  private views = new Int32Array(0);

  ensure(n: number): void {
    this.count = n;
    if (this.answers.length >= n) return;
    this.answers = new Int32Array(n);
    this.originalAnswers = new Int32Array(n);
    this.views = new Int32Array(n);
    this.oldLogProb = new Float64Array(n);
    this.refLogProb = new Float64Array(n);
    this.rewards = new Float64Array(n);
    this.advantages = new Float64Array(n);
    this.consistency = new Float64Array(n);
  }

  /** Enables per-sample presentations (views buffer) or turns them off. */
  useViews(on: boolean): void {
    this.viewOf = on ? this.views : null;
    if (on) this.views.fill(0);
  }

  /** Presentations that hold samples of item b (1 when sampling used the original order only). */
  presentationsOf(item: TrainItem, groupSize: number): number {
    return this.viewOf === null ? 1 : Math.min(presentationCount(item), groupSize);
  }
}

/** Logits, log-normalisers and probabilities of up to `capacity` presentations of one item. */
class PresentationScores {
  logits = new Float64Array(0);
  probs = new Float64Array(0);
  logZ = new Float64Array(0);

  fill(adapter: Adapter, item: TrainItem, count: number, ws: AdapterWorkspace): void {
    if (this.logZ.length < count) {
      this.logits = new Float64Array(count * MAX_OPTIONS);
      this.probs = new Float64Array(count * MAX_OPTIONS);
      this.logZ = new Float64Array(count);
    }
    const m = item.baseLogits.length;
    const T = adapter.config.temperature;
    for (let k = 0; k < count; k++) {
      const lo = k * MAX_OPTIONS;
      const l = this.logits.subarray(lo, lo + m);
      forwardItem(adapter, presentation(item, k), ws, l);
      this.logZ[k] = softmaxInto(l, m, T, this.probs.subarray(lo, lo + m));
    }
  }

  logProb(k: number, j: number, temperature: number): number {
    return this.logits[k * MAX_OPTIONS + j]! / temperature - this.logZ[k]!;
  }
}

/** Scratch for `collectRollout`. */
export class RolloutScratch {
  readonly old = new PresentationScores();
  readonly ref = new PresentationScores();
  readonly agreement = new Float64Array(MAX_OPTIONS);
  constructor(readonly ws: AdapterWorkspace) {}
}

/**
 * Fills `out` for `batch`: samples from `old` (round-robin over presentations when CARE's
 * `sampleAcrossViews` is on and the item has views), reference log-probs from `reference` (if
 * any), the CARE consistency bonus when `care` is given (scored by `reference`), advantages.
 */
export function collectRollout(
  old: Adapter,
  reference: Adapter | null,
  batch: readonly TrainItem[],
  cfg: GrpoConfig,
  care: GrpoCareConfig | null,
  rng: Rng,
  s: RolloutScratch,
  out: GrpoRollout,
): GrpoRollout {
  const G = cfg.groupSize;
  const n = batch.length * G;
  const T = old.config.temperature;
  if (care !== null && reference === null) throw new RangeError('GRPO-CARE needs a reference policy');
  const acrossViews = care !== null && care.sampleAcrossViews && batch.some((it) => (it.views?.length ?? 0) > 0);
  out.ensure(n);
  out.useViews(acrossViews);
  out.hasReference = reference !== null;
  out.hits = 0;
  out.bonuses = 0;
  out.rewardSum = 0;
  out.consistencySum = 0;
  for (let b = 0; b < batch.length; b++) {
    const item = batch[b]!;
    const m = item.baseLogits.length;
    if (!(item.correct >= 0 && item.correct < m)) throw new RangeError(`item ${b}: correct option ${item.correct} is outside 0..${m - 1}`);
    checkViews(item);
    const off = b * G;
    const P = out.presentationsOf(item, G);
    s.old.fill(old, item, P, s.ws);
    if (argmax(s.old.probs, m) === item.correct) out.hits++;
    for (let i = 0; i < G; i++) {
      const k = i % P;
      const a = sampleCategorical(s.old.probs, m, rng, k * MAX_OPTIONS);
      const o = originalOption(item, k, a);
      out.answers[off + i] = a;
      out.originalAnswers[off + i] = o;
      if (out.viewOf !== null) out.viewOf[off + i] = k;
      out.oldLogProb[off + i] = s.old.logProb(k, a, T);
      out.rewards[off + i] = answerReward(cfg, item, o);
    }
    if (reference === null) continue;
    // CARE scores agreement over every presentation, not only the sampled ones.
    const Pref = care !== null ? presentationCount(item) : P;
    s.ref.fill(reference, item, Pref, s.ws);
    for (let i = 0; i < G; i++) out.refLogProb[off + i] = s.ref.logProb(i % P, out.answers[off + i]!, T);
    if (care === null) continue;
    const hasViews = Pref > 1;
    presentationAgreement(item, s.ref.probs, MAX_OPTIONS, Pref, care.agreement, s.agreement);
    for (let i = 0; i < G; i++) {
      const k = i % P;
      const c = sampleConsistency(s.ref.probs[k * MAX_OPTIONS + out.answers[off + i]!]!, s.agreement[out.originalAnswers[off + i]!]!, hasViews);
      out.consistency[off + i] = c;
      out.consistencySum += c;
    }
    out.bonuses += applyConsistencyBonus(out.rewards, out.originalAnswers, out.consistency, item.correct, off, care);
  }
  for (let i = 0; i < n; i++) out.rewardSum += out.rewards[i]!;
  groupAdvantages(out.rewards, n, G, cfg.advantageScale, out.advantages);
  return out;
}
