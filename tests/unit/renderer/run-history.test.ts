import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainAlgorithm, type RunEvent } from '../../../shared/api/training.ts';
import type { RunDetail, RunSummary } from '../../../shared/api/runs.ts';
import { compareRuns, computeMetricsReport, type ItemResult } from '../../../shared/metrics/index.ts';
import {
  budgetText,
  choiceFromQuery,
  choiceQuery,
  compareK,
  compareObjectiveSeries,
  comparePair,
  compareValidationSeries,
  finalMetrics,
  historyRow,
  outcomeText,
  sideBySideRows,
  STEP_KINDS,
  stepRuns,
  stepTicks,
  toggleChoice,
  validChoice,
} from '../../../renderer/src/lib/format/run-history.ts';
import { trainingCurves } from '../../../renderer/src/lib/format/study.ts';

const PACK = 'a'.repeat(64);
const VERSION = 'dv-0123456789abcdef';

const summary = (id: string, over: Partial<RunSummary> = {}): RunSummary => ({
  id,
  kind: 'sft',
  pack: PACK,
  packLabel: 'reference',
  version: VERSION,
  split: 'train',
  adapter: null,
  state: 'done',
  jobId: `job-${id}`,
  seed: 1,
  createdAt: '2026-12-02T10:00:00.000Z',
  finishedAt: null,
  n: 3,
  ...over,
});

const mc = (item: string, probs: number[], correct: number): ItemResult => ({ item, probs, correct, modality: 'ultrasound', task: 'breast', split: 'val' });
// Run A right on x only at Acc@1; run B right on x and y. Pass@2 per item: A .84 .51 .36, B .91 .84 .19.
const ITEMS_A = [mc('x', [0.6, 0.4], 0), mc('y', [0.7, 0.3], 1), mc('z', [0.8, 0.2], 1)];
const ITEMS_B = [mc('x', [0.7, 0.3], 0), mc('y', [0.4, 0.6], 1), mc('z', [0.9, 0.1], 1)];

const detail = (s: RunSummary, items: ItemResult[], config: Record<string, unknown>): RunDetail => ({
  ...s,
  config: { pack: PACK, version: VERSION, algorithm: s.kind, init: null, config, seed: s.seed },
  environment: {},
  metrics: computeMetricsReport(items, { ks: [1, 2], bootstrapSamples: 200, seed: s.seed }),
  cache: { hits: 0, misses: 0 },
  recommendation: null,
});

const ev = (seq: number, kind: string, step: number | null, payload: unknown): RunEvent => ({ seq, kind, step, payload, createdAt: '' });

test("the steps train the contract's algorithms: SFT bridges, GRPO and GRPO-CARE sharpen", () => {
  assert.deepEqual([...STEP_KINDS.bridge, ...STEP_KINDS.sharpen].sort(), [...TrainAlgorithm.options].sort());
});

test("a step lists its own kinds for the study's model and version, newest first, with the study's unlisted run", () => {
  const runs = [
    summary('r3', { createdAt: '2026-12-02T12:00:00.000Z' }),
    summary('g1', { kind: 'grpo', createdAt: '2026-12-02T13:00:00.000Z' }),
    summary('r1', { createdAt: '2026-12-02T09:00:00.000Z' }),
    summary('r2', { createdAt: '2026-12-02T11:00:00.000Z' }),
    summary('other-version', { version: 'dv-other' }),
    summary('other-pack', { pack: 'b'.repeat(64) }),
    summary('diag', { kind: 'diagnose' }),
    // Same millisecond as r1: keeps the list's (newest-first) order.
    summary('r1b', { createdAt: '2026-12-02T09:00:00.000Z' }),
  ];
  const scope = { model: PACK, version: VERSION };
  assert.deepEqual(
    stepRuns(runs, 'bridge', scope).map((r) => r.id),
    ['r3', 'r2', 'r1', 'r1b'],
  );
  assert.deepEqual(
    stepRuns(runs, 'sharpen', scope).map((r) => r.id),
    ['g1'],
  );
  const fresh = summary('new', { kind: 'grpo-care', createdAt: '2026-12-02T14:00:00.000Z', state: 'running' });
  assert.deepEqual(
    stepRuns(runs, 'sharpen', scope, fresh).map((r) => r.id),
    ['new', 'g1'],
  );
  // Already listed: not twice.
  assert.deepEqual(
    stepRuns(runs, 'bridge', scope, runs[0]).map((r) => r.id),
    ['r3', 'r2', 'r1', 'r1b'],
  );
  assert.deepEqual(stepRuns(runs, 'bridge', { model: PACK, version: null }), []);
});

