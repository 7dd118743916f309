import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brierScore, confidenceBin, entropyNats, expectedCalibrationError, letterBias } from '../../../shared/metrics/index.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('Brier score sums over options', () => {
  // [0.5, 0.3, 0.2], correct A: (0.5−1)² + 0.3² + 0.2² = 0.25 + 0.09 + 0.04 = 0.38
  close(brierScore([0.5, 0.3, 0.2], 0), 0.38);
  // same, correct C: 0.5² + 0.3² + (0.2−1)² = 0.25 + 0.09 + 0.64 = 0.98
  close(brierScore([0.5, 0.3, 0.2], 2), 0.98);
  // one-hot right = 0, one-hot wrong = 2
  assert.equal(brierScore([1, 0], 0), 0);
  assert.equal(brierScore([1, 0], 1), 2);
});

test('entropy in nats with 0·ln 0 = 0', () => {
  close(entropyNats([0.5, 0.5]), Math.LN2);
  close(entropyNats([0.25, 0.25, 0.25, 0.25]), Math.log(4));
  assert.equal(entropyNats([1, 0, 0]), 0);
  // [0.5, 0.25, 0.25]: 0.5 ln 2 + 2·0.25 ln 4 = 0.5 ln 2 + ln 2 = 1.5 ln 2
  close(entropyNats([0.5, 0.25, 0.25]), 1.5 * Math.LN2);
});

test('confidence bins are (i/15, (i+1)/15]', () => {
  assert.equal(confidenceBin(1), 14);
  assert.equal(confidenceBin(0.5), 7); // 7.5 → ceil 8 − 1
  assert.equal(confidenceBin(1 / 3), 4); // 5 → 5 − 1: the upper edge belongs to the lower bin
  assert.equal(confidenceBin(0), 0);
});

test('ECE by hand with 15 bins', () => {
  const items = [
    { probs: [0.9, 0.1], correct: 0 }, //        conf 0.90 → 13.5 → bin 13, right
    { probs: [0.92, 0.08], correct: 1 }, //      conf 0.92 → 13.8 → bin 13, wrong
    { probs: [0.95, 0.05], correct: 1 }, //      conf 0.95 → 14.25 → bin 14, wrong
    { probs: [0.62, 0.38], correct: 0 }, //      conf 0.62 → 9.3 → bin 9, right
    { probs: [0.35, 0.2, 0.45], correct: 0 }, // argmax C, conf 0.45 → 6.75 → bin 6, wrong
  ];
  // bin 13: acc 1/2, conf (0.9 + 0.92)/2 = 0.91 → weight 2/5 · |0.5 − 0.91| = 0.4 · 0.41 = 0.164
  // bin 14: 1/5 · |0 − 0.95| = 0.19; bin 9: 1/5 · |1 − 0.62| = 0.076; bin 6: 1/5 · |0 − 0.45| = 0.09
  // ECE = 0.164 + 0.19 + 0.076 + 0.09 = 0.52
  const { ece, reliability } = expectedCalibrationError(items);
  close(ece, 0.52);
  assert.equal(reliability.length, 15);
  assert.deepEqual(
    reliability.map((b) => b.n),
    [0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 2, 1],
  );
  assert.equal(reliability[13]?.accuracy, 0.5);
  close(reliability[13]?.confidence as number, 0.91);
});

test('a perfectly calibrated bin contributes nothing', () => {
  // two items at conf 0.5 (bin 7), one right one wrong: acc 0.5 = conf 0.5 → ECE 0
  close(
    expectedCalibrationError([
      { probs: [0.5, 0.3, 0.2], correct: 0 },
      { probs: [0.5, 0.5], correct: 1 },
    ]).ece,
    0,
  );
});

test('letter bias by hand', () => {
  const items = [
    { probs: [0.6, 0.4], correct: 0 }, //           picks A, right
    { probs: [0.7, 0.3], correct: 1 }, //           picks A, wrong
    { probs: [0.5, 0.2, 0.3], correct: 0 }, //      picks A, right
    { probs: [0.1, 0.2, 0.7], correct: 2 }, //      picks C, right
  ];
  const bias = letterBias(items);
  assert.deepEqual(Object.keys(bias), ['A', 'B', 'C']);
  // A: offered 4, correct in 2 (both picked right) → acc 1; picked 3/4
  assert.deepEqual(bias.A, { nOffered: 4, nCorrect: 2, accWhenCorrect: 1, picks: 3, pickRate: 0.75, correctRate: 0.5 });
  // B: correct once, missed → acc 0; never picked
  assert.deepEqual(bias.B, { nOffered: 4, nCorrect: 1, accWhenCorrect: 0, picks: 0, pickRate: 0, correctRate: 0.25 });
  // C: offered only by the two 3-option items; correct once, right; picked once → 1/2
  assert.deepEqual(bias.C, { nOffered: 2, nCorrect: 1, accWhenCorrect: 1, picks: 1, pickRate: 0.5, correctRate: 0.5 });
});
