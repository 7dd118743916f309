import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectWithinBudget, type BudgetItem } from '../../../shared/recipe/label-budget.ts';

const item = (item: string, task: string, answer: string): BudgetItem => ({ item, task, answer });

test('answers taken in turn: 3 × "x" and 1 × "y", budget 3 → the one "y" and two of the "x"', () => {
  const items = [item('a1', 't', 'x'), item('a2', 't', 'x'), item('a3', 't', 'x'), item('a4', 't', 'y')];
  const kept = selectWithinBudget(items, 3, 7);
  assert.equal(kept.size, 3);
  assert.ok(kept.has('a4'));
  assert.equal([...kept].filter((id) => id !== 'a4').length, 2);
});

test('budget 1 takes one item of the first answer in code-point order ("x" before "y")', () => {
  const kept = selectWithinBudget([item('b', 't', 'y'), item('a', 't', 'x')], 1, 1);
  assert.deepEqual([...kept], ['a']);
});

test('a task with no more items than the budget keeps them all; tasks are budgeted separately', () => {
  const items = [item('a', 't1', 'x'), item('b', 't1', 'y'), ...Array.from({ length: 10 }, (_, i) => item(`c${i}`, 't2', i % 2 ? 'p' : 'q'))];
  const kept = selectWithinBudget(items, 4, 3);
  assert.ok(kept.has('a') && kept.has('b'));
  const t2 = [...kept].filter((id) => id.startsWith('c'));
  assert.equal(t2.length, 4);
  // two answers taken in turn: 2 × p (odd), 2 × q (even)
  assert.equal(t2.filter((id) => Number(id.slice(1)) % 2 === 1).length, 2);
});

test('a rare answer is not crowded out: 90 × "x", 10 × "y", budget 20 → 10 and 10', () => {
  const items = Array.from({ length: 100 }, (_, i) => item(`i${String(i).padStart(3, '0')}`, 't', i < 90 ? 'x' : 'y'));
  const kept = selectWithinBudget(items, 20, 11);
  assert.equal([...kept].filter((id) => Number(id.slice(1)) >= 90).length, 10);
  assert.equal(kept.size, 20);
});

test('the draw depends on the seed, not on the input order', () => {
  const items = Array.from({ length: 60 }, (_, i) => item(`i${i}`, 't', ['x', 'y', 'z'][i % 3] as string));
  const a = [...selectWithinBudget(items, 9, 5)].sort();
  const b = [...selectWithinBudget(items.slice().reverse(), 9, 5)].sort();
  assert.deepEqual(a, b);
  const seeds = [6, 7, 8, 9].map((s) => [...selectWithinBudget(items, 9, s)].sort().join(','));
  assert.ok(
    seeds.some((s) => s !== a.join(',')),
    'another seed draws another subset',
  );
});

test('a budget below 1 or not whole is refused', () => {
  assert.throws(() => selectWithinBudget([], 0, 1), RangeError);
  assert.throws(() => selectWithinBudget([], 2.5, 1), RangeError);
});
