// The transformers.js VLM path on the tiny random Qwen2-VL fixtures (real ONNX Runtime, CPU, offline).
// The multiple-choice probabilities are recomputed (measured difference: 0; asserted to 1e-6) independently of the runner and of transformers.js'
// model code: patches flattened, image tokens expanded, M-RoPE positions built and the three ONNX graphs
// run here with onnxruntime-node.
import assert from 'node:assert/strict';
import { resamplePil } from '../../../electron/models/pil-resample.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AutoTokenizer, Qwen2VLImageProcessor, RawImage, env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { ModelError, VlmPackRunner, loadModelPack, multipleChoiceText, optionProbabilities, type McItemInput } from '../../../electron/models/index.ts';
import type { DecodedImage } from '../../../shared/items.ts';
import { MODEL_FIXTURES } from './image-set-fixture.ts';
import { copyPack } from './pack-copy.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';

const QWEN2 = join(MODEL_FIXTURES, 'tiny-qwen2-vl');
const QWEN2_5 = join(MODEL_FIXTURES, 'tiny-qwen2_5-vl');
const HIDDEN = 16;
const PY = ENGINE_PYTHON;
// the fixture's preprocessing (make_tiny_qwen2_vl.py)
const PATCH = 4;
const TEMPORAL = 2;
const MERGE = 2;
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];
const SYSTEM_TURN = '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n';

const workspaceDir = mkdtempSync(join(tmpdir(), 'medbridge-qwen-ws-'));
let runner: VlmPackRunner;

function rgb(width: number, height: number, seed: number): DecodedImage {
  return { width, height, channels: 3, data: new Uint8Array(width * height * 3).map((_, i) => (i * 29 + seed * 71 + ((i * i) % 13)) % 256) };
}
function grey(width: number, height: number, seed: number): DecodedImage {
  return { width, height, channels: 1, data: new Uint8Array(width * height).map((_, i) => (i * 17 + seed * 5) % 256) };
}
const options = ['normal', 'pneumonia', 'effusion', 'mass'];
// 48×56 needs no resize (multiple of patch × merge = 8, within [48², 64²] pixels): 12×14 patches → 6×7 = 42 image tokens
const wide: McItemInput = { images: [rgb(56, 48, 1)], question: 'What does this chest X-ray show?', options };
// a 28×28 MedMNIST-sized image is below min_pixels: resized up to 48×48 → 12×12 patches → 36 image tokens
const small: McItemInput = { images: [grey(28, 28, 2)], question: 'Is there pneumonia?', options: ['no', 'yes'] };

before(async () => {
  runner = await VlmPackRunner.open(QWEN2, { workspaceDir });
});
after(async () => {
  await runner.dispose();
  rmSync(workspaceDir, { recursive: true, force: true });
});

function code(expected: string, file?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof ModelError, `expected ModelError, got ${String(e)}`);
    assert.equal(e.code, expected, e.message);
    if (file) assert.equal(e.file, file);
    return true;
  };
}

/** Normalised CHW floats → Qwen2-VL flattened patches [gh·gw, C·T·P·P] (the frame repeated T times), rows in 2×2 merge order. */
function flattenPatches(chw: Float32Array, height: number, width: number): { patches: Float32Array; gh: number; gw: number } {
  const gh = height / PATCH;
  const gw = width / PATCH;
  const rowLen = 3 * TEMPORAL * PATCH * PATCH;
  const patches = new Float32Array(gh * gw * rowLen);
  let row = 0;
  for (let bh = 0; bh < gh / MERGE; bh++)
    for (let bw = 0; bw < gw / MERGE; bw++)
      for (let mh = 0; mh < MERGE; mh++)
        for (let mw = 0; mw < MERGE; mw++, row++) {
          let k = row * rowLen;
          for (let c = 0; c < 3; c++)
            for (let t = 0; t < TEMPORAL; t++)
              for (let ph = 0; ph < PATCH; ph++)
                for (let pw = 0; pw < PATCH; pw++) {
                  const y = (bh * MERGE + mh) * PATCH + ph;
                  const x = (bw * MERGE + mw) * PATCH + pw;
                  patches[k++] = chw[(c * height + y) * width + x] as number;
                }
        }
  return { patches, gh, gw };
}

