// The transfer report of a run: Δ per regime on the same items, and whether the run kept any update (a run rolled
// back to step 0 compares its start with itself: "no update kept", not a measured zero).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransferParams } from '../../../shared/api/training.ts';
import { transferReport } from '../../../electron/jobs/host/train.ts';
import type { ItemProbs } from '../../../electron/training/train-loop.ts';

const params = TransferParams.parse({ pack: 'a'.repeat(64), version: 'dv-1', train: { tasks: ['t1'] }, config: { passK: 2, bootstrap: 50 } });
const item = (i: number, task: string, modality: string, p: number): ItemProbs => ({
  item: `i${i}`,
  split: 'test',
  task,
  modality,
  probs: [p, 1 - p],
  correct: 0,
});
const before = [0, 1, 2, 3].map((i) => item(i, i < 2 ? 't1' : 't2', i < 2 ? 'us' : 'ct', 0.4));

test('a run that changed its adapter: Δ Accuracy@1 per regime, keptStep recorded, an update kept', () => {
  const after = before.map((r) => ({ ...r, probs: [0.7, 0.3] }));
  const r = transferReport(params, before, after, 40);
  assert.equal(r.noUpdateKept, false);
  assert.equal(r.keptStep, 40);
  assert.deepEqual(
    r.cells.map((c) => [c.regime, c.deltaAcc1]),
    [
      ['in-domain', 1],
      ['cross-modality', 1],
    ],
  );
  assert.deepEqual(r.missing, ['within-modality']);
});

test('a run rolled back to step 0: noUpdateKept, whatever its cells say', () => {
  const r = transferReport(params, before, before, 0);
  assert.equal(r.noUpdateKept, true);
  assert.equal(r.keptStep, 0);
  assert.ok(
    r.cells.every((c) => c.deltaAcc1 === 0),
    'its cells compare the start with itself',
  );
});
