import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoPatientLeakage, balanceItems } from '../../../shared/balance/index.ts';
import type { Split } from '../../../shared/items.ts';
import { countBy, item, many } from './make-item.ts';

function patientSplits(r: { items: { id: string; split: Split }[] }, patientOf: Map<string, string | null>): Map<string, Set<Split>> {
  const out = new Map<string, Set<Split>>();
  for (const x of r.items) {
    const p = patientOf.get(x.id);
    if (p === null || p === undefined) continue;
    const s = out.get(p) ?? new Set<Split>();
    s.add(x.split);
    out.set(p, s);
  }
  return out;
}

test('patient-random: whole patients, exact 50/25/25 of 40 items, and the assignment depends on the seed', () => {
  const cands = [...Array.from({ length: 10 }, (_, p) => many(`p${p}`, 2, { patient: `P${p}` })).flat(), ...many('solo', 20)];
  const patientOf = new Map(cands.map((c) => [c.id, c.patient]));
  const spec = { seed: 11, split: { mode: 'patient-random' as const, ratios: { train: 0.5, val: 0.25, test: 0.25 } } };
  const r = balanceItems(cands, spec);
  assert.deepEqual(
    countBy(r.items, (x) => x.split),
    { train: 20, val: 10, test: 10 },
  );
  for (const [p, splits] of patientSplits(r, patientOf)) assert.equal(splits.size, 1, `patient ${p} in ${[...splits]}`);
  const other = balanceItems(cands, { ...spec, seed: 12 });
  assert.notDeepEqual(
    other.items.map((x) => x.split),
    r.items.map((x) => x.split),
  );
});

test('patient-random keeps every split close to the ratios within each modality', () => {
  const cands = [...many('ct', 50, { modality: 'ct' }), ...many('mr', 30, { modality: 'mri' })];
  const r = balanceItems(cands, { seed: 3 });
  // 0.8/0.1/0.1 of 50 = 40/5/5 and of 30 = 24/3/3
  assert.deepEqual(
    countBy(r.items, (x) => `${x.id.slice(0, 2)}:${x.split}`),
    { 'ct:train': 40, 'ct:val': 5, 'ct:test': 5, 'mr:train': 24, 'mr:val': 3, 'mr:test': 3 },
  );
});

test('a zero ratio gets no items', () => {
  const r = balanceItems(many('ct', 30), { seed: 3, split: { ratios: { train: 0.7, val: 0, test: 0.3 } } });
  assert.deepEqual(
    countBy(r.items, (x) => x.split),
    { train: 21, test: 9 },
  );
});

test('source mode keeps source splits, moves a patient split across train and test wholly to test, fills the rest randomly', () => {
  const cands = [
    item({ id: 'a1', sourceSplit: 'train' }),
    item({ id: 'a2', sourceSplit: 'val' }),
    item({ id: 'b1', patient: 'B', sourceSplit: 'train' }),
    item({ id: 'b2', patient: 'B', sourceSplit: 'test' }),
    item({ id: 'b3', patient: 'B', sourceSplit: null }),
    item({ id: 'c1', patient: 'C', sourceSplit: null }),
    item({ id: 'c2', patient: 'C', sourceSplit: 'val' }),
    ...many('free', 10, { sourceSplit: null }),
  ];
  const r = balanceItems(cands, { seed: 4, split: { mode: 'source' } });
  const split = new Map(r.items.map((x) => [x.id, x.split]));
  assert.deepEqual(
    ['a1', 'a2', 'b1', 'b2', 'b3', 'c1', 'c2'].map((id) => split.get(id)),
    ['train', 'val', 'test', 'test', 'test', 'val', 'val'],
  );
  // The 10 without a source split: 0.8/0.1/0.1 → 8/1/1
  assert.deepEqual(
    countBy(
      r.items.filter((x) => x.id.startsWith('free')),
      (x) => x.split,
    ),
    { train: 8, val: 1, test: 1 },
  );
  assert.ok(
    r.notes.some((n) => n.startsWith('split: 1 patient/picture groups had items in several source splits')),
    r.notes.join('\n'),
  );
});

test('items showing the same picture with different questions share a split', () => {
  const cands = Array.from({ length: 30 }, (_, i) => item({ id: `q${String(i).padStart(2, '0')}`, imageHash: `img${i % 6}`, question: `question ${i}` }));
  for (let seed = 1; seed <= 5; seed++) {
    const r = balanceItems(cands, { seed });
    const byImage = new Map<string, Set<string>>();
    for (const x of r.items) {
      const img = `img${Number(x.id.slice(1)) % 6}`;
      byImage.set(img, (byImage.get(img) ?? new Set()).add(x.split));
    }
    for (const [img, s] of byImage) assert.equal(s.size, 1, `seed ${seed}: ${img} in ${[...s]}`);
  }
});

test('assertNoPatientLeakage throws on a patient in two splits', () => {
  const items = [item({ id: 'x', patient: 'P' }), item({ id: 'y', patient: 'P' })];
  assert.throws(
    () =>
      assertNoPatientLeakage(
        items,
        new Map<string, Split>([
          ['x', 'train'],
          ['y', 'test'],
        ]),
      ),
    /patient P appears in both train and test/,
  );
  assert.doesNotThrow(() =>
    assertNoPatientLeakage(
      items,
      new Map<string, Split>([
        ['x', 'val'],
        ['y', 'val'],
      ]),
    ),
  );
});

test('split ratios must sum to 1', () => {
  assert.throws(() => balanceItems(many('ct', 3), { seed: 1, split: { ratios: { train: 0.5, val: 0.1, test: 0.1 } } }), /sum to 1/);
});
