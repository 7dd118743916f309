import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseItemResultLines } from '../../../shared/metrics/index.ts';

const LINE = '{"item":"q1","probs":[0.25,0.75],"correct":1,"modality":"ct","task":"organ","split":"test"}';

test('JSON lines of the diagnosis dump parse, blank lines skipped', () => {
  const items = parseItemResultLines(`${LINE}\n\n${LINE.replace('q1', 'q2')}\r\n`);
  assert.deepEqual(
    items.map((r) => r.item),
    ['q1', 'q2'],
  );
  assert.deepEqual(items[0]?.probs, [0.25, 0.75]);
});

test('bad lines are named by line number and reason', () => {
  assert.throws(() => parseItemResultLines(`${LINE}\n{oops`), /line 2: not JSON/);
  assert.throws(() => parseItemResultLines(LINE.replace('0.75', '0.7')), /line 1: probs: must sum to 1/);
  assert.throws(() => parseItemResultLines(LINE.replace('"correct":1', '"correct":2')), /line 1: correct/);
  assert.throws(() => parseItemResultLines(LINE.replace('[0.25,0.75]', '[1]')), /line 1: probs: needs 2–26 options/);
  assert.throws(() => parseItemResultLines(LINE.replace('"split":"test"', '"split":""')), /line 1: split/);
});

test('free-form items need samples with c ≤ n and greedy correctness', () => {
  const ff = '{"item":"f","probs":[],"correct":null,"modality":"ct","task":"t","split":"val","samples":{"n":4,"c":2},"greedyCorrect":false}';
  assert.equal(parseItemResultLines(ff)[0]?.samples?.n, 4);
  assert.throws(() => parseItemResultLines(ff.replace('"c":2', '"c":5')), /c must be ≤ n/);
  assert.throws(() => parseItemResultLines(ff.replace(',"greedyCorrect":false', '')), /greedyCorrect/);
  assert.throws(() => parseItemResultLines(ff.replace(',"samples":{"n":4,"c":2}', '')), /needs option probabilities or samples/);
});
