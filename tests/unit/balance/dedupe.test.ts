import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceItems, dedupe, hamming64, nearNeighbours, parsePhash, type Phash64 } from '../../../shared/balance/index.ts';
import { createRng } from '../../../shared/random.ts';
import { item } from './make-item.ts';

test('Hamming distance of hand-picked hashes, across the 32-bit halves', () => {
  assert.equal(hamming64(parsePhash('0000000000000000'), parsePhash('000000000000000f')), 4);
  assert.equal(hamming64(parsePhash('ffffffff00000000'), parsePhash('fffffffe00000001')), 2);
  assert.equal(hamming64(parsePhash('0000000000000000'), parsePhash('ffffffffffffffff')), 64);
  assert.equal(hamming64(parsePhash('8000000000000001'), parsePhash('0000000100000000')), 3);
  assert.throws(() => parsePhash('123'), /16 hex digits/);
});

test('exact duplicates: same image and same question (case and spacing ignored); the smaller id is kept', () => {
  const r = dedupe(
    [
      item({ id: 'b', imageHash: 'h1', question: 'Is this  a CT?' }),
      item({ id: 'a', imageHash: 'h1', question: 'is this a ct?' }),
      item({ id: 'c', imageHash: 'h1', question: 'Which organ is shown?' }),
      item({ id: 'd', imageHash: null, question: 'is this a ct?' }),
    ],
    4,
  );
  assert.deepEqual(r.removed, [{ id: 'b', reason: 'exact-duplicate', duplicateOf: 'a' }]);
  assert.deepEqual(
    r.kept.map((c) => c.id),
    ['a', 'c', 'd'],
  );
  // Same picture, different question: kept, but linked so they share a split.
  assert.deepEqual(r.sameImage, [['a', 'c']]);
});

test('near duplicates: distance 4 is removed at the default radius 4, distance 5 is not; radius 3 keeps both', () => {
  const q = 'What is shown?';
  const cands = [
    item({ id: 'a', phash: '0000000000000000', question: q }),
    item({ id: 'b', phash: '000000000000000f', question: q }), // 4 bits from a
    item({ id: 'c', phash: '00000000000001f0', question: q }), // 5 bits from a, 9 from b
    item({ id: 'd', phash: '000000000000000F', question: 'Another question?' }), // b's picture, other question
  ];
  const r4 = dedupe(cands, 4);
  assert.deepEqual(r4.removed, [{ id: 'b', reason: 'near-duplicate', duplicateOf: 'a' }]);
  assert.deepEqual(
    r4.kept.map((c) => c.id),
    ['a', 'c', 'd'],
  );
  // d is within 4 bits of a: kept (different question) and linked to a.
  assert.deepEqual(r4.sameImage, [['a', 'd']]);
  const r3 = dedupe(cands, 3);
  assert.equal(r3.removed.length, 0);
});

test('greedy in id order: a chain a–b–c (4 bits apart, 8 from end to end) keeps a and c', () => {
  const q = 'same';
  const r = dedupe(
    [
      item({ id: 'a', phash: '0000000000000000', question: q }),
      item({ id: 'b', phash: '000000000000000f', question: q }),
      item({ id: 'c', phash: '00000000000000ff', question: q }),
    ],
    4,
  );
  assert.deepEqual(
    r.removed.map((x) => x.id),
    ['b'],
  );
  assert.deepEqual(
    r.kept.map((x) => x.id),
    ['a', 'c'],
  );
});

test('banded neighbour search finds exactly the pairs a brute-force scan finds', () => {
  const rng = createRng(7);
  const hashes: Phash64[] = [];
  for (let i = 0; i < 1500; i++) {
    if (i > 0 && rng.next() < 0.3) {
      // a near copy: flip 1–7 random bits of an earlier hash
      const base = hashes[rng.int(hashes.length)] as Phash64;
      let { hi, lo } = base;
      const flips = 1 + rng.int(7);
      for (let f = 0; f < flips; f++) {
        const bit = rng.int(64);
        if (bit < 32) hi = (hi ^ (1 << bit)) >>> 0;
        else lo = (lo ^ (1 << (bit - 32))) >>> 0;
      }
      hashes.push({ hi, lo });
    } else hashes.push({ hi: rng.int(2 ** 32), lo: rng.int(2 ** 32) });
  }
  for (const radius of [1, 4, 6]) {
    const banded = nearNeighbours(hashes, radius);
    let pairs = 0;
    for (let i = 0; i < hashes.length; i++) {
      const brute: number[] = [];
      for (let j = 0; j < hashes.length; j++) {
        if (j !== i && hamming64(hashes[i] as Phash64, hashes[j] as Phash64) <= radius) brute.push(j);
      }
      pairs += brute.length;
      assert.deepEqual(banded[i], brute, `radius ${radius}, hash ${i}`);
    }
    assert.ok(pairs > 0, `radius ${radius}: the test data must contain near pairs`);
  }
});

test('balanceItems reports duplicates with their reason and removes an excluded copy before deduplication', () => {
  const cands = [
    item({ id: 'a-none', modality: 'none', imageHash: 'h', question: 'q' }),
    item({ id: 'b-ct', modality: 'ct', imageHash: 'h', question: 'q' }),
    item({ id: 'c-ct', modality: 'ct', imageHash: 'h', question: 'q' }),
    item({ id: 'd-ct', modality: 'ct', phash: 'ffffffffffffffff', question: 'q2' }),
    item({ id: 'e-ct', modality: 'ct', phash: 'fffffffffffffffe', question: 'q2' }),
  ];
  const r = balanceItems(cands, { seed: 1 });
  assert.deepEqual(
    r.items.map((x) => x.id),
    ['b-ct', 'd-ct'],
  );
  assert.deepEqual(r.removed, [
    { id: 'a-none', reason: 'excluded-modality' },
    { id: 'c-ct', reason: 'exact-duplicate', duplicateOf: 'b-ct' },
    { id: 'e-ct', reason: 'near-duplicate', duplicateOf: 'd-ct' },
  ]);
  assert.ok(r.notes.includes('dedupe: 2 duplicates removed (1 exact, 1 near)'));
});

test('a malformed phash is reported with the item id', () => {
  assert.throws(() => balanceItems([item({ id: 'bad', phash: 'xyz' })], { seed: 1 }), /item bad: phash/);
});
