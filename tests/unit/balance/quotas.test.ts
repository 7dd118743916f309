import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceItems, type BalanceCandidate } from '../../../shared/balance/index.ts';
import { countBy, many } from './make-item.ts';

const modalityOf = (cands: BalanceCandidate[]) => {
  const byId = new Map(cands.map((c) => [c.id, c.modality]));
  return (x: { id: string }) => byId.get(x.id) as string;
};

test('equal quotas: total ÷ 3, a short modality keeps all it has and the shortfall is not redistributed', () => {
  const cands = [...many('ct', 10, { modality: 'ct' }), ...many('mri', 10, { modality: 'mri' }), ...many('xr', 3, { modality: 'x-ray' })];
  const r = balanceItems(cands, { total: 12, seed: 1 });
  // 12 / 3 = 4 each; x-ray has 3 → 4 + 4 + 3 = 11
  assert.deepEqual(countBy(r.items, modalityOf(cands)), { ct: 4, mri: 4, 'x-ray': 3 });
  assert.ok(r.notes.includes('x-ray: asked 4, only 3 available'), r.notes.join('\n'));
  assert.ok(r.notes.includes('total: asked 12, selected 11 (shortfall not redistributed)'), r.notes.join('\n'));
  assert.equal(r.removed.filter((x) => x.reason === 'over-quota').length, 12);
});

test('equal quotas: the remainder goes one each to the modalities with the most items', () => {
  const cands = [...many('ct', 10, { modality: 'ct' }), ...many('mri', 8, { modality: 'mri' }), ...many('xr', 9, { modality: 'x-ray' })];
  // 10 / 3 = 3 rem 1 → ct (10 items, the most) gets 4
  const r = balanceItems(cands, { total: 10, seed: 1 });
  assert.deepEqual(countBy(r.items, modalityOf(cands)), { ct: 4, mri: 3, 'x-ray': 3 });
  // 8000 / 3 → 2667, 2667, 2666 (the brief's example numbers)
  const big = balanceItems(cands, { seed: 1 });
  assert.deepEqual(big.notes.slice(0, 3), ['ct: asked 2667, only 10 available', 'mri: asked 2666, only 8 available', 'x-ray: asked 2667, only 9 available']);
});

test('redistributeLeftover water-fills the shortfall over modalities that still have items', () => {
  const cands = [...many('ct', 10, { modality: 'ct' }), ...many('mri', 10, { modality: 'mri' }), ...many('xr', 3, { modality: 'x-ray' })];
  // share 4; x-ray capped at 3; 9 left over ct and mri → 4 each + 1 to ct (tie on items, then name)
  const r = balanceItems(cands, { total: 12, seed: 1, redistributeLeftover: true });
  assert.deepEqual(countBy(r.items, modalityOf(cands)), { ct: 5, mri: 4, 'x-ray': 3 });
  assert.equal(r.items.length, 12);
});

test('explicit quotas: capped with a note; a modality without a quota is left out', () => {
  const cands = [...many('ct', 10, { modality: 'ct' }), ...many('mri', 5, { modality: 'mri' }), ...many('xr', 4, { modality: 'x-ray' })];
  const r = balanceItems(cands, { quotas: { ct: 2, mri: 50 }, seed: 1 });
  assert.deepEqual(countBy(r.items, modalityOf(cands)), { ct: 2, mri: 5 });
  assert.ok(r.notes.includes('mri: asked 50, only 5 available'));
  assert.ok(r.notes.includes('x-ray: no quota given, 4 items left out'));
});

test("'none' is excluded by default and does not count as a modality for the equal share", () => {
  const cands = [...many('ct', 10, { modality: 'ct' }), ...many('unk', 10, { modality: 'none' })];
  const r = balanceItems(cands, { total: 10, seed: 1 });
  assert.equal(r.items.length, 10);
  assert.ok(r.items.every((x) => x.id.startsWith('ct-')));
  assert.deepEqual(
    countBy(r.removed, (x) => x.reason),
    { 'excluded-modality': 10 },
  );
  const kept = balanceItems(cands, { total: 10, seed: 1, excludeModalities: [] });
  assert.deepEqual(countBy(kept.items, modalityOf(cands)), { ct: 5, none: 5 });
});

test('selection keeps patients whole when the quota can be met with whole patients', () => {
  // patients A (3), B (3), C (2); quota 5: any shuffled order takes one 3-group and the 2-group.
  const cands = [...many('a', 3, { patient: 'A' }), ...many('b', 3, { patient: 'B' }), ...many('c', 2, { patient: 'C' })];
  for (let seed = 1; seed <= 20; seed++) {
    const r = balanceItems(cands, { quotas: { ct: 5 }, seed });
    const chosen = countBy(r.items, (x) => x.id.slice(0, 1));
    assert.equal(r.items.length, 5);
    assert.equal(chosen.c, 2, `seed ${seed}`);
    assert.ok(chosen.a === 3 || chosen.b === 3, `seed ${seed}: ${JSON.stringify(chosen)}`);
  }
});

test('when no whole patient fits, exactly one patient is cut and the quota is met', () => {
  const cands = [...many('a', 3, { patient: 'A' }), ...many('b', 3, { patient: 'B' })];
  for (let seed = 1; seed <= 10; seed++) {
    const r = balanceItems(cands, { quotas: { ct: 4 }, seed });
    const chosen = Object.values(countBy(r.items, (x) => x.id.slice(0, 1))).sort();
    assert.deepEqual(chosen, [1, 3], `seed ${seed}`);
  }
});
