import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceItems, dedupe } from '../../../shared/balance/index.ts';
import { checkInvariants } from './invariants.ts';
import { randomCandidates } from './random-candidates.ts';

test('20,000 items: dedupe and the whole balance run complete and keep every invariant (timing reported, not asserted)', (t) => {
  const cands = randomCandidates({ n: 20000, seed: 2026, modalities: ['ct', 'mri', 'x-ray', 'fundus', 'pathology', 'none'], duplicateFraction: 0.05 });
  const t0 = performance.now();
  const d = dedupe(
    cands.filter((c) => c.modality !== 'none'),
    4,
  );
  const t1 = performance.now();
  const spec = { seed: 9 };
  const r = balanceItems(cands, spec);
  const t2 = performance.now();
  t.diagnostic(`dedupe of ${cands.length} items: ${(t1 - t0).toFixed(0)} ms; full balance: ${(t2 - t1).toFixed(0)} ms`);
  assert.ok(d.removed.length > 500, `planted duplicates found: ${d.removed.length}`);
  assert.equal(r.items.length, 8000);
  checkInvariants(cands, r, spec, { bruteForceNear: false });
});
