// Bridge-then-sharpen rule (design.md §1): perception first, then support, then the Acc@1–Pass@K gap.
import type { Interval } from '../metrics/wilson.ts';
import type { RecipeCheck, RecipeDecision, RecipeDecisionKind, RecipeNumbers } from './decision.ts';
import { resolveThresholds, type RecipeThresholds } from './thresholds.ts';

/** Digits shown in rule texts. */
const SHOWN_DIGITS = 3;

export interface RecipeInput {
  scope?: { modality?: string; task?: string };
  /** K the user judges support at. */
  k: number;
  acc1: number;
  acc1Ci?: Interval | null;
  passAtK: number;
  passAtKCi?: Interval | null;
  /** Bootstrap interval of Pass@K − Accuracy@1 (from the metrics report). */
  supportGapCi?: Interval | null;
  chanceAtK?: number | null;
  /** Linear-probe test accuracy on frozen vision features, and its interval. */
  probeAccuracy?: number | null;
  probeAccuracyCi?: Interval | null;
  /** Accuracy of a strong vision-only reference model on the same task, when known. */
  referenceAccuracy?: number | null;
}

const fmt = (x: number): string => x.toFixed(SHOWN_DIGITS);
const fmtCi = (ci: Interval | null): string => (ci ? ` [${fmt(ci[0])}, ${fmt(ci[1])}]` : '');
/** An interval overlaps a threshold when the threshold lies within it, ends included. */
const straddles = (ci: Interval | null, t: number): boolean => ci !== null && ci[0] <= t && t <= ci[1];
const uncertainText = (ci: Interval | null, t: number): string =>
  straddles(ci, t) ? ` — uncertain: the interval${fmtCi(ci)} overlaps the threshold ${fmt(t)}` : '';

function perceptionCheck(n: RecipeNumbers, th: RecipeThresholds): RecipeCheck {
  if (n.probeAccuracy === null || n.referenceAccuracy === null) {
    const missing = n.probeAccuracy === null ? 'no linear-probe result' : 'no vision-only reference accuracy';
    // Without a reference the probe still says where the gap is (design.md §1): features that separate the classes
    // better than the model answers mean the shortfall is on the language/selection side, not perception.
    const beside =
      n.probeAccuracy === null
        ? ''
        : n.probeAccuracy > n.acc1
          ? ` The probe reaches ${fmt(n.probeAccuracy)}${fmtCi(n.probeAccuracyCi)} against Accuracy@1 ${fmt(n.acc1)}: the image features separate the classes better than the model answers, so the gap is on the selection side.`
          : ` The probe reaches ${fmt(n.probeAccuracy)}${fmtCi(n.probeAccuracyCi)}, not above Accuracy@1 ${fmt(n.acc1)}.`;
    return {
      name: 'perception',
      status: 'skipped',
      uncertain: false,
      value: null,
      interval: null,
      threshold: th.perceptionMargin,
      text: `Perception not assessed against a reference (${missing}).${beside}`,
    };
  }
  const deficit = n.referenceAccuracy - n.probeAccuracy;
  // deficit interval from the probe interval (the reference is taken as fixed)
  const ci: Interval | null = n.probeAccuracyCi ? [n.referenceAccuracy - n.probeAccuracyCi[1], n.referenceAccuracy - n.probeAccuracyCi[0]] : null;
  const fail = deficit > th.perceptionMargin;
  const text = fail
    ? `Probe accuracy ${fmt(n.probeAccuracy)}${fmtCi(n.probeAccuracyCi)} is ${fmt(deficit)} below the vision-only reference ${fmt(n.referenceAccuracy)}, more than the margin ${fmt(th.perceptionMargin)}: the image features do not separate the classes well enough`
    : `Probe accuracy ${fmt(n.probeAccuracy)}${fmtCi(n.probeAccuracyCi)} is within ${fmt(th.perceptionMargin)} of the vision-only reference ${fmt(n.referenceAccuracy)} (deficit ${fmt(deficit)})`;
  return {
    name: 'perception',
    status: fail ? 'fail' : 'pass',
    uncertain: straddles(ci, th.perceptionMargin),
    value: deficit,
    interval: ci,
    threshold: th.perceptionMargin,
    text: `${text}${uncertainText(ci, th.perceptionMargin)}.`,
  };
}

function supportCheck(n: RecipeNumbers, th: RecipeThresholds): RecipeCheck {
  const fail = n.passAtK < th.supportTarget;
  const chance = n.chanceAtK === null ? '' : ` (chance ${fmt(n.chanceAtK)})`;
  const text = fail
    ? `Pass@${n.k} = ${fmt(n.passAtK)}${fmtCi(n.passAtKCi)}${chance} is below the support target ${fmt(th.supportTarget)}: the model rarely produces the right answer even in ${n.k} tries`
    : `Pass@${n.k} = ${fmt(n.passAtK)}${fmtCi(n.passAtKCi)}${chance} reaches the support target ${fmt(th.supportTarget)}`;
  return {
    name: 'support',
    status: fail ? 'fail' : 'pass',
    uncertain: straddles(n.passAtKCi, th.supportTarget),
    value: n.passAtK,
    interval: n.passAtKCi,
    threshold: th.supportTarget,
    text: `${text}${uncertainText(n.passAtKCi, th.supportTarget)}.`,
  };
}

