import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { computePackId, packIdentityText } from '../../../electron/models/index.ts';

const a = { path: 'b.onnx', sha256: '1'.repeat(64) };
const b = { path: 'a.onnx', sha256: '2'.repeat(64) };

test('pack id is SHA-256 of sorted sha256sum-style lines', () => {
  assert.equal(packIdentityText([a, b]), `${'2'.repeat(64)}  a.onnx\n${'1'.repeat(64)}  b.onnx\n`);
  const expected = createHash('sha256')
    .update(`${'2'.repeat(64)}  a.onnx\n${'1'.repeat(64)}  b.onnx\n`)
    .digest('hex');
  assert.equal(computePackId([a, b]), expected);
});

test('pack id ignores listing order but not content, names or membership', () => {
  const id = computePackId([a, b]);
  assert.equal(computePackId([b, a]), id);
  assert.notEqual(computePackId([a, { ...b, sha256: '3'.repeat(64) }]), id);
  assert.notEqual(computePackId([a, { ...b, path: 'c.onnx' }]), id);
  assert.notEqual(computePackId([a]), id);
});
