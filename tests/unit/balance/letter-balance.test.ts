import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceItems, type BalanceCandidate, type BalanceResult } from '../../../shared/balance/index.ts';
import { item, many } from './make-item.ts';

/** Correct-letter counts per option count for one modality: counts[m][position]. */
function letterCounts(r: BalanceResult, cands: readonly BalanceCandidate[]): Map<number, number[]> {
  const byId = new Map(cands.map((c) => [c.id, c]));
  const out = new Map<number, number[]>();
  for (const x of r.items) {
    const c = byId.get(x.id);
    if (c === undefined || c.correct === null) continue;
    const counts = out.get(c.optionCount) ?? new Array<number>(c.optionCount).fill(0);
    const pos = x.optionOrder.indexOf(c.correct);
    counts[pos] = (counts[pos] as number) + 1;
    out.set(c.optionCount, counts);
  }
  return out;
}

function isPermutation(order: readonly number[], m: number): boolean {
  return order.length === m && [...order].sort((a, b) => a - b).every((v, i) => v === i);
}

test('13 four-option items all answered A in the source → 4/3/3/3 across A–D', () => {
  const cands = many('ct', 13, { correct: 0, optionCount: 4 });
  const r = balanceItems(cands, { seed: 5 });
  const counts = (letterCounts(r, cands).get(4) as number[]).slice().sort((a, b) => b - a);
  assert.deepEqual(counts, [4, 3, 3, 3]);
  for (const x of r.items) {
    assert.ok(isPermutation(x.optionOrder, 4), `${x.id}: ${x.optionOrder}`);
  }
  // The after-table says the same, by letter.
  const after = Object.values(r.counts.after.ct ?? {}).reduce<Record<string, number>>((acc, row) => {
    for (const [k, v] of Object.entries(row)) acc[k] = (acc[k] ?? 0) + v;
    return acc;
  }, {});
  assert.deepEqual(
    Object.values(after).sort((a, b) => b - a),
    [4, 3, 3, 3],
  );
  assert.deepEqual(Object.keys(after).sort(), ['A', 'B', 'C', 'D']);
  // Before: all 13 on A, no split given.
  assert.deepEqual(r.counts.before, { ct: { unassigned: { A: 13 } } });
});

test('the correct option lands where the order says and the other options are shuffled too', () => {
  const cands = many('ct', 40, { correct: 2, optionCount: 5 });
  const r = balanceItems(cands, { seed: 9 });
  const distractorOrders = new Set<string>();
  for (const x of r.items) {
    assert.ok(isPermutation(x.optionOrder, 5));
    distractorOrders.add(x.optionOrder.filter((o) => o !== 2).join(','));
  }
  // 4! = 24 possible distractor orders; identity-only would give 1.
  assert.ok(distractorOrders.size > 5, `only ${distractorOrders.size} distractor orders`);
  assert.deepEqual(letterCounts(r, cands).get(5), [8, 8, 8, 8, 8]);
});

test('mixed option counts: ±1 within each option count, per modality', () => {
  const cands = [
    ...many('ct4', 10, { modality: 'ct', correct: 1, optionCount: 4 }),
    ...many('ct2', 7, { modality: 'ct', correct: 0, optionCount: 2 }),
    ...many('mr3', 8, { modality: 'mri', correct: 2, optionCount: 3 }),
  ];
  const r = balanceItems(cands, { seed: 2 });
  const ct = letterCounts(
    r,
    cands.filter((c) => c.modality === 'ct'),
  );
  assert.deepEqual((ct.get(4) as number[]).slice().sort(), [2, 2, 3, 3]);
  assert.deepEqual((ct.get(2) as number[]).slice().sort(), [3, 4]);
  const mr = letterCounts(
    r,
    cands.filter((c) => c.modality === 'mri'),
  );
  assert.deepEqual((mr.get(3) as number[]).slice().sort(), [2, 3, 3]);
  // The extra of the 2-option group goes to whichever of A, B is rarer after the 4-option group (which runs
  // first), so when that group gave A and B different counts (3 vs 2), A and B end equal: 3+3 = 2+4 = 6.
  let checked = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const rs = balanceItems(cands, { seed });
    const counts = letterCounts(
      rs,
      cands.filter((c) => c.modality === 'ct'),
    );
    const c4 = counts.get(4) as number[];
    const c2 = counts.get(2) as number[];
    if (c4[0] === c4[1]) continue;
    checked++;
    assert.equal((c4[0] as number) + (c2[0] as number), 6, `seed ${seed}`);
    assert.equal((c4[1] as number) + (c2[1] as number), 6, `seed ${seed}`);
  }
  assert.ok(checked > 0, 'no seed produced unequal A/B counts in the 4-option group');
});

test('free-form items get the identity (empty) order; letterBalance: false keeps every order as is', () => {
  const cands = [item({ id: 'f1', kind: 'free-form', correct: null, optionCount: 0 }), ...many('mc', 6, { correct: 0, optionCount: 3 })];
  const r = balanceItems(cands, { seed: 1 });
  assert.deepEqual(r.items.find((x) => x.id === 'f1')?.optionOrder, []);
  const off = balanceItems(cands, { seed: 1, letterBalance: false });
  for (const x of off.items) if (x.id !== 'f1') assert.deepEqual(x.optionOrder, [0, 1, 2]);
  assert.deepEqual(off.counts.after.ct && Object.values(off.counts.after.ct).reduce((n, row) => n + (row.A ?? 0), 0), 6);
});

test('a multiple-choice item without a valid correct index is rejected', () => {
  assert.throws(() => balanceItems([item({ id: 'x', correct: 4, optionCount: 4 })], { seed: 1 }), /item x: correct 4/);
  assert.throws(() => balanceItems([item({ id: 'y', optionCount: 1 })], { seed: 1 }), /item y: optionCount 1/);
});
