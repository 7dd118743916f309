import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceItems, type BalanceSpecInput } from '../../../shared/balance/index.ts';
import { checkInvariants } from './invariants.ts';
import { randomCandidates } from './random-candidates.ts';

const SEEDS = [1, 2, 3, 4, 5];

for (const seed of SEEDS) {
  test(`2,000 random items (seed ${seed}): every invariant holds and the result is reproducible`, () => {
    const cands = randomCandidates({ n: 2000, seed, modalities: ['ct', 'mri', 'x-ray', 'ultrasound', 'none'], duplicateFraction: 0.08, maxPerPatient: 5 });
    const spec: BalanceSpecInput = {
      seed: seed * 101,
      total: 1200,
      split: { mode: seed % 2 === 0 ? 'source' : 'patient-random' },
    };
    const r = balanceItems(cands, spec);
    checkInvariants(cands, r, spec, { bruteForceNear: true });
    assert.ok(
      r.removed.some((x) => x.reason === 'near-duplicate'),
      'the data must contain near duplicates',
    );
    assert.ok(
      r.removed.some((x) => x.reason === 'exact-duplicate'),
      'the data must contain exact duplicates',
    );
    assert.ok(r.removed.some((x) => x.reason === 'over-quota'));
    assert.deepEqual(balanceItems(cands, spec), r);
    if (spec.split?.mode === 'patient-random') {
      // Whole groups of ≤ 5 items (plus picture links) per modality: each split within 2% + 10 items of its ratio.
      const n = r.items.length;
      const expected = { train: 0.8 * n, val: 0.1 * n, test: 0.1 * n };
      for (const s of ['train', 'val', 'test'] as const) {
        const got = r.items.filter((x) => x.split === s).length;
        assert.ok(Math.abs(got - expected[s]) <= 0.02 * n + 10, `${s}: ${got} vs ${expected[s]}`);
      }
    }
  });
}

test('random inputs with letterBalance off, explicit quotas and radius 8 still keep the other invariants', () => {
  const cands = randomCandidates({ n: 2000, seed: 77, modalities: ['ct', 'mri', 'pathology'], duplicateFraction: 0.05 });
  const spec: BalanceSpecInput = { seed: 1, quotas: { ct: 300, mri: 5000, pathology: 10 }, letterBalance: false, dedupe: { exact: true, nearHammingMax: 8 } };
  const r = balanceItems(cands, spec);
  checkInvariants(cands, r, spec, { bruteForceNear: true });
  const mod = new Map(cands.map((c) => [c.id, c.modality]));
  const ct = r.items.filter((x) => mod.get(x.id) === 'ct').length;
  assert.equal(ct, 300);
  assert.equal(r.items.filter((x) => mod.get(x.id) === 'pathology').length, 10);
});
