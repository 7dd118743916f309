import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitStandardizer, probePredict, softmaxObjective, trainLinearProbe, type ProbeInput } from '../../../shared/probe/index.ts';
import { createRng } from '../../../shared/random.ts';
import { findNumpyPython, runReference } from '../metrics/python-reference.ts';

/** Gaussian clusters around `centres` (σ = spread), with splits of the given sizes per class. */
function clusters(seed: number, centres: number[][], spread: number, perSplit: Record<'train' | 'val' | 'test', number>): ProbeInput & { tasks: string[] } {
  const rng = createRng(seed);
  const features: Float32Array[] = [];
  const labels: number[] = [];
  const splits: string[] = [];
  const tasks: string[] = [];
  for (const split of ['train', 'val', 'test'] as const) {
    for (let i = 0; i < perSplit[split]; i++) {
      centres.forEach((c, y) => {
        features.push(Float32Array.from(c, (v) => v + spread * rng.normal()));
        labels.push(y);
        splits.push(split);
        tasks.push(i % 2 === 0 ? 'even' : 'odd');
      });
    }
  }
  return { features, labels, splits, tasks };
}

test('standardiser uses population statistics of the train rows', () => {
  // column 1: [1, 3] → mean 2, std 1; column 2 constant → std replaced by 1
  const s = fitStandardizer([Float32Array.from([1, 5]), Float32Array.from([3, 5])]);
  assert.deepEqual(s, { mean: [2, 5], scale: [1, 1] });
});

test('gradient of the objective matches finite differences', () => {
  const rows = [Float64Array.from([0.5, -1]), Float64Array.from([2, 0.3]), Float64Array.from([-1, 1])];
  const labels = [0, 2, 1];
  const shape = { classes: 3, dim: 2 };
  const w = Float64Array.from([0.1, -0.2, 0.3, 0.05, -0.4, 0.2, 0.01, -0.02, 0.03]);
  const { g } = softmaxObjective(w, shape, rows, labels, 0.7);
  const h = 1e-6;
  for (let k = 0; k < w.length; k++) {
    const up = Float64Array.from(w);
    up[k] = (up[k] as number) + h;
    const dn = Float64Array.from(w);
    dn[k] = (dn[k] as number) - h;
    const fd = (softmaxObjective(up, shape, rows, labels, 0.7).f - softmaxObjective(dn, shape, rows, labels, 0.7).f) / (2 * h);
    assert.ok(Math.abs(fd - (g[k] as number)) < 1e-8, `param ${k}: ${fd} vs ${g[k]}`);
  }
});

test('known answer: two symmetric points, W = [−a, a] with σ(−2a) = λa', () => {
  // x = −1 (class 0) and x = +1 (class 1): standardised unchanged (mean 0, std 1).
  // By symmetry b = 0 and W₀ = −W₁ = −a; objective log(1 + e^{−2a}) + λa², stationary where σ(−2a) = λa.
  const lambda = 0.1;
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (1 / (1 + Math.exp(2 * mid)) > lambda * mid) lo = mid;
    else hi = mid;
  }
  const a = (lo + hi) / 2; // ≈ 1.5 for λ = 0.1
  const input: ProbeInput = {
    features: [Float32Array.from([-1]), Float32Array.from([1]), Float32Array.from([-1]), Float32Array.from([1])],
    labels: [0, 1, 0, 1],
    splits: ['train', 'train', 'val', 'val'],
  };
  const r = trainLinearProbe(input, { l2Grid: [lambda] });
  assert.ok(Math.abs((r.weights[1]?.[0] as number) - a) < 1e-7, `${r.weights[1]?.[0]} vs ${a}`);
  assert.ok(Math.abs((r.weights[0]?.[0] as number) + a) < 1e-7);
  assert.ok(Math.abs(r.bias[0] as number) < 1e-9 && Math.abs(r.bias[1] as number) < 1e-9);
  assert.equal(r.val.accuracy, 1);
  // val log loss = log(1 + e^{−2a})
  assert.ok(Math.abs(r.val.logLoss - Math.log(1 + Math.exp(-2 * a))) < 1e-9);
});