test("a row carries the run's settings, its final validation numbers at its guard K and how it ended", () => {
  const s = summary('r1', { seed: 7 });
  const d = detail(s, ITEMS_A, { steps: 10, passK: 2, labelBudget: 16 });
  const events = [ev(1, 'train', 10, { loss: 0.5 }), ev(2, 'final', null, { reason: 'early-stopping', keptStep: 10 })];
  const row = historyRow(s, d, events, 'r1');
  assert.equal(row.method, 'SFT');
  assert.equal(row.seed, 7);
  assert.equal(row.steps, 10);
  assert.equal(row.labelBudget, 16);
  assert.equal(row.k, 2);
  assert.equal(row.acc1, 1 / 3);
  assert.ok(Math.abs((row.passAtK as number) - 1.71 / 3) < 1e-12);
  assert.equal(row.n, 3);
  assert.equal(row.outcome, 'Stopped early; kept step 10');
  assert.equal(row.study, true);
  assert.equal(historyRow(s, d, events, 'r2').study, false);
  // A guard K the report does not hold: its headline K (the largest it holds here).
  assert.equal(finalMetrics(detail(s, ITEMS_A, { passK: 8 })).k, 2);
  // Not loaded yet: the summary's state, no numbers.
  const bare = historyRow(summary('r9', { state: 'running' }), undefined, undefined, null);
  assert.deepEqual([bare.acc1, bare.passAtK, bare.steps, bare.outcome], [null, null, null, 'Running']);
  assert.equal(budgetText(null), 'all');
  assert.equal(budgetText(32), '32 per task');
});

test('outcomes in a few words', () => {
  assert.equal(outcomeText('done', { reason: 'completed', keptStep: 120, endedAtStep: 120, noUpdateKept: false }), 'Ran all steps; kept step 120');
  assert.equal(outcomeText('done', { reason: 'support-collapse', keptStep: 0, endedAtStep: 30, noUpdateKept: true }), 'Guard stopped it; no update kept');
  assert.equal(outcomeText('done', null), 'Done');
  assert.equal(outcomeText('cancelled', null), 'Cancelled (resumable)');
  assert.equal(outcomeText('interrupted', null), 'Interrupted (resumable)');
  assert.equal(outcomeText('failed', null), 'Failed');
});

test('the choice goes into the address and comes back; odd values are dropped', () => {
  assert.equal(choiceQuery([]), '');
  assert.equal(choiceQuery(['run-a']), 'run=run-a');
  assert.equal(choiceQuery(['run-a', 'run-b']), 'run=run-a&compare=run-b');
  assert.deepEqual(choiceFromQuery('run=run-a&compare=run-b'), ['run-a', 'run-b']);
  assert.deepEqual(choiceFromQuery('run=run-a&compare=run-a'), ['run-a']);
  assert.deepEqual(choiceFromQuery('run=%3Cscript%3E&compare=run-b'), ['run-b']);
  assert.deepEqual(choiceFromQuery(`run=${'x'.repeat(101)}`), []);
  assert.deepEqual(choiceFromQuery('model=abc&split=test'), []);
});

test('ticking adds, ticking again removes, a third tick drops the earliest; unknown ids are not chosen', () => {
  let c: string[] = [];
  c = toggleChoice(c, 'a');
  assert.deepEqual(c, ['a']);
  c = toggleChoice(c, 'b');
  assert.deepEqual(c, ['a', 'b']);
  c = toggleChoice(c, 'c');
  assert.deepEqual(c, ['b', 'c']);
  c = toggleChoice(c, 'b');
  assert.deepEqual(c, ['c']);
  assert.deepEqual(validChoice(['gone', 'c'], [{ id: 'c' }, { id: 'd' }]), ['c']);
});

test('a pair compares the later run against the earlier, whichever was ticked first', () => {
  const rows = [
    { id: 'new', createdAt: '2' },
    { id: 'mid', createdAt: '1' },
    { id: 'old', createdAt: '0' },
  ];
  assert.deepEqual(comparePair(['new', 'old'], rows), { a: rows[2], b: rows[0] });
  assert.deepEqual(comparePair(['old', 'new'], rows), { a: rows[2], b: rows[0] });
  assert.equal(comparePair(['new'], rows), null);
  assert.equal(comparePair(['new', 'gone'], rows), null);
});

