import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceItems, VERSION_MANIFEST_FORMAT, versionManifest } from '../../../shared/balance/index.ts';
import { randomCandidates } from './random-candidates.ts';

const cands = randomCandidates({ n: 300, seed: 21, modalities: ['ct', 'mri', 'x-ray'], duplicateFraction: 0.05 });

test('same candidates and seed → the same manifest string, whatever the input order', () => {
  const spec = { seed: 5, total: 150 };
  const a = versionManifest(balanceItems(cands, spec), spec);
  const reversed = cands.slice().reverse();
  const b = versionManifest(balanceItems(reversed, spec), spec);
  assert.equal(a, b);
});

test('a different seed changes the manifest; so does a different spec with the same selection', () => {
  const a = versionManifest(balanceItems(cands, { seed: 5, total: 150 }), { seed: 5, total: 150 });
  const b = versionManifest(balanceItems(cands, { seed: 6, total: 150 }), { seed: 6, total: 150 });
  assert.notEqual(a, b);
  const r = balanceItems(cands, { seed: 5, total: 150 });
  assert.notEqual(versionManifest(r, { seed: 5, total: 150 }), versionManifest(r, { seed: 5, total: 150, sources: ['ds-1'] }));
});

test('the manifest is canonical JSON of the sorted selection and the resolved spec', () => {
  const r = {
    items: [
      { id: 'b', split: 'val' as const, optionOrder: [1, 0] },
      { id: 'a', split: 'train' as const, optionOrder: [] },
    ],
  };
  const s = versionManifest(r, { seed: 3 });
  assert.equal(
    s,
    `{"format":"${VERSION_MANIFEST_FORMAT}","items":[{"id":"a","optionOrder":[],"split":"train"},{"id":"b","optionOrder":[1,0],"split":"val"}],` +
      '"spec":{"dedupe":{"exact":true,"nearHammingMax":4},"excludeModalities":["none"],"letterBalance":true,"quotas":"equal",' +
      '"redistributeLeftover":false,"seed":3,"split":{"mode":"patient-random","ratios":{"test":0.1,"train":0.8,"val":0.1}},"total":8000}}',
  );
});
