import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argmax, probsFromLogits, top1Correct } from '../../../shared/metrics/index.ts';

test('argmax picks the largest probability', () => {
  assert.equal(argmax([0.1, 0.7, 0.2]), 1);
  assert.equal(argmax([0.1, 0.2, 0.3, 0.4]), 3);
});

test('argmax ties go to the lowest index', () => {
  assert.equal(argmax([0.25, 0.25, 0.25, 0.25]), 0);
  assert.equal(argmax([0.1, 0.45, 0.45]), 1);
});

test('top1Correct compares the argmax with the correct index', () => {
  assert.equal(top1Correct([0.1, 0.45, 0.45], 1), 1);
  // the tie goes to B (index 1), so C (index 2) is not the greedy answer
  assert.equal(top1Correct([0.1, 0.45, 0.45], 2), 0);
});

test('probsFromLogits is softmax(z / T)', () => {
  // z = [0, ln 2]: e^0 : e^{ln 2} = 1 : 2 → [1/3, 2/3]
  const p1 = probsFromLogits([0, Math.log(2)], 1);
  assert.ok(Math.abs((p1[0] as number) - 1 / 3) < 1e-15 && Math.abs((p1[1] as number) - 2 / 3) < 1e-15);
  // T = 0.5 doubles the logits: 1 : 4 → [1/5, 4/5]
  const p2 = probsFromLogits([0, Math.log(2)], 0.5);
  assert.ok(Math.abs((p2[0] as number) - 0.2) < 1e-15 && Math.abs((p2[1] as number) - 0.8) < 1e-15);
  // T = 2 halves them: 1 : √2 → [1/(1+√2), √2/(1+√2)]
  const p3 = probsFromLogits([0, Math.log(2)], 2);
  assert.ok(Math.abs((p3[0] as number) - 1 / (1 + Math.SQRT2)) < 1e-15);
  // large logits do not overflow
  const p4 = probsFromLogits([1000, 1000], 1);
  assert.deepEqual(p4, [0.5, 0.5]);
});

test('probsFromLogits rejects a non-positive temperature', () => {
  assert.throws(() => probsFromLogits([0, 1], 0), RangeError);
  assert.throws(() => probsFromLogits([0, 1], -1), RangeError);
});
