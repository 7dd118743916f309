import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../../shared/canonical-json.ts';

test('canonical JSON sorts keys at every depth and drops whitespace', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } }), '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
});

test('canonical JSON omits undefined members, keeps null, normalises -0', () => {
  assert.equal(canonicalJson({ a: undefined, b: null, c: -0 }), '{"b":null,"c":0}');
});

test('canonical JSON rejects values that have no JSON form', () => {
  assert.throws(() => canonicalJson({ a: Number.NaN }), /non-finite number at \$\.a/);
  assert.throws(() => canonicalJson({ a: Infinity }), /non-finite/);
  assert.throws(() => canonicalJson({ f: () => 1 }), /unsupported function/);
});

test('canonical JSON escapes strings exactly as JSON.stringify', () => {
  const s = 'quote " backslash \\ newline \n unicode é \u0001';
  assert.equal(canonicalJson(s), JSON.stringify(s));
});
