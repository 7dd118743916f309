import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetricsReport, type ItemResult } from '../../../shared/metrics/index.ts';
import { DEFAULT_RECIPE_THRESHOLDS, RecipeDecision, recommend, recommendFromReport } from '../../../shared/recipe/index.ts';

const BASE = { k: 8, acc1: 0.6, passAtK: 0.9, chanceAtK: 0.5, probeAccuracy: 0.85, referenceAccuracy: 0.9 };

test('defaults are the documented constants', () => {
  assert.deepEqual(DEFAULT_RECIPE_THRESHOLDS, { perceptionMargin: 0.1, supportTarget: 0.8, sharpenGap: 0.1 });
});

test('perception bottleneck: probe far below the reference → improve vision', () => {
  // deficit 0.9 − 0.7 = 0.2 > 0.1
  const d = recommend({ ...BASE, probeAccuracy: 0.7 });
  assert.equal(d.decision, 'improve-vision');
  assert.equal(d.uncertain, false);
  assert.ok(Math.abs((d.checks[0]?.value as number) - 0.2) < 1e-12);
  assert.match(d.rule, /Improve vision/);
  assert.match(d.rule, /Probe accuracy 0\.700 is 0\.200 below the vision-only reference 0\.900, more than the margin 0\.100/);
  RecipeDecision.parse(d);
});

test('low support → bridge with SFT, numbers in the rule', () => {
  // perception: deficit 0.05 ≤ 0.1 passes; Pass@8 = 0.55 < 0.8
  const d = recommend({ ...BASE, scope: { modality: 'ct' }, acc1: 0.4, passAtK: 0.55, passAtKCi: [0.5, 0.6] });
  assert.equal(d.decision, 'bridge-sft');
  assert.equal(d.uncertain, false);
  assert.match(d.rule, /^\[modality ct\] Bridge with SFT on proximal data/);
  assert.match(d.rule, /Pass@8 = 0\.550 \[0\.500, 0\.600\] \(chance 0\.500\) is below the support target 0\.800/);
  // every check is evaluated and stored; the sharpen condition also holds (gap 0.15) but support decides first
  assert.deepEqual(
    d.checks.map((c) => c.status),
    ['pass', 'fail', 'fail'],
  );
});

test('support present, Accuracy@1 lags → sharpen with RL', () => {
  // gap 0.9 − 0.6 = 0.3 > 0.1
  const d = recommend(BASE);
  assert.equal(d.decision, 'sharpen-rl');
  assert.ok(Math.abs(d.numbers.supportGap - 0.3) < 1e-12);
  assert.match(d.rule, /Accuracy@1 = 0\.600 lags Pass@8 = 0\.900 by 0\.300, more than 0\.100/);
});

test('everything fine → done', () => {
  const d = recommend({ ...BASE, acc1: 0.85 });
  assert.equal(d.decision, 'done');
  assert.deepEqual(
    d.checks.map((c) => c.status),
    ['pass', 'pass', 'pass'],
  );
});

test('an interval across a threshold makes the decision uncertain and says so', () => {
  // Pass@8 = 0.78 < 0.8 → bridge, but its interval [0.72, 0.84] contains 0.8
  const d = recommend({ ...BASE, passAtK: 0.78, passAtKCi: [0.72, 0.84], acc1: 0.7 });
  assert.equal(d.decision, 'bridge-sft');
  assert.equal(d.uncertain, true);
  assert.match(d.rule, /Bridge with SFT on proximal data \(low support\) — uncertain\./);
  assert.match(d.rule, /uncertain: the interval \[0\.720, 0\.840\] overlaps the threshold 0\.800/);
  // a gap interval across the sharpen threshold
  const s = recommend({ ...BASE, acc1: 0.78, supportGapCi: [0.05, 0.2] });
  assert.equal(s.decision, 'sharpen-rl');
  assert.equal(s.uncertain, true);
  // an uncertain check after the deciding one does not matter
  const p = recommend({ ...BASE, probeAccuracy: 0.6, passAtKCi: [0.7, 0.95] });
  assert.equal(p.decision, 'improve-vision');
  assert.equal(p.uncertain, false);
  // an uncertain passed check before the deciding one does: probe interval [0.75, 0.95] → deficit [−0.05, 0.15] ∋ 0.1
  const q = recommend({ ...BASE, probeAccuracyCi: [0.75, 0.95] });
  assert.equal(q.decision, 'sharpen-rl');
  assert.equal(q.uncertain, true);
});

test('user thresholds change the decision and are stored with it', () => {
  // with sharpenGap 0.35 the gap 0.3 is acceptable
  const d = recommend(BASE, { sharpenGap: 0.35 });
  assert.equal(d.decision, 'done');
  assert.equal(d.thresholds.sharpenGap, 0.35);
  assert.equal(d.thresholds.supportTarget, 0.8);
  assert.throws(() => recommend(BASE, { supportTarget: 1.5 }));
});

test('without a reference the perception check is skipped and named', () => {
  const d = recommend({ ...BASE, referenceAccuracy: null });
  assert.equal(d.checks[0]?.status, 'skipped');
  assert.match(d.rule, /Perception not assessed against a reference \(no vision-only reference accuracy\)/);
  // The probe (0.85) above Accuracy@1 (0.6) still places the gap on the selection side.
  assert.match(d.rule, /probe reaches 0\.850 against Accuracy@1 0\.600: .*selection side/);
  const weak = recommend({ ...BASE, referenceAccuracy: null, probeAccuracy: 0.55 });
  assert.match(weak.rule, /probe reaches 0\.550, not above Accuracy@1 0\.600/);
});