test("side-by-side rows: each run's own numbers, and the paired deltas B − A with their intervals (by hand)", () => {
  const sa = summary('a', { seed: 1, createdAt: '2026-12-02T10:00:00.000Z' });
  const sb = summary('b', { seed: 2, createdAt: '2026-12-02T11:00:00.000Z' });
  const da = detail(sa, ITEMS_A, { steps: 10, passK: 2, labelBudget: 16 });
  const db = detail(sb, ITEMS_B, { steps: 20, passK: 2 });
  const cmp = compareRuns(ITEMS_A, ITEMS_B, { ks: [1, 2], bootstrapSamples: 500, seed: 1 });
  const k = compareK(da, db, cmp);
  assert.equal(k, 2);
  const rows = sideBySideRows(da, db, historyRow(sa, da, [], null), historyRow(sb, db, [], null), cmp, k);
  const by = Object.fromEntries(rows.map((r) => [r.metric, r]));
  // Acc@1: A 1/3, B 2/3 → Δ +33.3 pp; Pass@2: A 1.71/3 = 57.0%, B 1.94/3 = 64.7% → Δ 0.23/3 = +7.7 pp.
  assert.match(by.acc1?.a ?? '', /^33\.3% \[/);
  assert.match(by.acc1?.b ?? '', /^66\.7% \[/);
  assert.equal(by.acc1?.delta?.value, '+33.3 pp');
  assert.equal(by.acc1?.delta?.raw, cmp.overall.deltaAcc1);
  assert.deepEqual(by.acc1?.delta?.ci, cmp.overall.deltaAcc1Ci);
  assert.match(by.passk?.a ?? '', /^57\.0% \[/);
  assert.match(by.passk?.b ?? '', /^64\.7% \[/);
  assert.equal(by.passk?.delta?.value, '+7.7 pp');
  assert.ok(Math.abs((by.passk?.delta?.raw as number) - 0.23 / 3) < 1e-12);
  assert.deepEqual(by.passk?.delta?.ci, cmp.overall.deltaPassAtKCi['2']);
  assert.equal(by.passk?.label, 'Val Pass@2 [bootstrap 95%]');
  assert.equal(by.gap?.delta, null);
  assert.deepEqual([by.seed?.a, by.seed?.b, by.steps?.a, by.steps?.b, by.budget?.a, by.budget?.b], ['1', '2', '10', '20', '16 per task', 'all']);
  // Guards at different K: the comparison's headline K.
  assert.equal(compareK(da, detail(sb, ITEMS_B, { passK: 1 }), cmp), 2);
});

test("both runs' curves share one chart: four validation series and two objective series", () => {
  const a = trainingCurves([ev(1, 'train', 1, { loss: 0.9, reward: 0.2 }), ev(2, 'eval', 0, { k: 2, acc1: 0.3, passAtK: { 2: 0.5 } })], null);
  const b = trainingCurves([ev(1, 'train', 1, { loss: 0.7, reward: 0.4 }), ev(2, 'eval', 0, { k: 4, acc1: 0.4, passAtK: { 4: 0.8 } })], null);
  const v = compareValidationSeries(a, b);
  assert.deepEqual(
    v.map((s) => s.name),
    ['A val Acc@1', 'A val Pass@2', 'B val Acc@1', 'B val Pass@4'],
  );
  assert.deepEqual(
    v.map((s) => s.points[0]?.y),
    [0.3, 0.5, 0.4, 0.8],
  );
  assert.deepEqual(new Set(v.map((s) => s.tone)).size, 4);
  assert.deepEqual(
    compareObjectiveSeries(a, b, false).map((s) => [s.name, s.points[0]?.y]),
    [
      ['A loss', 0.9],
      ['B loss', 0.7],
    ],
  );
  assert.deepEqual(
    compareObjectiveSeries(a, b, true).map((s) => [s.name, s.points[0]?.y]),
    [
      ['A mean reward', 0.2],
      ['B mean reward', 0.4],
    ],
  );
  assert.deepEqual(stepTicks(10), [0, 5, 10]);
  assert.deepEqual(stepTicks(120), [0, 20, 40, 60, 80, 100, 120]);
});
