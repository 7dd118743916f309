import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  ADAPTER_HEADER_BYTES,
  AdapterWorkspace,
  adapterBytes,
  adapterLayout,
  backwardItem,
  createAdapter,
  deserializeAdapter,
  forwardBatch,
  forwardItem,
  wrapAdapter,
  type TrainItem,
} from '../../../electron/training/index.ts';
import { makeTask, randomize } from './synthetic-task.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('layout: one flat array with U, W, H views in that order', () => {
  const a = createAdapter({ imageDim: 5, textDim: 3, rank: 2, numLabels: 4 }, 1);
  assert.deepEqual(adapterLayout(a.config), { uOffset: 0, wOffset: 10, hOffset: 16, size: 36 });
  assert.equal(a.u.buffer, a.params.buffer);
  a.w[0] = 7;
  assert.equal(a.params[10], 7);
  assert.equal(a.config.rank, 2);
  assert.equal(createAdapter({ imageDim: 4, textDim: 3 }, 1).config.rank, 8);
});

test('init: U random from the seed, W and H zero, so logits equal the base logits', () => {
  const a = createAdapter({ imageDim: 8, textDim: 6, numLabels: 5 }, 42);
  assert.ok(a.u.some((x) => x !== 0));
  assert.ok(a.w.every((x) => x === 0) && a.h.every((x) => x === 0));
  const items = makeTask({ seed: 1, count: 4, numClasses: 5, numOptions: [2, 5], imageDim: 8, textDim: 6, labels: true, baseLogit: (c) => (c ? 1.5 : -0.25) });
  const out = forwardBatch(a, items);
  items.forEach((it, i) => {
    for (let j = 0; j < it.baseLogits.length; j++) assert.equal(out.logits[out.offsets[i]! + j], it.baseLogits[j]);
  });
  const b = createAdapter({ imageDim: 8, textDim: 6, numLabels: 5 }, 42);
  assert.deepEqual(adapterBytes(a), adapterBytes(b));
  assert.notDeepEqual(adapterBytes(a), adapterBytes(createAdapter({ imageDim: 8, textDim: 6, numLabels: 5 }, 43)));
});

test('forward equals the formula b_j + s·(Uv)·(Wt_j) + (Hv)_label(j), computed naively', () => {
  const a = createAdapter({ imageDim: 3, textDim: 2, rank: 2, scale: 0.5, temperature: 2, numLabels: 3 }, 3, 'float64');
  a.params.set([
    1, 0, 2, /* U row 0 */ 0, -1, 1 /* U row 1 */, 1, 2, /* W row 0 */ -1, 0.5 /* W row 1 */, 0.1, 0.2, 0.3, /* H label 0 */ 0, 0, 0, /* H label 1 */ -1, 1,
    0 /* H label 2 */,
  ]);
  const item: TrainItem = {
    baseLogits: [0.5, -0.5],
    image: [1, 2, 3],
    optionText: [1, 0, 0, 2],
    optionLabels: [2, 0],
    correct: 0,
  };
  // Uv = (1+6, −2+3) = (7, 1); Wt_0 = (1, −1), Wt_1 = (4, 1)
  // logit_0 = 0.5 + 0.5·(7 − 1) + (−1 + 2) = 4.5; logit_1 = −0.5 + 0.5·(28 + 1) + (0.1 + 0.4 + 0.9) = 15.4
  const out = forwardBatch(a, [item]);
  assert.ok(Math.abs(out.logits[0]! - 4.5) < 1e-12 && Math.abs(out.logits[1]! - 15.4) < 1e-12);
  // p = softmax(logits / 2)
  const e = Math.exp((4.5 - 15.4) / 2);
  assert.ok(Math.abs(out.probs[0]! - e / (1 + e)) < 1e-15);
});

test('backward recomputes its cache when called for another item than the last forward', () => {
  const a = createAdapter({ imageDim: 4, textDim: 3, rank: 2 }, 5, 'float64');
  randomize(a.params, 6, 0.5);
  const [x, y] = makeTask({ seed: 2, count: 2, numClasses: 4, numOptions: 3, imageDim: 4, textDim: 3, dtype: 'float64' });
  const ws = new AdapterWorkspace(a.config);
  const g1 = new Float64Array(a.params.length);
  const g2 = new Float64Array(a.params.length);
  const dl = [0.3, -0.1, -0.2];
  forwardItem(a, x!, ws, new Float64Array(3));
  backwardItem(a, x!, ws, dl, g1);
  forwardItem(a, y!, ws, new Float64Array(3));
  backwardItem(a, x!, ws, dl, g2);
  assert.deepEqual(Array.from(g2), Array.from(g1));
});

test('checkpoint bytes: header + little-endian floats, byte-stable, round-trip', () => {
  const a = createAdapter({ imageDim: 6, textDim: 4, rank: 3, scale: 0.25, temperature: 0.7, numLabels: 2 }, 9);
  randomize(a.params, 10, 1);
  const bytes = adapterBytes(a);
  assert.equal(bytes.length, ADAPTER_HEADER_BYTES + 4 * a.params.length);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'MBAD');
  const dv = new DataView(bytes.buffer);
  assert.equal(dv.getFloat32(ADAPTER_HEADER_BYTES, true), a.params[0]);
  const back = deserializeAdapter(bytes);
  assert.deepEqual(back.config, a.config);
  assert.deepEqual(Array.from(back.params), Array.from(a.params));
  assert.equal(sha(adapterBytes(back)), sha(bytes));
  const a64 = wrapAdapter(a.config, Float64Array.from(a.params));
  assert.deepEqual(Array.from(deserializeAdapter(adapterBytes(a64)).params), Array.from(a.params));
  assert.throws(() => deserializeAdapter(bytes.subarray(0, 10)), /header/);
  assert.throws(() => deserializeAdapter(bytes.subarray(0, bytes.length - 4)), /length/);
});

test('input validation names the problem', () => {
  const a = createAdapter({ imageDim: 4, textDim: 3 }, 1);
  const ws = new AdapterWorkspace(a.config);
  const out = new Float64Array(26);
  assert.throws(() => forwardItem(a, { baseLogits: [0], image: [0, 0, 0, 0], optionText: [0, 0, 0] }, ws, out), /1 options/);
  assert.throws(() => forwardItem(a, { baseLogits: [0, 0], image: [0, 0, 0], optionText: new Array(6).fill(0) }, ws, out), /image features/);
  assert.throws(() => forwardItem(a, { baseLogits: [0, 0], image: [0, 0, 0, 0], optionText: [0] }, ws, out), /option text/);
  assert.throws(() => createAdapter({ imageDim: 0, textDim: 3 }, 1), /imageDim/);
});
