// The transformers.js VLM path on the tiny random LLaVA fixture (real ONNX Runtime, CPU, offline).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ModelError, VlmPackRunner, loadModelPack, optionProbabilities, type McItemInput } from '../../../electron/models/index.ts';
import { MODEL_FIXTURES } from './image-set-fixture.ts';
import { copyPack, rehashInManifest } from './pack-copy.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';

const TINY = join(MODEL_FIXTURES, 'tiny-llava');
const HIDDEN = 16;
const PY = ENGINE_PYTHON;
const workspaceDir = mkdtempSync(join(tmpdir(), 'medbridge-vlm-ws-'));
let runner: VlmPackRunner;

const image = { width: 30, height: 22, channels: 3 as const, data: new Uint8Array(30 * 22 * 3).map((_, i) => (i * 29) % 256) };
const item: McItemInput = { images: [image], question: 'What does this chest X-ray show?', options: ['normal', 'pneumonia', 'effusion', 'mass'] };

before(async () => {
  runner = await VlmPackRunner.open(TINY, { workspaceDir });
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

test('tiny LLaVA loads offline, its id is the manifest pack id, cache dir is inside the workspace', async () => {
  const pack = await loadModelPack(TINY);
  assert.equal(runner.packId, pack.packId);
  assert.equal(runner.architecture, 'llava');
  assert.equal(runner.executionProvider.provider, 'cpu');
  assert.deepEqual(runner.featureDims, { image: HIDDEN, option: HIDDEN });
  assert.ok(existsSync(join(workspaceDir, 'model-cache')));
});

test('a 4-option item: letter logits → probabilities summing to 1, features of the right size, deterministic', async () => {
  const [a] = await runner.scoreItems([item]);
  const [b] = await runner.scoreItems([item]);
  assert.ok(a && b);
  assert.equal(a.baseLogits.length, 4);
  const p = optionProbabilities(a.baseLogits);
  assert.ok(Math.abs(p.reduce((s, x) => s + x, 0) - 1) < 1e-9);
  assert.ok(p.every((x) => x > 0 && x < 1));
  assert.deepEqual(b, a);
  assert.equal(a.imageFeatures.length, HIDDEN);
  assert.equal(a.optionFeatures.length, 4);
  a.optionFeatures.forEach((f) => assert.equal(f.length, HIDDEN));
  assert.notDeepEqual(a.optionFeatures[0], a.optionFeatures[1]);
  // a second runner instance gives the same numbers
  const other = await VlmPackRunner.open(TINY, { workspaceDir });
  try {
    assert.deepEqual((await other.scoreItems([item]))[0], a);
  } finally {
    await other.dispose();
  }
});

test('the image and the options matter: changing either changes the logits', async () => {
  const [a] = await runner.scoreItems([item]);
  const flipped = { ...image, data: image.data.map((v) => 255 - v) };
  const [b] = await runner.scoreItems([{ ...item, images: [flipped] }]);
  const [c] = await runner.scoreItems([{ ...item, options: ['mass', 'effusion', 'pneumonia', 'normal'] }]);
  assert.notDeepEqual(b!.baseLogits, a!.baseLogits);
  assert.notDeepEqual(b!.imageFeatures, a!.imageFeatures);
  assert.notDeepEqual(c!.baseLogits, a!.baseLogits);
  // option features depend on the option text only
  assert.deepEqual(c!.optionFeatures[0], a!.optionFeatures[3]);
  const [emb] = await runner.embedImages([image]);
  assert.deepEqual(emb, a!.imageFeatures);
});

test('option letters map to single tokens; 26 options are supported', async () => {
  const ids = runner.letterTokenIds(26);
  assert.equal(new Set(ids).size, 26);
  const many = Array.from({ length: 26 }, (_, i) => `option ${i}`);
  const [s] = await runner.scoreItems([{ ...item, options: many }]);
  assert.equal(s!.baseLogits.length, 26);
});

test('free-form sampling is seeded: same seed same text, temperature 0 is greedy', async () => {
  const req = { images: [image], question: 'Describe the image.' };
  const opts = { temperature: 1, topP: 0.95, maxNewTokens: 12 };
  const a = await runner.sample(req, { ...opts, seed: 11 });
  const b = await runner.sample(req, { ...opts, seed: 11 });
  assert.equal(a, b);
  const texts = new Set<string>();
  for (const seed of [1, 2, 3, 4, 5, 6]) texts.add(await runner.sample(req, { ...opts, seed }));
  assert.ok(texts.size >= 2, `seeds should give different samples: ${[...texts].join(' | ')}`);
  const g1 = await runner.sample(req, { ...opts, temperature: 0, seed: 1 });
  const g2 = await runner.sample(req, { ...opts, temperature: 0, seed: 2 });
  assert.equal(g1, g2);
});

test('missing folder, missing graph, corrupt graph, tampered file and unsupported architecture give coded errors', async () => {
  await assert.rejects(VlmPackRunner.open(join(workspaceDir, 'nope'), { workspaceDir }), code('model/missing-file'));

  const copy = copyPack(TINY, 'broken-llava');
  try {
    const decoder = 'onnx/decoder_model_merged.onnx';
    writeFileSync(join(copy.dir, decoder), Buffer.from('not a protobuf at all'));
    await assert.rejects(VlmPackRunner.open(copy.dir, { workspaceDir }), code('model/hash-mismatch', decoder));
    await rehashInManifest(copy.dir, decoder);
    await assert.rejects(VlmPackRunner.open(copy.dir, { workspaceDir }), code('model/corrupt-onnx', decoder));
    rmSync(join(copy.dir, 'manifest.json'));
    await assert.rejects(VlmPackRunner.open(copy.dir, { workspaceDir }), code('model/corrupt-onnx', decoder));

    rmSync(join(copy.dir, 'onnx/vision_encoder.onnx'));
    await assert.rejects(VlmPackRunner.open(copy.dir, { workspaceDir }), code('model/missing-file', 'onnx/vision_encoder.onnx'));
    rmSync(join(copy.dir, 'tokenizer_config.json'));
    await assert.rejects(VlmPackRunner.open(copy.dir, { workspaceDir }), code('model/missing-file', 'tokenizer_config.json'));
  } finally {
    copy.cleanup();
  }

  const other = copyPack(TINY, 'florence-like');
  try {
    const cfgPath = join(other.dir, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
    cfg.model_type = 'florence2';
    writeFileSync(cfgPath, JSON.stringify(cfg));
    await assert.rejects(VlmPackRunner.open(other.dir, { workspaceDir }), code('model/unsupported-architecture', 'config.json'));
  } finally {
    other.cleanup();
  }
});

test('the tiny fixture regenerates byte-identically from its script (the project Python environment)', (t) => {
  const missing = enginePythonMissing();
  if (missing) return t.skip(missing);
  const out = mkdtempSync(join(tmpdir(), 'medbridge-tiny-'));
  try {
    const r = spawnSync(PY, [join(MODEL_FIXTURES, 'make_tiny_vlm.py'), '--out', out], { encoding: 'utf8' });
    if (r.status !== 0 && /No module named/.test(r.stderr)) return t.skip(`python modules missing: ${r.stderr.trim().split('\n').at(-1)}`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(out, 'manifest.json'), 'utf8'), readFileSync(join(TINY, 'manifest.json'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
