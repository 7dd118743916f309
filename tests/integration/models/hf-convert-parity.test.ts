// Parity with the reference implementation, per family the runner claims (llava, qwen2_vl, qwen2_5_vl, gemma3):
// a tiny random-weight Hugging Face model built from a config with transformers (seeded; tokenizer trained
// locally) -> `models convert` (registers the pack) -> `diagnose --dump` through the CLI on a frozen version of
// 28×28 BreastMNIST and larger blood-cell images (resized up and down, several patch grids) -> the same items run
// through the same HF model in PyTorch by tests/reference/hf_vlm_reference.py. Option probabilities agree to 1e-4,
// greedy answers are identical, and the runner's seeded sampler draws first answer tokens with the frequencies
// PyTorch's full-vocabulary softmax gives them (chi-square, p > 0.001).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { REPO_ROOT, tempDir } from '../../helpers/cli.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';
import { TINY_FAMILIES, tinyHfModel } from '../../helpers/tiny-hf-models.ts';
import { buildDiagnosisWorkspace, ok } from '../diagnosis/diagnosis-workspace.ts';
import { VlmPackRunner } from '../../../electron/models/vlm-pack-runner.ts';
import { multipleChoiceText } from '../../../electron/models/mc-prompt.ts';

const REFERENCE = join(REPO_ROOT, 'tests/reference/hf_vlm_reference.py');
const FAMILIES = TINY_FAMILIES;
const TOTAL = 24;
const SAMPLES = 400;
/** Chi-square critical values at p = 0.001 by degrees of freedom. */
/** Measured effect of each lower precision on option probabilities (tiny models, same items), with headroom. */
const PRECISION_BOUND = { fp16: 5e-3, q8: 2.5e-1 } as const;
const CHI2_001 = [0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12];

const skip = enginePythonMissing();
let dir: string;
let cleanup: () => void;
let ws: string;
let version: string;

