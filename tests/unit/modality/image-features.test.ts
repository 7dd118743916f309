import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cheapImageFeatures, IMAGE_FEATURE_LENGTH, IMAGE_FEATURE_NAMES } from '../../../shared/modality/index.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const at = (f: Float64Array, name: string) => f[IMAGE_FEATURE_NAMES.indexOf(name)] as number;

test('2×2 grey checkerboard: thumbnail blocks, histogram, moments, no colour, no interior', () => {
  // pixels [0, 255; 255, 0]
  const f = cheapImageFeatures({ width: 2, height: 2, channels: 1, data: Uint8Array.from([0, 255, 255, 0]) });
  assert.equal(f.length, IMAGE_FEATURE_LENGTH);
  assert.equal(IMAGE_FEATURE_LENGTH, 64 + 16 + 6 + 3);
  // 8×8 thumbnail of a 2×2 image: each source pixel covers a 4×4 block
  close(at(f, 'thumb_0_0'), 0);
  close(at(f, 'thumb_0_7'), 1);
  close(at(f, 'thumb_7_0'), 1);
  close(at(f, 'thumb_3_3'), 0);
  close(at(f, 'thumb_4_4'), 0);
  close(at(f, 'hist_0'), 0.5);
  close(at(f, 'hist_15'), 0.5);
  close(at(f, 'hist_8'), 0);
  for (const c of ['r', 'g', 'b']) {
    close(at(f, `mean_${c}`), 0.5); // 127.5 / 255
    close(at(f, `std_${c}`), 0.5); // population std 127.5 / 255
  }
  close(at(f, 'colourfulness'), 0);
  close(at(f, 'edge_density'), 0);
  close(at(f, 'log_aspect'), 0);
});

test('pure red 4×2: colourfulness 0.3·|(255, 127.5)|/255, grey level 76.245 in bin 4, aspect ln 2', () => {
  const data = new Uint8Array(4 * 2 * 3);
  for (let i = 0; i < 8; i++) data[i * 3] = 255;
  const f = cheapImageFeatures({ width: 4, height: 2, channels: 3, data });
  // rg = 255, yb = 127.5 − 0 → μ = √(255² + 127.5²) = 285.0987…, σ = 0
  close(at(f, 'colourfulness'), (0.3 * Math.hypot(255, 127.5)) / 255, 1e-12);
  close(at(f, 'hist_4'), 1); // 0.299 · 255 = 76.245 → ⌊76.245 · 16 / 256⌋ = 4
  close(at(f, 'mean_r'), 1);
  close(at(f, 'mean_g'), 0);
  close(at(f, 'log_aspect'), Math.log(2));
});

test('edge density counts interior pixels whose |∂x| + |∂y| exceeds 32 grey levels', () => {
  // 3×3 with a vertical step: columns 0, 0, 200 → the centre pixel sees ∂x = 200 − 0 → edge (1 interior pixel)
  const step = cheapImageFeatures({ width: 3, height: 3, channels: 1, data: Uint8Array.from([0, 0, 200, 0, 0, 200, 0, 0, 200]) });
  close(at(step, 'edge_density'), 1);
  // columns 0, 0, 30: ∂x = 30 ≤ 32 → no edge
  const soft = cheapImageFeatures({ width: 3, height: 3, channels: 1, data: Uint8Array.from([0, 0, 30, 0, 0, 30, 0, 0, 30]) });
  close(at(soft, 'edge_density'), 0);
});

test('deterministic, and rejects malformed images', () => {
  const img = { width: 5, height: 3, channels: 3, data: Uint8Array.from({ length: 45 }, (_, i) => (i * 37) % 256) };
  assert.deepEqual(cheapImageFeatures(img), cheapImageFeatures(img));
  assert.throws(() => cheapImageFeatures({ width: 5, height: 3, channels: 3, data: new Uint8Array(10) }), /expected 45/);
  assert.throws(() => cheapImageFeatures({ width: 0, height: 3, channels: 1, data: new Uint8Array(0) }), /non-empty/);
});
