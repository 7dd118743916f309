import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PASS_AT_K } from '../../../shared/metrics/constants.ts';
import { DEFAULT_RECIPE_K, DEFAULT_RECIPE_THRESHOLDS } from '../../../shared/recipe/thresholds.ts';
import { DEFAULT_GRPO_LR, DEFAULT_GUARD_K, DEFAULT_GUARD_MARGIN, DEFAULT_SFT_LR, DEFAULT_TRAIN_STEPS, TrainConfig } from '../../../shared/api/training.ts';
import type { RunEvent } from '../../../shared/api/training.ts';
import type { GroupMetrics } from '../../../shared/metrics/report-schema.ts';
import {
  buildTrainConfig,
  ci,
  deltaTone,
  DEFAULT_KS,
  DEFAULT_RECIPE_K as UI_RECIPE_K,
  DEFAULT_GUARD_K as UI_GUARD_K,
  DEFAULT_BRIDGE_LABEL_BUDGET as UI_BRIDGE_BUDGET,
  DEFAULT_THRESHOLDS,
  dedupeChance,
  defaultTrainForm,
  EMPTY_STUDY_RUNS,
  headlineK,
  nextAction,
  passAtKSeries,
  pct,
  pp,
  studyProbes,
  studyRunIds,
  trainingCurves,
} from '../../../renderer/src/lib/format/study.ts';
import { DEFAULT_BRIDGE_LABEL_BUDGET as SHARED_BRIDGE_BUDGET } from '../../../shared/recipe/label-budget.ts';

test('the renderer mirrors the contract defaults it shows (recipe K and thresholds, Ks, training defaults)', () => {
  assert.deepEqual([...DEFAULT_KS], [...DEFAULT_PASS_AT_K]);
  assert.equal(UI_RECIPE_K, DEFAULT_RECIPE_K);
  assert.equal(UI_GUARD_K, DEFAULT_GUARD_K);
  assert.deepEqual(DEFAULT_THRESHOLDS, { ...DEFAULT_RECIPE_THRESHOLDS });
  const sft = defaultTrainForm('sft');
  const grpo = defaultTrainForm('grpo');
  assert.equal(UI_BRIDGE_BUDGET, SHARED_BRIDGE_BUDGET);
  assert.equal(sft.labelBudget, SHARED_BRIDGE_BUDGET);
  assert.equal(grpo.labelBudget, 0);
  assert.equal(sft.steps, DEFAULT_TRAIN_STEPS);
  assert.equal(sft.learningRate, DEFAULT_SFT_LR);
  assert.equal(grpo.learningRate, DEFAULT_GRPO_LR);
  assert.equal(sft.passK, DEFAULT_GUARD_K);
  assert.equal(sft.guardMargin, DEFAULT_GUARD_MARGIN);
  const parsed = TrainConfig.parse({});
  assert.equal(grpo.groupSize, parsed.grpo.groupSize);
  assert.equal(grpo.batchSize, parsed.batchSize);
  assert.equal(grpo.evalEvery, parsed.evalEvery);
  assert.equal(grpo.onCollapse, parsed.guard.onCollapse);
  assert.equal(defaultTrainForm('grpo-care').consistencyBonus, parsed.care.consistencyBonus);
});

test('percentages, points and intervals read as people write them', () => {
  assert.equal(pct(0.60714), '60.7%');
  assert.equal(pct(null), '—');
  assert.equal(pp(0.123), '+12.3 pp');
  assert.equal(pp(-0.05), '-5.0 pp');
  assert.equal(pp(0), '0.0 pp');
  assert.equal(pp(1e-9), '0.0 pp');
  assert.equal(ci([0.424, 0.764]), '[42.4%, 76.4%]');
  assert.equal(ci([-0.1, 0.2], 'pp'), '[-10.0 pp, +20.0 pp]');
  assert.equal(ci(null), '');
});

