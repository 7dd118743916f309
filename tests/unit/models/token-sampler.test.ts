import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../shared/random.ts';
import { multipleChoiceText, optionLetters, optionProbabilities, sampleToken } from '../../../electron/models/index.ts';

const logits = Float32Array.from([1, 3, 2, -1]);

test('option probabilities sum to 1, follow the logits and flatten with temperature', () => {
  const p = optionProbabilities(logits);
  assert.ok(Math.abs(p.reduce((s, x) => s + x, 0) - 1) < 1e-12);
  assert.ok(p[1]! > p[2]! && p[2]! > p[0]! && p[0]! > p[3]!);
  const hot = optionProbabilities(logits, 10);
  assert.ok(hot[1]! < p[1]!);
  assert.throws(() => optionProbabilities(logits, 0), RangeError);
});

test('temperature 0 is argmax; a tiny top-p keeps only the most likely token', () => {
  const rng = createRng(1);
  assert.equal(sampleToken(logits, { temperature: 0, topP: 1 }, rng), 1);
  for (let i = 0; i < 50; i++) assert.equal(sampleToken(logits, { temperature: 1, topP: 0.01 }, rng), 1);
});

test('sampling is seeded and its frequencies follow softmax(logits / T)', () => {
  const draw = (seed: number): number[] => {
    const r = createRng(seed);
    return Array.from({ length: 20 }, () => sampleToken(logits, { temperature: 1, topP: 1 }, r));
  };
  assert.deepEqual(draw(5), draw(5));
  assert.notDeepEqual(draw(5), draw(6));
  const rng = createRng(99);
  const n = 20000;
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) counts[sampleToken(logits, { temperature: 1, topP: 1 }, rng)]!++;
  const p = optionProbabilities(logits);
  counts.forEach((c, i) => assert.ok(Math.abs(c / n - p[i]!) < 0.015, `token ${i}: ${c / n} vs ${p[i]}`));
});

test('multiple-choice prompt text: question, lettered options, instruction', () => {
  assert.deepEqual(optionLetters(3), ['A', 'B', 'C']);
  assert.equal(multipleChoiceText(' Which? ', ['normal', 'pneumonia']), 'Which?\nA. normal\nB. pneumonia\nAnswer with the letter.');
  assert.throws(() => optionLetters(1), RangeError);
  assert.throws(() => optionLetters(27), RangeError);
});
