// The ONNX adapter head without a workspace: a seeded adapter (with a trained-looking W) run through onnxruntime-node
// equals forwardItem for several option counts in one padded batch; the same adapter gives the same bytes; adapters
// with a fixed-label head are refused; protobuf varints of negative and large int64 values are 10-byte two's complement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createRng } from '../../../shared/random.ts';
import { AdapterWorkspace, createAdapter, forwardItem } from '../../../electron/training/index.ts';
import { AdapterExportError, adapterHeadOnnx } from '../../../electron/training/onnx/adapter-head.ts';
import { encodeOnnxModel } from '../../../electron/training/onnx/onnx-writer.ts';

test('adapter_head.onnx = forwardItem in float32 for m = 2..8 in one padded batch', async () => {
  const adapter = createAdapter({ imageDim: 24, textDim: 12, rank: 4, scale: 0.7 }, 5);
  const rng = createRng(9);
  for (let i = 0; i < adapter.w.length; i++) adapter.w[i] = 0.3 * rng.normal();
  const session = await ort.InferenceSession.create(adapterHeadOnnx(adapter));
  const ms = [2, 3, 4, 8, 5];
  const mPad = 8;
  const b = ms.length;
  const img = Float32Array.from({ length: b * 24 }, () => rng.normal());
  const opt = new Float32Array(b * mPad * 12);
  const base = new Float32Array(b * mPad);
  ms.forEach((m, i) => {
    for (let j = 0; j < m; j++) {
      base[i * mPad + j] = rng.normal();
      for (let e = 0; e < 12; e++) opt[(i * mPad + j) * 12 + e] = rng.normal();
    }
  });
  const out = await session.run({
    image_features: new ort.Tensor('float32', img, [b, 24]),
    option_features: new ort.Tensor('float32', opt, [b, mPad, 12]),
    base_logits: new ort.Tensor('float32', base, [b, mPad]),
  });
  const got = out.option_logits!.data as Float32Array;
  const ws = new AdapterWorkspace(adapter.config);
  let maxDiff = 0;
  ms.forEach((m, i) => {
    const ref = new Float64Array(m);
    forwardItem(
      adapter,
      {
        baseLogits: base.subarray(i * mPad, i * mPad + m),
        image: img.subarray(i * 24, (i + 1) * 24),
        optionText: opt.subarray(i * mPad * 12, (i * mPad + m) * 12),
      },
      ws,
      ref,
    );
    ref.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - got[i * mPad + j]!))));
  });
  await session.release();
  assert.ok(maxDiff < 1e-5, `max difference ${maxDiff}`);
});

test('the same adapter gives the same bytes; a fixed-label head is refused', () => {
  const a = createAdapter({ imageDim: 8, textDim: 4, rank: 2 }, 1);
  assert.deepEqual(adapterHeadOnnx(a), adapterHeadOnnx(createAdapter({ imageDim: 8, textDim: 4, rank: 2 }, 1)));
  assert.notDeepEqual(adapterHeadOnnx(a), adapterHeadOnnx(createAdapter({ imageDim: 8, textDim: 4, rank: 2 }, 2)));
  assert.throws(() => adapterHeadOnnx(createAdapter({ imageDim: 8, textDim: 4, rank: 2, numLabels: 3 }, 1)), AdapterExportError);
});

test("int64 varints: negative values as 10-byte two's complement, large values exact", () => {
  const bytes = (i: number) => encodeOnnxModel({ irVersion: i, graph: { name: '', nodes: [], initializers: [], inputs: [], outputs: [] } });
  // field 1 (ir_version), wire type 0 → tag 0x08, then the varint
  assert.deepEqual(Array.from(bytes(-1).subarray(0, 11)), [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.deepEqual(Array.from(bytes(300).subarray(0, 3)), [0x08, 0xac, 0x02]);
  assert.deepEqual(Array.from(bytes(2 ** 40).subarray(0, 7)), [0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
});