test('the built training config validates the form and passes every knob the contract accepts', () => {
  const form = { ...defaultTrainForm('grpo-care'), steps: 30 };
  const built = buildTrainConfig(form, 'grpo-care');
  assert.ok(built.ok);
  const parsed = TrainConfig.parse(built.config);
  assert.equal(parsed.steps, 30);
  assert.equal(parsed.grpo.beta, 0);
  assert.equal(parsed.care.consistencyBonus, 0.5);
  assert.equal(parsed.guard.onCollapse, 'rollback');
  const sft = buildTrainConfig(defaultTrainForm('sft'), 'sft');
  assert.ok(sft.ok);
  assert.equal(sft.config.grpo, undefined, 'SFT sends no GRPO knobs');
  assert.equal(TrainConfig.parse(sft.config).labelBudget, SHARED_BRIDGE_BUDGET, 'the wizard bridges on the default labelling budget');
  const all = buildTrainConfig({ ...defaultTrainForm('sft'), labelBudget: 0 }, 'sft');
  assert.ok(all.ok);
  assert.equal(TrainConfig.parse(all.config).labelBudget, undefined, '0 = every train item');
  assert.equal(
    TrainConfig.parse((buildTrainConfig(defaultTrainForm('grpo'), 'grpo') as { config: Record<string, unknown> }).config).labelBudget,
    undefined,
    'GRPO sharpens on the whole train split',
  );
  const badBudget = buildTrainConfig({ ...defaultTrainForm('sft'), labelBudget: 2.5 }, 'sft');
  assert.ok(!badBudget.ok);
  assert.deepEqual(Object.keys(badBudget.errors), ['labelBudget']);
  const bad = buildTrainConfig({ ...defaultTrainForm('sft'), steps: 0, learningRate: 0, guardMargin: 2 }, 'sft');
  assert.ok(!bad.ok);
  assert.deepEqual(Object.keys(bad.errors).sort(), ['guardMargin', 'learningRate', 'steps']);
});

test('training curves come from the run events: the guard line at the starting Pass@K minus the margin its guard event set; a rollback to step 0 is "no update kept"', () => {
  const ev = (seq: number, kind: string, step: number | null, payload: unknown): RunEvent => ({ seq, kind, step, payload, createdAt: '' });
  const events = [
    ev(1, 'items', null, { train: 10 }),
    ev(2, 'eval', 0, { acc1: 0.5, passAtK: { '8': 0.9 }, k: 8 }),
    ev(3, 'guard', 0, { applies: true, k: 8, baselinePassAtK: 0.9, margin: 0.07, persistence: 2, chanceAtK: 0.4 }),
    ev(4, 'train', 1, { loss: 0.1, reward: 0.5, kl: 0.01, consistency: null }),
    ev(5, 'train', 2, { loss: 0.05, reward: 0.6, kl: 0.02, consistency: null }),
    ev(6, 'eval', 10, { acc1: 0.6, passAtK: { '8': 0.95 }, k: 8 }),
    ev(7, 'eval', 20, { acc1: 0.6, passAtK: { '8': 0.8 }, k: 8 }),
    ev(8, 'support-collapse', 20, { passAtK: 0.8, baselinePassAtK: 0.9, action: 'rollback', rollbackToStep: 0 }),
    ev(9, 'final', 0, { reason: 'support-collapse', keptStep: 0, endedAtStep: 20, noUpdateKept: true }),
  ];
  const c = trainingCurves(events, 0.05);
  assert.equal(c.k, 8);
  assert.deepEqual(
    c.valPassAtK.map((p) => [p.x, p.y]),
    [
      [0, 0.9],
      [10, 0.95],
      [20, 0.8],
    ],
  );
  assert.deepEqual(
    c.reward.map((p) => p.y),
    [0.5, 0.6],
  );
  assert.equal(c.consistency.length, 0);
  // 0.9 − 0.07 from the guard event (not the best value 0.95, not the config's 0.05)
  assert.ok(Math.abs((c.guardLine ?? 0) - 0.83) < 1e-12, `guard line ${c.guardLine}`);
  assert.deepEqual(c.collapses, [{ step: 20, passAtK: 0.8, baseline: 0.9, action: 'rollback', rollbackToStep: 0 }]);
  assert.equal(c.final?.reason, 'support-collapse');
  assert.equal(c.final?.noUpdateKept, true);
  assert.equal(c.lastStep, 20);
  // an inactive guard draws no line; a run recorded before guard events keeps its old line (best − margin)
  const inactive = trainingCurves([events[1]!, ev(3, 'guard', 0, { applies: false, baselinePassAtK: 0.9, margin: 0.07, chanceAtK: 0.996 })], 0.05);
  assert.equal(inactive.guardLine, null);
  assert.equal(inactive.guard?.applies, false);
  const legacy = trainingCurves([events[1]!, events[5]!], 0.05);
  assert.ok(Math.abs((legacy.guardLine ?? 0) - 0.9) < 1e-12);
  assert.equal(trainingCurves([ev(1, 'final', 30, { reason: 'completed', keptStep: 30 })], null).final?.noUpdateKept, false);
});

