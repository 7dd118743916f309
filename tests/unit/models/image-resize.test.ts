import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { resizeBilinear, writePixelValues } from '../../../electron/models/index.ts';

interface GoldenResize {
  width: number;
  height: number;
  channels: 1 | 3;
  outHeight: number;
  outWidth: number;
  data: number[];
  expected: number[];
}
const golden = JSON.parse(readFileSync(new URL('../../fixtures/models/preprocessing-golden.json', import.meta.url), 'utf8')) as { resize: GoldenResize[] };
const TOLERANCE = 1e-6;

test('bilinear resize equals the Python twin used for training (golden file)', () => {
  assert.ok(golden.resize.length >= 3);
  for (const g of golden.resize) {
    const out = resizeBilinear({ width: g.width, height: g.height, channels: g.channels, data: Uint8Array.from(g.data) }, g.outHeight, g.outWidth);
    assert.equal(out.length, g.expected.length);
    let worst = 0;
    out.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (g.expected[i] as number)))));
    assert.ok(worst < TOLERANCE, `${g.width}x${g.height}x${g.channels} -> ${g.outWidth}x${g.outHeight}: max diff ${worst}`);
  }
});

test('same-size resize is the identity and a flat image stays flat', () => {
  const data = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37) % 256);
  assert.deepEqual(Array.from(resizeBilinear({ width: 5, height: 4, channels: 3, data }, 4, 5)), Array.from(data));
  const flat = resizeBilinear({ width: 33, height: 17, channels: 1, data: new Uint8Array(33 * 17).fill(200) }, 64, 64);
  assert.ok(flat.every((v) => Math.abs(v - 200) < 1e-9));
});

test('pixel values: grey replicated to three planes, (x/255 - mean)/std', () => {
  const target = new Float32Array(2 * 3 * 2 * 2).fill(Number.NaN);
  const grey = { width: 2, height: 2, channels: 1 as const, data: Uint8Array.from([0, 255, 51, 102]) };
  writePixelValues(grey, { size: 2, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }, target, 12);
  assert.ok(target.subarray(0, 12).every(Number.isNaN), 'writes only at the offset');
  const expected = [-1, 1, -0.6, -0.2];
  for (let ch = 0; ch < 3; ch++) expected.forEach((e, i) => assert.ok(Math.abs((target[12 + ch * 4 + i] as number) - e) < 1e-6));
  assert.throws(() => resizeBilinear({ width: 3, height: 3, channels: 1, data: new Uint8Array(8) }, 2, 2), RangeError);
});