test('separable three-class problem: perfect test accuracy, diagonal confusion, Wilson interval', () => {
  const input = clusters(
    1,
    [
      [0, 4],
      [-4, -3],
      [4, -3],
    ],
    0.5,
    { train: 40, val: 20, test: 30 },
  );
  const r = trainLinearProbe(input, { seed: 5 });
  assert.equal(r.optimizer.converged, true);
  assert.equal(r.counts.train, 120);
  assert.equal(r.counts.valCarvedFromTrain, false);
  assert.equal(r.test?.accuracy, 1);
  assert.deepEqual(r.test?.confusion, [
    [30, 0, 0],
    [0, 30, 0],
    [0, 0, 30],
  ]);
  assert.deepEqual(Object.keys(r.test?.byTask ?? {}), ['even', 'odd']);
  assert.equal(r.test?.byTask.even?.n, 45);
  // Wilson interval of 90/90: upper 1, lower n/(n + z²) = 90/93.8415 = 0.95906
  assert.ok(Math.abs((r.test?.accuracyCi[0] as number) - 90 / (90 + 1.959963984540054 ** 2)) < 1e-12);
  // the centres are classified as their own class
  assert.equal(probePredict(r, [0, 4]).label, 0);
  assert.equal(probePredict(r, [-4, -3]).label, 1);
  assert.equal(probePredict(r, [4, -3]).label, 2);
  // the L2-penalised softmax optimum has Σ_c W_c = 0 (the penalty removes the shift invariance)
  for (let j = 0; j < r.dim; j++) assert.ok(Math.abs(r.weights.reduce((s, w) => s + (w[j] as number), 0)) < 1e-6);
});

test('deterministic: same input and seed give the same result; the seed only moves a carved validation split', () => {
  const input = clusters(
    2,
    [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ],
    1.2,
    { train: 30, val: 0, test: 10 },
  );
  const a = trainLinearProbe(input, { seed: 1 });
  const b = trainLinearProbe(input, { seed: 1 });
  assert.deepEqual(a, b);
  assert.equal(a.counts.valCarvedFromTrain, true);
  assert.equal(a.counts.val, 18); // round(90 · 0.2)
  const c = trainLinearProbe(input, { seed: 2 });
  assert.notDeepEqual(c.standardizer, a.standardizer); // different train rows
});

test('rejects inconsistent input', () => {
  assert.throws(() => trainLinearProbe({ features: [Float32Array.from([1])], labels: [0, 1], splits: ['train'] }), RangeError);
  assert.throws(
    () => trainLinearProbe({ features: [Float32Array.from([1]), Float32Array.from([2])], labels: [0, 1], splits: ['train', 'val'] }, { l2Grid: [0] }),
    RangeError,
  );
});

const numpy = findNumpyPython();

test('accuracy, log loss and chosen L2 match a numpy Newton solver with the same standardisation and L2', { skip: numpy.python ? false : numpy.reason }, () => {
  // overlapping classes, features on different scales, one constant feature
  const base = clusters(
    3,
    [
      [0, 0, 0, 5],
      [1, 0.5, 0, 5],
      [0, 1, 0.5, 5],
    ],
    0.8,
    { train: 50, val: 25, test: 40 },
  );
  const features = base.features.map((f) => Float32Array.from(f, (v, j) => (j === 0 ? v * 100 : j === 3 ? 5 : v)));
  const input = { ...base, features };
  const grid = [1e-3, 1e-2, 1e-1, 1];
  const r = trainLinearProbe(input, { l2Grid: grid });
  const pick = (split: string) => {
    const idx = input.splits.flatMap((s, i) => (s === split ? [i] : []));
    return { X: idx.map((i) => Array.from(features[i] as Float32Array)), y: idx.map((i) => input.labels[i]) };
  };
  const ref = runReference<{
    grid: { l2: number; valAccuracy: number; valLogLoss: number }[];
    l2: number;
    trainLogLoss: number;
    testAccuracy: number;
    testLogLoss: number;
    weightsClassSum: number;
  }>(numpy.python as string, 'probe_reference.py', { train: pick('train'), val: pick('val'), test: pick('test'), classes: 3, grid });
  assert.equal(r.l2, ref.l2);
  r.grid.forEach((g, i) => {
    assert.equal(g.valAccuracy, ref.grid[i]?.valAccuracy, `val accuracy at λ=${g.l2}`);
    assert.ok(Math.abs(g.valLogLoss - (ref.grid[i]?.valLogLoss as number)) < 1e-7, `val log loss at λ=${g.l2}: ${g.valLogLoss} vs ${ref.grid[i]?.valLogLoss}`);
    assert.equal(g.converged, true);
  });
  assert.equal(r.test?.accuracy, ref.testAccuracy);
  assert.ok(Math.abs((r.test?.logLoss as number) - ref.testLogLoss) < 1e-7, `${r.test?.logLoss} vs ${ref.testLogLoss}`);
  assert.ok(Math.abs(r.train.logLoss - ref.trainLogLoss) < 1e-7);
  assert.ok(r.test !== null && r.test.accuracy > 0.5 && r.test.accuracy < 1, 'the cross-check is on a non-trivial problem');
});