function py(args: string[]): string {
  const r = spawnSync(ENGINE_PYTHON, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HF_HUB_OFFLINE: '1' } });
  assert.equal(r.status, 0, `${args[0]} failed: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

function readJsonl(path: string): any[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

before(() => {
  if (skip) return;
  ({ dir, cleanup } = tempDir('hf-parity'));
  ws = join(dir, 'W');
  version = buildDiagnosisWorkspace(ws, TOTAL);
});
after(() => cleanup?.());

for (const family of FAMILIES) {
  describe(`${family}: HF folder -> models convert -> diagnose equals PyTorch`, { skip: skip ?? false }, () => {
    let hf: string;
    let pack: string;
    let packId: string;
    let dumped: any[];
    let reference: Map<string, any>;

    before(() => {
      hf = tinyHfModel(family).hf;
      pack = join(dir, `pack-${family}`);
    });

    test('models convert writes a registered vlm pack with every file hashed and the conversion provenance', () => {
      const r = ok(['models', 'convert', hf, '--out', pack], ws);
      packId = r.packId;
      assert.match(packId, /^[0-9a-f]{64}$/);
      const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
      assert.equal(manifest.kind, 'vlm');
      assert.equal(manifest.architecture, family);
      const files = new Set(manifest.files.map((f: { path: string }) => f.path));
      for (const g of [
        'onnx/embed_tokens.onnx',
        'onnx/vision_encoder.onnx',
        'onnx/decoder_model_merged.onnx',
        'config.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'preprocessor_config.json',
      ])
        assert.ok(files.has(g), g);
      assert.equal(manifest.conversion.sourceFolder, hf);
      assert.equal(manifest.conversion.sourceFiles, readdirSync(hf).length);
      assert.equal(manifest.conversion.libraries.transformers, '5.23.0');
      assert.equal(manifest.conversion.dtype, 'fp32');
      assert.deepEqual(
        readdirSync(dir).filter((n) => n.includes('.converting-')),
        [],
        'no staging folder left',
      );
      const listed = ok(['models', 'list'], ws).find((p: { id: string }) => p.id === packId);
      assert.equal(listed?.architecture, family);
    });

    test('per-item option probabilities within 1e-4 of PyTorch on every item, greedy answers identical', (t) => {
      const d = ok(['diagnose', '--model', packId, '--version', version, '--split', 'all', '--dump', join(dir, `dump-${family}`)], ws);
      dumped = readJsonl(join(dir, `dump-${family}`, 'items.jsonl'));
      assert.equal(dumped.length, d.overall.n);
      assert.ok(dumped.length >= 20, `${dumped.length} items`);
      const items = dumped.map((x) => ({ item: x.item, image: join(ws, 'blobs', x.image.slice(0, 2), x.image), question: x.question, options: x.options }));
      for (const it of items) assert.ok(existsSync(it.image), it.image);
      writeFileSync(join(dir, `items-${family}.jsonl`), items.map((x) => JSON.stringify(x)).join('\n') + '\n');
      py([REFERENCE, hf, join(dir, `items-${family}.jsonl`), join(dir, `ref-${family}.jsonl`)]);
      reference = new Map(readJsonl(join(dir, `ref-${family}.jsonl`)).map((r) => [r.item, r]));
      let worst = 0;
      for (const x of dumped) {
        const r = reference.get(x.item);
        assert.ok(r, x.item);
        assert.equal(x.probs.length, r.probs.length);
        x.probs.forEach((p: number, j: number) => (worst = Math.max(worst, Math.abs(p - r.probs[j]))));
        const greedy = x.probs.indexOf(Math.max(...x.probs));
        assert.equal(greedy, r.greedy, `greedy answer of ${x.item}`);
      }
      assert.ok(worst <= 1e-4, `max |Δp| = ${worst}`);
      t.diagnostic(`${family}: ${dumped.length} items, max |Δp| = ${worst.toExponential(2)}`);
      // the model is not uniform: a parity test on flat distributions would prove little
      assert.ok(dumped.some((x) => Math.max(...x.probs) > 1 / x.probs.length + 0.05));
    });

    test(`seeded sampling: first answer tokens over ${SAMPLES} seeds follow PyTorch's distribution (chi-square, p > 0.001)`, async (t) => {
      const x = dumped[0];
      const r = reference.get(x.item);
      const png = join(ws, 'blobs', x.image.slice(0, 2), x.image);
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      const image = { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as 1 | 3 };
      const runner = await VlmPackRunner.open(pack, { workspaceDir: ws });
      const top = (r.firstTokens as Array<{ token: number; p: number }>).filter((t) => t.p * SAMPLES >= 5).slice(0, CHI2_001.length - 2);
      const counts = new Array(top.length + 1).fill(0);
      try {
        for (let seed = 0; seed < SAMPLES; seed++) {
          const [token] = await runner.sampleTokenIds(
            { images: [image], question: multipleChoiceText(x.question, x.options) },
            { seed, temperature: 1, topP: 1, maxNewTokens: 1 },
          );
          const i = top.findIndex((t) => t.token === token);
          counts[i >= 0 ? i : top.length]++;
        }
      } finally {
        await runner.dispose();
      }
      // categories: each token expected at least 5 times, and everything else pooled
      const expected = [...top.map((t) => t.p), 1 - top.reduce((s, t) => s + t.p, 0)].map((p) => p * SAMPLES);
      const chi2 = expected.reduce((s, e, i) => s + (e > 0 ? (counts[i] - e) ** 2 / e : 0), 0);
      const df = expected.length - 1;
      assert.ok(df >= 1, `at least two categories (expected ${expected.map((e) => e.toFixed(1)).join(', ')})`);
      t.diagnostic(`${family}: chi-square ${chi2.toFixed(2)} with ${df} df (critical ${CHI2_001[df]})`);
      assert.ok(
        chi2 < (CHI2_001[df] as number),
        `chi-square ${chi2.toFixed(2)} with ${df} df; counts ${counts.join(', ')} vs expected ${expected.map((e) => e.toFixed(1)).join(', ')}`,
      );
    });

    // lower precisions: once per vision path (qwen2_vl shares qwen2_5_vl's)
    for (const dtype of family === 'qwen2_vl' ? [] : (['fp16', 'q8'] as const)) {
      test(`--dtype ${dtype}: a pack of that precision; its option probabilities against PyTorch fp32 (bound ${PRECISION_BOUND[dtype]})`, (t) => {
        const out = join(dir, `pack-${family}-${dtype}`);
        const r = ok(['models', 'convert', hf, '--out', out, '--dtype', dtype], ws);
        const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
        assert.equal(manifest.conversion.dtype, dtype);
        const suffix = dtype === 'fp16' ? '_fp16' : '_quantized';
        assert.equal(manifest.graphs.decoder.file, `onnx/decoder_model_merged${suffix}.onnx`);
        assert.ok(!manifest.files.some((f: { path: string }) => f.path === 'onnx/decoder_model_merged.onnx'), 'one precision per pack');
        ok(['diagnose', '--model', r.packId, '--version', version, '--split', 'all', '--dump', join(dir, `dump-${family}-${dtype}`)], ws);
        const lower = readJsonl(join(dir, `dump-${family}-${dtype}`, 'items.jsonl'));
        let worst = 0;
        let sameGreedy = 0;
        for (const x of lower) {
          const ref = reference.get(x.item);
          x.probs.forEach((p: number, j: number) => (worst = Math.max(worst, Math.abs(p - ref.probs[j]))));
          if (x.probs.indexOf(Math.max(...x.probs)) === ref.greedy) sameGreedy++;
        }
        t.diagnostic(`${family} ${dtype}: max |Δp| vs PyTorch fp32 ${worst.toExponential(2)}, greedy answer the same on ${sameGreedy}/${lower.length}`);
        assert.ok(worst <= PRECISION_BOUND[dtype], `max |Δp| ${worst}`);
        assert.ok(worst > 0, 'a lower precision changes something (the graphs really are not fp32)');
      });
    }
  });
}
