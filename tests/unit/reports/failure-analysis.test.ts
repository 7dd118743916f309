// Confusion matrices over answer texts and the most confidently wrong items, by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureAnalysis } from '../../../electron/reports/failure-analysis.ts';

test('per task: confusion over answer texts whatever the option order; errors by confidence', () => {
  const rows = [
    // correct "benign" (shown second), chosen "malignant" at 0.9
    { item: 'a', task: 'breast', question: 'q', options: ['malignant', 'benign'], correct: 1, probs: [0.9, 0.1], thumb: 'h1' },
    // correct "benign" (shown first), chosen "benign"
    { item: 'b', task: 'breast', question: 'q', options: ['benign', 'malignant'], correct: 0, probs: [0.6, 0.4], thumb: null },
    // correct "malignant", chosen "benign" at 0.7
    { item: 'c', task: 'breast', question: 'q', options: ['benign', 'malignant'], correct: 1, probs: [0.7, 0.3], thumb: null },
    // another task: right
    { item: 'd', task: 'cells', question: 'which cell?', options: ['eosinophil', 'basophil', 'platelet'], correct: 2, probs: [0.1, 0.2, 0.7], thumb: null },
  ];
  const f = failureAnalysis(rows);
  assert.deepEqual(Object.keys(f), ['breast', 'cells']);
  assert.deepEqual(f.breast!.classes, ['benign', 'malignant']);
  // rows: correct benign / malignant; columns: chosen benign / malignant
  assert.deepEqual(f.breast!.confusion, [
    [1, 1],
    [1, 0],
  ]);
  assert.deepEqual([f.breast!.n, f.breast!.wrong], [3, 2]);
  assert.deepEqual(
    f.breast!.worst.map((w) => [w.item, w.correct, w.chosen, w.confidence, w.thumb]),
    [
      ['a', 'benign', 'malignant', 0.9, 'h1'],
      ['c', 'malignant', 'benign', 0.7, null],
    ],
  );
  assert.deepEqual(f.cells!.classes, ['platelet'], 'only answers that occur as correct or chosen');
  assert.deepEqual(f.cells!.confusion, [[1]]);
  assert.equal(f.cells!.worst.length, 0);
  assert.equal(failureAnalysis(rows, 1).breast!.worst.length, 1);
});