test('a K where chance reaches the target gets a note', () => {
  const d = recommend({ ...BASE, chanceAtK: 0.996 });
  assert.match(d.notes[0] ?? '', /choose a smaller K/);
});

test('recommendations per modality and task from a metrics report', () => {
  const items: ItemResult[] = [];
  // task "easy" (ct): right option at 0.9 → Acc@1 1, Pass@4 = 1 − 0.1⁴ ≈ 1 → done
  for (let i = 0; i < 20; i++) items.push({ item: `e${i}`, probs: [0.9, 0.05, 0.05], correct: 0, modality: 'ct', task: 'easy', split: 'val' });
  // task "hidden" (mri): right option 0.4 but a wrong one 0.6 → Acc@1 0, Pass@4 = 1 − 0.6⁴ = 0.8704 → sharpen
  for (let i = 0; i < 20; i++) items.push({ item: `h${i}`, probs: [0.6, 0.4], correct: 1, modality: 'mri', task: 'hidden', split: 'val' });
  const report = computeMetricsReport(items, { ks: [1, 4], bootstrapSamples: 100 });
  const r = recommendFromReport(report, { k: 4, probes: { byTask: { hidden: { accuracy: 0.9, referenceAccuracy: 0.92 } } } });
  assert.equal(r.byTask.easy?.decision, 'done');
  assert.equal(r.byTask.hidden?.decision, 'sharpen-rl');
  assert.equal(r.byTask.hidden?.checks[0]?.status, 'pass');
  assert.equal(r.byModality.mri?.decision, 'sharpen-rl');
  assert.match(r.byTask.hidden?.rule ?? '', /^\[task hidden\] Sharpen with RL/);
  assert.deepEqual(r.skipped, []);
  assert.throws(() => recommendFromReport(report, { k: 8 }), /not among the report's K values/);
});

test('informative K: the largest K whose chance level stays below the support target, in every task', async () => {
  const { informativeK, chancePassAtK } = await import('../../../shared/recipe/index.ts');
  const ks = [1, 2, 4, 8, 16];
  const chance = (m: number) => Object.fromEntries(ks.map((k) => [String(k), chancePassAtK(m, k)]));
  // m = 2: 0.5, 0.75, 0.9375, … → K = 2; m = 4: 0.25, 0.4375, 0.684, 0.900 → K = 4; m = 10: 0.1 … 0.815 at 16 → K = 8
  assert.equal(informativeK(ks, [chance(2)]), 2);
  assert.equal(informativeK(ks, [chance(4)]), 4);
  assert.equal(informativeK(ks, [chance(10)]), 8);
  assert.equal(informativeK(ks, [chance(10), chance(2)]), 2, 'the fewest-option task decides');
  assert.equal(informativeK(ks, [chance(4)], 0.95), 8, 'a stricter target allows a larger K');
  assert.equal(informativeK([4, 8], [chance(2)]), 4, 'no K informative: the smallest one');
  assert.ok(Math.abs(chancePassAtK(4, 8) - (1 - 0.75 ** 8)) < 1e-15);
});

test('support per task against its own chance: a two-option task at Pass@2, an eight-option task at Pass@8; overall and the guard at the K informative in both', () => {
  const items: ItemResult[] = [];
  // two options, right one at 0.3: chance Pass@2 = 0.75 (< 0.8), Pass@4 = 0.9375 (saturated) → judged at K = 2
  for (let i = 0; i < 20; i++) items.push({ item: `b${i}`, probs: [0.7, 0.3], correct: 1, modality: 'us', task: 'binary', split: 'val' });
  // eight options: chance Pass@8 = 1 − (7/8)^8 = 0.6564 (< 0.8), Pass@16 = 0.8820 → judged at K = 8
  const p8 = [0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
  for (let i = 0; i < 20; i++) items.push({ item: `m${i}`, probs: p8, correct: 1, modality: 'ct', task: 'eight', split: 'val' });
  const report = computeMetricsReport(items, { ks: [1, 2, 4, 8, 16], bootstrapSamples: 100 });
  const r = recommendFromReport(report);
  assert.equal(r.byTask.binary?.numbers.k, 2);
  assert.equal(r.byTask.eight?.numbers.k, 8);
  assert.equal(r.k, 2, 'the K informative in every task');
  assert.equal(r.overall?.numbers.k, 2);
  // binary: Pass@2 = 1 − 0.7² = 0.51 < 0.8 → bridge; eight: Pass@8 = 1 − 0.9^8 = 0.5695 < 0.8 → bridge
  assert.ok(Math.abs((r.byTask.binary?.numbers.passAtK ?? 0) - 0.51) < 1e-12);
  assert.ok(Math.abs((r.byTask.eight?.numbers.passAtK ?? 0) - (1 - 0.9 ** 8)) < 1e-12);
  // a K the user picks applies to every scope
  const at4 = recommendFromReport(report, { k: 4 });
  assert.deepEqual([at4.byTask.binary?.numbers.k, at4.byTask.eight?.numbers.k, at4.overall?.numbers.k], [4, 4, 4]);
});