test('Pass@K series carry their bands; identical chance curves are drawn once', () => {
  const g = (n: number): GroupMetrics =>
    ({
      n,
      passAtK: { '1': 0.3, '2': 0.5, '16': 0.9 },
      passAtKCi: { '1': [0.2, 0.4], '2': [0.4, 0.6], '16': null },
      chanceAtK: { '1': 0.5, '2': 0.75, '16': 0.99 },
    }) as unknown as GroupMetrics;
  const series = passAtKSeries({ ultrasound: g(20), 'x-ray': g(22) });
  assert.equal(series.length, 4);
  assert.deepEqual(
    series[0]?.points.map((p) => [p.x, p.lo ?? null]),
    [
      [1, 0.2],
      [2, 0.4],
      [16, null],
    ],
  );
  const drawn = dedupeChance(series);
  assert.equal(drawn.filter((s) => s.dashed).length, 1);
  assert.equal(drawn.find((s) => s.dashed)?.name, 'Chance (random guessing)');
  // Different option counts (2 and 8): two chance curves, each named by its options, so no two series share a name.
  const eight = { ...g(30), chanceAtK: { '1': 0.125, '2': 1 - 0.875 ** 2, '16': 1 - 0.875 ** 16 } } as unknown as GroupMetrics;
  const mixed = dedupeChance(passAtKSeries({ ultrasound: g(20), microscopy: eight, 'x-ray': g(22) }));
  assert.deepEqual(
    mixed.filter((s) => s.dashed).map((s) => s.name),
    ['Chance, 2 options', 'Chance, 8 options'],
  );
  assert.equal(new Set(mixed.map((s) => s.name)).size, mixed.length);
  assert.equal(headlineK(g(1)), 16, 'the largest K when 8 was not measured');
});

test('the next action follows the recipe: diagnose, bridge, diagnose the adapter, sharpen, report', () => {
  const done = { diagnosis: false, probe: false, sft: false, sftDiagnosis: false, grpo: false, grpoDiagnosis: false };
  assert.equal(nextAction(done, null, false, false).href, '#/data');
  assert.equal(nextAction(done, null, true, false).href, '#/diagnose');
  assert.equal(nextAction({ ...done, diagnosis: true }, 'bridge-sft', true, false).href, '#/bridge');
  assert.equal(nextAction({ ...done, diagnosis: true }, 'sharpen-rl', true, false).href, '#/sharpen');
  assert.match(nextAction({ ...done, diagnosis: true, sft: true }, 'bridge-sft', true, false).text, /Diagnose the bridged/);
  assert.equal(nextAction({ ...done, diagnosis: true, sft: true, sftDiagnosis: true }, 'bridge-sft', true, false).href, '#/sharpen');
  assert.equal(
    nextAction({ ...done, diagnosis: true, sft: true, sftDiagnosis: true, grpo: true, grpoDiagnosis: true }, 'bridge-sft', true, false).href,
    '#/report',
  );
  assert.equal(nextAction({ ...done, diagnosis: true }, 'done', true, false).href, '#/report');
  assert.deepEqual(studyRunIds({ ...EMPTY_STUDY_RUNS, diagnosis: 'a', sft: 'b', grpoDiagnosis: 'c' }), ['a', 'b', 'c']);
});

test('rebuilding a study: the VLM probe and the vision-pack probe are both of the diagnosed version', () => {
  const run = (id: string, kind: string, pack: string, version: string) => ({ id, kind, pack, version });
  // Newest first: a newer probe of the same pack on another version must not be taken for this diagnosis's probe.
  const runs = [
    run('p-other-version', 'probe', 'vlm', 'v2'),
    run('vp-other-version', 'probe', 'vision', 'v2'),
    run('d', 'diagnose', 'vlm', 'v1'),
    run('p', 'probe', 'vlm', 'v1'),
    run('vp', 'probe', 'vision', 'v1'),
  ];
  const vision = new Set(['vision']);
  const picked = studyProbes(runs, { pack: 'vlm', version: 'v1' }, vision);
  assert.equal(picked.probe?.id, 'p');
  assert.equal(picked.vision?.id, 'vp');
  assert.deepEqual(studyProbes(runs, { pack: 'vlm', version: 'v3' }, vision), { probe: undefined, vision: undefined });
  // No diagnosis: the newest probe of a pack that can answer, and of a vision-only pack.
  const none = studyProbes(runs, undefined, vision);
  assert.equal(none.probe?.id, 'p-other-version');
  assert.equal(none.vision?.id, 'vp-other-version');
});

test('deltaTone: green only when the whole interval is above zero, red only when below', () => {
  assert.equal(deltaTone(0.05, [0.01, 0.09]), 'up');
  assert.equal(deltaTone(-0.05, [-0.09, -0.01]), 'down');
  assert.equal(deltaTone(0.02, [-0.01, 0.05]), 'flat');
  assert.equal(deltaTone(0, [0, 0]), 'flat');
  assert.equal(deltaTone(null, [0.01, 0.09]), '');
  assert.equal(deltaTone(0.05, null), '');
});