/** Rescale + normalise an RGB image (no resize) to CHW floats. */
function normalise(image: DecodedImage): Float32Array {
  assert.equal(image.channels, 3);
  const { width, height } = image;
  const out = new Float32Array(3 * width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        const v = Math.fround((image.data[(y * width + x) * 3 + c] as number) * (1 / 255));
        out[(c * height + y) * width + x] = (v - (MEAN[c] as number)) / (STD[c] as number);
      }
  return out;
}

/** M-RoPE position ids [3, s]: text 0.., image tokens at (offset, offset + row, offset + col), text resumes after the largest. */
function mropePositions(ids: readonly number[], imageToken: number, gridH: number, gridW: number): BigInt64Array[] {
  const rows = [new BigInt64Array(ids.length), new BigInt64Array(ids.length), new BigInt64Array(ids.length)] as const;
  const first = ids.indexOf(imageToken);
  const n = gridH * gridW;
  for (let i = 0; i < ids.length; i++) {
    let p: [number, number, number];
    if (i < first) p = [i, i, i];
    else if (i < first + n) p = [first, first + Math.floor((i - first) / gridW), first + ((i - first) % gridW)];
    else {
      const next = first + Math.max(gridH, gridW) + (i - first - n);
      p = [next, next, next];
    }
    rows.forEach((r, a) => (r[i] = BigInt(p[a] as number)));
  }
  assert.equal(
    ids.slice(first, first + n).every((t) => t === imageToken),
    true,
    'image tokens are contiguous',
  );
  return [...rows];
}

interface Independent {
  probs: number[];
  letterLogits: number[];
  imageTokens: number;
}

