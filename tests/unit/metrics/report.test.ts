import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetricsReport, MetricsReportSchema, wilsonInterval, type ItemResult } from '../../../shared/metrics/index.ts';

const close = (a: number | null | undefined, b: number, tol = 1e-12) => assert.ok(typeof a === 'number' && Math.abs(a - b) <= tol, `${a} vs ${b}`);

const ITEMS: ItemResult[] = [
  { item: 'a', probs: [0.5, 0.3, 0.2], correct: 0, modality: 'ct', task: 't1', split: 'test' }, //           right, p .5
  { item: 'b', probs: [0.2, 0.7, 0.1], correct: 0, modality: 'mri', task: 't1', split: 'test' }, //          wrong, p .2
  { item: 'c', probs: [0.62, 0.38], correct: 1, modality: 'ct', task: 't2', split: 'val' }, //               wrong, p .38
  { item: 'd', probs: [0.25, 0.25, 0.25, 0.25], correct: 0, modality: 'mri', task: 't2', split: 'val' }, //  tie → A, right, p .25
];

test('overall metrics of a four-item report by hand', () => {
  const r = computeMetricsReport(ITEMS, { ks: [1, 2], bootstrapSamples: 200, seed: 3 });
  const o = r.overall;
  assert.equal(o.n, 4);
  assert.equal(o.nWithOptions, 4);
  // Accuracy@1 = 2/4; Wilson interval of 2/4
  assert.equal(o.acc1, 0.5);
  assert.deepEqual(o.acc1Ci, wilsonInterval(2, 4));
  // expected Pass@1 = (0.5 + 0.2 + 0.38 + 0.25)/4 = 1.33/4 = 0.3325 — differs from greedy 0.5
  close(o.pass1Expected, 0.3325);
  close(o.passAtK['1'], 0.3325);
  // Pass@2: 1−0.5² = 0.75, 1−0.8² = 0.36, 1−0.62² = 0.6156, 1−0.75² = 0.4375 → 2.1631/4 = 0.540775
  close(o.passAtK['2'], 0.540775);
  // support gap@2 = 0.540775 − 0.5
  close(o.supportGapAtK['2'], 0.040775);
  close(o.supportGapAtK['1'], 0.3325 - 0.5);
  // chance@1 = (1/3 + 1/3 + 1/2 + 1/4)/4 = 17/48; chance@2 = (5/9 + 5/9 + 3/4 + 7/16)/4
  close(o.chanceAtK['1'], 17 / 48);
  close(o.chanceAtK['2'], (10 / 9 + 3 / 4 + 7 / 16) / 4);
  // Brier: 0.38, 0.64+0.49+0.01 = 1.14, 0.62²·2 = 0.7688, 0.75² + 3·0.25² = 0.75 → 3.0388/4
  close(o.brier, 0.7597);
  // entropy: mean of −Σ p ln p
  const h = (p: number[]) => -p.reduce((s, x) => s + x * Math.log(x), 0);
  close(o.entropy, (h([0.5, 0.3, 0.2]) + h([0.2, 0.7, 0.1]) + h([0.62, 0.38]) + Math.log(4)) / 4);
  // ECE: four separate bins (conf .5, .7, .62, .25) → (|1−.5| + |0−.7| + |0−.62| + |1−.25|)/4 = 2.57/4
  close(o.ece, 0.6425);
  // letter bias: A is correct 3 times (a, b, d), picked by a, c, d
  assert.equal(o.letterBias.A?.nCorrect, 3);
  assert.equal(o.letterBias.A?.picks, 3);
  close(o.letterBias.A?.accWhenCorrect ?? null, 2 / 3);
  // intervals contain the point estimates
  for (const k of ['1', '2']) {
    const ci = o.passAtKCi[k];
    assert.ok(ci && ci[0] <= (o.passAtK[k] as number) && (o.passAtK[k] as number) <= ci[1]);
  }
});

test('groups carry their own n and metrics, with sorted keys', () => {
  const r = computeMetricsReport(ITEMS, { ks: [1, 2], bootstrapSamples: 50 });
  assert.deepEqual(Object.keys(r.byModality), ['ct', 'mri']);
  assert.deepEqual(Object.keys(r.byTask), ['t1', 't2']);
  assert.deepEqual(Object.keys(r.bySplit), ['test', 'val']);
  assert.equal(r.byBenchmark, undefined);
  // ct = {a, c}: p (.5 + .38)/2 = .44; mri = {b, d}: (.2 + .25)/2 = .225
  close(r.byModality.ct?.pass1Expected, 0.44);
  close(r.byModality.mri?.pass1Expected, 0.225);
  // t1 = {a, b}: (.5 + .2)/2 = .35, acc 1/2; t2 = {c, d}: (.38 + .25)/2 = .315
  close(r.byTask.t1?.pass1Expected, 0.35);
  close(r.byTask.t2?.pass1Expected, 0.315);
  assert.equal(r.byTask.t1?.n, 2);
  // val = t2 items: chance@2 = (3/4 + 7/16)/2
  close(r.bySplit.val?.chanceAtK['2'], (3 / 4 + 7 / 16) / 2);
});

test('the report validates against its schema and survives a JSON round trip', () => {
  const r = computeMetricsReport(
    ITEMS.map((x) => ({ ...x, benchmark: x.task === 't1' ? 'medmnist' : 'pmc-vqa' })),
    { bootstrapSamples: 20 },
  );
  assert.deepEqual(MetricsReportSchema.parse(JSON.parse(JSON.stringify(r))), r);
  assert.deepEqual(Object.keys(r.overall.passAtK), ['1', '2', '4', '8', '16']);
  assert.deepEqual(r.config.ks, [1, 2, 4, 8, 16]);
  assert.equal(r.config.bootstrapSamples, 20);
  assert.deepEqual(Object.keys(r.byBenchmark ?? {}), ['medmnist', 'pmc-vqa']);
});

test('free-form items use the estimator and make Pass@K with K > n null', () => {
  const items: ItemResult[] = [
    { item: 'e', probs: [], correct: null, modality: 'ct', task: 'ff', split: 'test', samples: { n: 3, c: 1 }, greedyCorrect: true },
    ITEMS[0] as ItemResult,
  ];
  const o = computeMetricsReport(items, { ks: [1, 2, 4], bootstrapSamples: 50 }).overall;
  assert.equal(o.acc1, 1); // greedy right on both
  assert.equal(o.nWithOptions, 1);
  close(o.pass1Expected, (1 / 3 + 0.5) / 2); // c/n = 1/3 and p = .5
  // Pass@2: e: 1 − C(2,2)/C(3,2) = 2/3; a: 0.75
  close(o.passAtK['2'], (2 / 3 + 0.75) / 2);
  assert.equal(o.passAtK['4'], null);
  assert.equal(o.passAtKCi['4'], null);
  assert.equal(o.supportGapAtK['4'], null);
  // chance, calibration from the one multiple-choice item only
  close(o.chanceAtK['2'], 5 / 9);
  close(o.brier, 0.38);
});

test('invalid items are refused with the item named', () => {
  assert.throws(() => computeMetricsReport([{ ...ITEMS[0], probs: [0.5, 0.4] }]), /item a: probs: must sum to 1/);
  assert.throws(() => computeMetricsReport([{ ...ITEMS[0], correct: 3 }]), /item a: correct/);
  assert.throws(() => computeMetricsReport([]), RangeError);
  assert.throws(() => computeMetricsReport(ITEMS, { ks: [65] }), RangeError);
});