function sharpenCheck(n: RecipeNumbers, th: RecipeThresholds): RecipeCheck {
  const fail = n.supportGap > th.sharpenGap;
  const text = fail
    ? `Accuracy@1 = ${fmt(n.acc1)}${fmtCi(n.acc1Ci)} lags Pass@${n.k} = ${fmt(n.passAtK)} by ${fmt(n.supportGap)}${fmtCi(n.supportGapCi)}, more than ${fmt(th.sharpenGap)}: the answer is often in support but not picked first`
    : `Accuracy@1 = ${fmt(n.acc1)}${fmtCi(n.acc1Ci)} is within ${fmt(th.sharpenGap)} of Pass@${n.k} = ${fmt(n.passAtK)} (gap ${fmt(n.supportGap)}${fmtCi(n.supportGapCi)})`;
  return {
    name: 'sharpen',
    status: fail ? 'fail' : 'pass',
    uncertain: straddles(n.supportGapCi, th.sharpenGap),
    value: n.supportGap,
    interval: n.supportGapCi,
    threshold: th.sharpenGap,
    text: `${text}${uncertainText(n.supportGapCi, th.sharpenGap)}.`,
  };
}

const ACTION: Record<RecipeDecisionKind, string> = {
  'improve-vision': 'Improve vision / collect more data (perception bottleneck; neither SFT on answers nor RL will fix it)',
  'bridge-sft': 'Bridge with SFT on proximal data (low support)',
  'sharpen-rl': 'Sharpen with RL (support present, Accuracy@1 lags)',
  done: 'Done (support present and Accuracy@1 close to Pass@K)',
};

const ACTION_OF_CHECK: Record<RecipeCheck['name'], RecipeDecisionKind> = { perception: 'improve-vision', support: 'bridge-sft', sharpen: 'sharpen-rl' };

/**
 * Applies the rule in order — perception, support, sharpen — and stops at the first check whose
 * condition holds; if none holds the scope is done. The decision is uncertain when the deciding
 * check, or a check passed before it, has an interval that overlaps its threshold.
 */
export function recommend(input: RecipeInput, thresholdOverrides: Partial<RecipeThresholds> = {}): RecipeDecision {
  const thresholds = resolveThresholds(thresholdOverrides);
  for (const [name, v] of [
    ['acc1', input.acc1],
    ['passAtK', input.passAtK],
  ] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
  }
  if (!Number.isInteger(input.k) || input.k < 1) throw new RangeError(`K must be a positive integer, got ${input.k}`);
  const numbers: RecipeNumbers = {
    k: input.k,
    acc1: input.acc1,
    acc1Ci: input.acc1Ci ?? null,
    passAtK: input.passAtK,
    passAtKCi: input.passAtKCi ?? null,
    supportGap: input.passAtK - input.acc1,
    supportGapCi: input.supportGapCi ?? null,
    chanceAtK: input.chanceAtK ?? null,
    probeAccuracy: input.probeAccuracy ?? null,
    probeAccuracyCi: input.probeAccuracyCi ?? null,
    referenceAccuracy: input.referenceAccuracy ?? null,
  };
  const all = [perceptionCheck(numbers, thresholds), supportCheck(numbers, thresholds), sharpenCheck(numbers, thresholds)];
  const decidingIndex = all.findIndex((c) => c.status === 'fail');
  const considered = decidingIndex === -1 ? all : all.slice(0, decidingIndex + 1);
  const decision: RecipeDecisionKind = decidingIndex === -1 ? 'done' : ACTION_OF_CHECK[(all[decidingIndex] as RecipeCheck).name];
  const uncertain = considered.some((c) => c.uncertain);

  const notes: string[] = [];
  if (numbers.chanceAtK !== null && numbers.chanceAtK >= thresholds.supportTarget) {
    notes.push(`Chance alone reaches Pass@${numbers.k} = ${fmt(numbers.chanceAtK)} ≥ the support target; choose a smaller K for an informative support check.`);
  }
  if (numbers.supportGap < 0) notes.push(`Accuracy@1 exceeds Pass@${numbers.k}: the sampling temperature spreads mass away from the greedy answer.`);
  const scopeText = [input.scope?.modality && `modality ${input.scope.modality}`, input.scope?.task && `task ${input.scope.task}`].filter(Boolean).join(', ');
  const rule = [`${scopeText ? `[${scopeText}] ` : ''}${ACTION[decision]}${uncertain ? ' — uncertain' : ''}.`, ...considered.map((c) => c.text), ...notes].join(
    ' ',
  );
  return { decision, uncertain, rule, checks: all, numbers, thresholds, scope: { ...input.scope }, notes };
}