/** Runs embed_tokens, vision_encoder and decoder_model_merged directly; softmax over the option-letter logits. */
async function recompute(dir: string, patches: Float32Array, grid: [number, number, number], question: string, opts: readonly string[]): Promise<Independent> {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  env.allowRemoteModels = false;
  env.localModelPath = MODEL_FIXTURES;
  env.cacheDir = join(workspaceDir, 'model-cache');
  const tok = await AutoTokenizer.from_pretrained(dir.split('/').at(-1) as string, { local_files_only: true });
  const [gt, gh, gw] = grid;
  const tokensH = gh / MERGE;
  const tokensW = gw / MERGE;
  const imageTokens = gt * tokensH * tokensW;
  const text =
    `${SYSTEM_TURN}<|im_start|>user\n<|vision_start|>${'<|image_pad|>'.repeat(imageTokens)}<|vision_end|>` +
    `${multipleChoiceText(question, opts)}<|im_end|>\n<|im_start|>assistant\n`;
  const ids = tok.encode(text, { add_special_tokens: false }) as number[];
  const letters = opts.map((_, i) => tok.encode(String.fromCharCode(65 + i), { add_special_tokens: false }) as number[]);
  letters.forEach((l) => assert.equal(l.length, 1));

  const session = (f: string) => ort.InferenceSession.create(join(dir, 'onnx', f), { executionProviders: ['cpu'] });
  const [embed, vision, decoder] = await Promise.all([session('embed_tokens.onnx'), session('vision_encoder.onnx'), session('decoder_model_merged.onnx')]);
  try {
    const rowLen = 3 * TEMPORAL * PATCH * PATCH;
    const gridName = vision.inputNames.find((n) => n !== 'pixel_values') as string;
    const feats = (
      await vision.run({
        pixel_values: new ort.Tensor('float32', patches, [patches.length / rowLen, rowLen]),
        [gridName]: new ort.Tensor('int64', BigInt64Array.from(grid.map(BigInt)), [1, 3]),
      })
    ).image_features as ort.Tensor;
    assert.deepEqual(feats.dims, [imageTokens, HIDDEN]);
    const emb = (await embed.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) })).inputs_embeds as ort.Tensor;
    const x = Float32Array.from(emb.data as Float32Array);
    const f = feats.data as Float32Array;
    let img = 0;
    ids.forEach((t, i) => {
      if (t === config.image_token_id) x.set(f.subarray(img * HIDDEN, ++img * HIDDEN), i * HIDDEN);
    });
    assert.equal(img, imageTokens);
    const rows = mropePositions(ids, config.image_token_id, tokensH, tokensW);
    const pos = new BigInt64Array(3 * ids.length);
    rows.forEach((r, a) => pos.set(r, a * ids.length));
    const out = await decoder.run({
      inputs_embeds: new ort.Tensor('float32', x, [1, ids.length, HIDDEN]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      position_ids: new ort.Tensor('int64', pos, [3, 1, ids.length]),
      'past_key_values.0.key': new ort.Tensor('float32', new Float32Array(0), [1, 1, 0, 8]),
      'past_key_values.0.value': new ort.Tensor('float32', new Float32Array(0), [1, 1, 0, 8]),
    });
    const logits = out.logits as ort.Tensor;
    const vocab = logits.dims[2] as number;
    const last = (logits.data as Float32Array).subarray((ids.length - 1) * vocab, ids.length * vocab);
    const letterLogits = letters.map(([id]) => last[id as number] as number);
    const m = Math.max(...letterLogits);
    const e = letterLogits.map((l) => Math.exp(l - m));
    const z = e.reduce((s, v) => s + v, 0);
    return { probs: e.map((v) => v / z), letterLogits, imageTokens };
  } finally {
    await Promise.all([embed.release(), vision.release(), decoder.release()]);
  }
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string) {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs((actual[i] as number) - (expected[i] as number)) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('tiny Qwen2-VL loads offline: id is the manifest pack id, text sizes from the top-level config, cache inside the workspace', async () => {
  const pack = await loadModelPack(QWEN2);
  assert.equal(runner.packId, pack.packId);
  assert.equal(runner.architecture, 'qwen2_vl');
  assert.equal(runner.executionProvider.provider, 'cpu');
  assert.deepEqual(runner.featureDims, { image: HIDDEN, option: HIDDEN });
  assert.ok(existsSync(join(workspaceDir, 'model-cache')));
});

test('multiple choice on a 56×48 image: probabilities sum to 1 and equal the three graphs run by hand (1e-6)', async () => {
  const [s] = await runner.scoreItems([wide]);
  assert.ok(s);
  const p = optionProbabilities(s.baseLogits);
  assert.ok(Math.abs(p.reduce((a, x) => a + x, 0) - 1) < 1e-9);
  const { patches, gh, gw } = flattenPatches(normalise(wide.images[0] as DecodedImage), 48, 56);
  const ref = await recompute(QWEN2, patches, [1, gh, gw], wide.question, wide.options);
  assert.equal(ref.imageTokens, 42);
  assertClose(p, ref.probs, 1e-6, 'probabilities');
  assertClose(s.baseLogits, ref.letterLogits, 1e-4, 'letter logits');
  assert.ok(Math.max(...p) - Math.min(...p) > 0.01, `the random model should not be uniform: ${p.join(', ')}`);
  // deterministic, and a second runner instance gives the same numbers
  assert.deepEqual((await runner.scoreItems([wide]))[0], s);
});

test('a 28×28 grey image is resized up to a valid grid (12×12 patches, 36 image tokens) and scored the same way', async () => {
  const [s] = await runner.scoreItems([small]);
  const p = optionProbabilities(s!.baseLogits);
  assert.equal(p.length, 2);
  // the runner resizes with Pillow's bicubic filter to the smart-resize size (48×48 here), then the library's image
  // processor (built from the fixture's file) leaves the size as it is and normalises / flattens the patches
  const ip = new Qwen2VLImageProcessor(JSON.parse(readFileSync(join(QWEN2, 'preprocessor_config.json'), 'utf8')));
  const img = resamplePil(small.images[0] as DecodedImage, 48, 48, 3);
  const out = (await ip(new RawImage(new Uint8ClampedArray(img.data), img.width, img.height, 1))) as {
    pixel_values: { data: Float32Array; dims: number[] };
    image_grid_thw: { tolist(): bigint[][] };
  };
  assert.deepEqual(out.image_grid_thw.tolist(), [[1n, 12n, 12n]]);
  assert.deepEqual(out.pixel_values.dims, [144, 96]);
  const ref = await recompute(QWEN2, out.pixel_values.data, [1, 12, 12], small.question, small.options);
  assert.equal(ref.imageTokens, 36);
  assertClose(p, ref.probs, 1e-6, 'probabilities');
});

test('image features: the vision tower output (merged patch tokens) mean-pooled, the same from embedImages; image and options matter', async () => {
  const [a] = await runner.scoreItems([wide]);
  const [emb] = await runner.embedImages([wide.images[0] as DecodedImage]);
  assert.equal(a!.imageFeatures.length, HIDDEN);
  assert.deepEqual(emb, a!.imageFeatures);
  // independent: mean over the 42 rows of the vision graph's output
  const session = await ort.InferenceSession.create(join(QWEN2, 'onnx', 'vision_encoder.onnx'), { executionProviders: ['cpu'] });
  const { patches, gh, gw } = flattenPatches(normalise(wide.images[0] as DecodedImage), 48, 56);
  const f = (
    await session.run({
      pixel_values: new ort.Tensor('float32', patches, [gh * gw, 96]),
      grid_thw: new ort.Tensor('int64', BigInt64Array.from([1n, 12n, 14n]), [1, 3]),
    })
  ).image_features as ort.Tensor;
  await session.release();
  const mean = new Float64Array(HIDDEN);
  for (let r = 0; r < 42; r++) for (let d = 0; d < HIDDEN; d++) mean[d]! += ((f.data as Float32Array)[r * HIDDEN + d] as number) / 42;
  assertClose(emb!, mean, 1e-5, 'mean-pooled image features');
  const [small1] = await runner.embedImages([small.images[0] as DecodedImage]);
  assert.equal(small1!.length, HIDDEN);
  const flipped = { ...(wide.images[0] as DecodedImage), data: (wide.images[0] as DecodedImage).data.map((v) => 255 - v) };
  const [b] = await runner.scoreItems([{ ...wide, images: [flipped] }]);
  const [c] = await runner.scoreItems([{ ...wide, options: ['mass', 'effusion', 'pneumonia', 'normal'] }]);
  assert.notDeepEqual(b!.baseLogits, a!.baseLogits);
  assert.notDeepEqual(c!.baseLogits, a!.baseLogits);
  assert.deepEqual(c!.optionFeatures[0], a!.optionFeatures[3]);
});

test('option letters are single tokens of the byte-level BPE vocabulary; 26 options are supported', async () => {
  const ids = runner.letterTokenIds(26);
  assert.deepEqual(
    ids,
    Array.from({ length: 26 }, (_, i) => 65 + i),
    'letters are their byte tokens',
  );
  const many = Array.from({ length: 26 }, (_, i) => `option ${i}`);
  const [s] = await runner.scoreItems([{ ...wide, options: many }]);
  assert.equal(s!.baseLogits.length, 26);
});

test('free-form sampling is seeded: same seed same text, different seeds differ, temperature 0 is greedy', async () => {
  const req = { images: [small.images[0] as DecodedImage], question: 'Describe the image.' };
  const opts = { temperature: 1, topP: 0.95, maxNewTokens: 12 };
  const a = await runner.sample(req, { ...opts, seed: 11 });
  assert.equal(await runner.sample(req, { ...opts, seed: 11 }), a);
  assert.ok(a.length > 0);
  const texts = new Set<string>();
  for (const seed of [1, 2, 3, 4, 5, 6]) texts.add(await runner.sample(req, { ...opts, seed }));
  assert.ok(texts.size >= 2, `seeds should give different samples: ${[...texts].join(' | ')}`);
  assert.equal(await runner.sample(req, { ...opts, temperature: 0, seed: 1 }), await runner.sample(req, { ...opts, temperature: 0, seed: 2 }));
});

test('qwen2_5_vl shares the path: text_config layout, image_grid_thw input, and a short preprocessor_config.json gets the processor defaults', async () => {
  const other = await VlmPackRunner.open(QWEN2_5, { workspaceDir });
  try {
    assert.equal(other.architecture, 'qwen2_5_vl');
    assert.deepEqual(other.featureDims, { image: HIDDEN, option: HIDDEN });
    const pre = JSON.parse(readFileSync(join(QWEN2_5, 'preprocessor_config.json'), 'utf8'));
    assert.equal(pre.do_resize, undefined, 'the fixture leaves resize/normalise to the defaults');
    // same weights and (by default) the same preprocessing as the fully written qwen2_vl fixture → same numbers,
    // including the 28×28 image that must be resized up (without the defaults transformers.js would not resize it)
    for (const it of [wide, small]) {
      const [x] = await other.scoreItems([it]);
      const [y] = await runner.scoreItems([it]);
      assertClose(x!.baseLogits, y!.baseLogits, 1e-6, 'letter logits');
      assertClose(x!.imageFeatures, y!.imageFeatures, 1e-6, 'image features');
    }
    const { patches, gh, gw } = flattenPatches(normalise(wide.images[0] as DecodedImage), 48, 56);
    const ref = await recompute(QWEN2_5, patches, [1, gh, gw], wide.question, wide.options);
    assertClose(optionProbabilities((await other.scoreItems([wide]))[0]!.baseLogits), ref.probs, 1e-6, 'probabilities');
  } finally {
    await other.dispose();
  }
});

test('unsupported model_type and missing Qwen config fields are refused naming config.json', async () => {
  const copy = copyPack(QWEN2, 'florence-like');
  try {
    const cfgPath = join(copy.dir, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
    writeFileSync(cfgPath, JSON.stringify({ ...cfg, model_type: 'florence2' }));
    await assert.rejects(VlmPackRunner.open(copy.dir, { workspaceDir, verifyHashes: false }), code('model/unsupported-architecture', 'config.json'));
    const { image_token_id: _drop, ...noImageToken } = cfg;
    writeFileSync(cfgPath, JSON.stringify(noImageToken));
    await assert.rejects(VlmPackRunner.open(copy.dir, { workspaceDir, verifyHashes: false }), (e: unknown) => {
      code('model/invalid-manifest', 'config.json')(e);
      assert.match((e as Error).message, /image_token_id/);
      return true;
    });
  } finally {
    copy.cleanup();
  }
});

test('the Qwen2-VL fixtures regenerate byte-identically from their script (when Debian python3-onnx is present)', (t) => {
  const missing = enginePythonMissing();
  if (missing) return t.skip(missing);
  const out = mkdtempSync(join(tmpdir(), 'medbridge-tiny-qwen-'));
  try {
    const r = spawnSync(PY, [join(MODEL_FIXTURES, 'make_tiny_qwen2_vl.py'), '--out', out], { encoding: 'utf8' });
    if (r.status !== 0 && /No module named/.test(r.stderr)) return t.skip(`python modules missing: ${r.stderr.trim().split('\n').at(-1)}`);
    assert.equal(r.status, 0, r.stderr);
    for (const name of ['tiny-qwen2-vl', 'tiny-qwen2_5-vl']) {
      assert.equal(readFileSync(join(out, name, 'manifest.json'), 'utf8'), readFileSync(join(MODEL_FIXTURES, name, 'manifest.json'), 'utf8'), name);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
