// The published configuration of Qwen2.5-VL-7B-Instruct (tests/fixtures/models/hf/qwen2_5_vl_7b_instruct.config.json)
// through the converter and the runner: a model with its real widths — hidden 3584, 28 query / 4 key-value heads of
// 128, M-RoPE sections [16, 24, 24], MLP 18944, vision width 1280 with 16 heads, patch 14, merge 2, window 112 — but
// one decoder layer, one vision block and a 1,024-token vocabulary (random weights, ~1 GB). The converted pack's
// option probabilities equal PyTorch's on images that take several patch grids.
// What this shows: every shape and index computation of the 7B model's layers (attention head split, grouped
// key/value heads, M-RoPE sections, window order at window 112, patch merging) converts and runs in MedBridge as in
// transformers. What it does not show: 28 layers, the real vocabulary, real weights, or time and memory at 7B scale.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createRng } from '../../../shared/random.ts';
import { optionProbabilities } from '../../../electron/models/option-distribution.ts';
import { VlmPackRunner } from '../../../electron/models/vlm-pack-runner.ts';
import { REPO_ROOT, tempDir } from '../../helpers/cli.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';
import { MAKE_TINY } from '../../helpers/tiny-hf-models.ts';

const CONFIG = join(REPO_ROOT, 'tests/fixtures/models/hf/qwen2_5_vl_7b_instruct.config.json');
const REFERENCE = join(REPO_ROOT, 'tests/reference/hf_vlm_reference.py');
const skip = enginePythonMissing();
let dir: string;
let cleanup: () => void;

function py(args: string[], cwd = REPO_ROOT): string {
  const r = spawnSync(ENGINE_PYTHON, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, HF_HUB_OFFLINE: '1', PYTHONPATH: join(REPO_ROOT, 'resources/python') },
  });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr.slice(-3000)}`);
  return r.stdout;
}

before(() => {
  if (skip) return;
  ({ dir, cleanup } = tempDir('hf-real-config'));
});
after(() => cleanup?.());

test('Qwen2.5-VL-7B widths: converted pack equals PyTorch within 1e-4 on images of four sizes', { skip: skip ?? false }, async (t) => {
  const hf = join(dir, 'hf');
  const pack = join(dir, 'pack');
  py([MAKE_TINY, '--family', 'qwen2_5_vl', '--from-config', CONFIG, '--out', hf, '--seed', '7']);
  const config = JSON.parse(readFileSync(join(hf, 'config.json'), 'utf8'));
  const real = JSON.parse(readFileSync(CONFIG, 'utf8'));
  assert.equal(config.text_config.hidden_size, real.hidden_size);
  assert.equal(config.text_config.num_key_value_heads, real.num_key_value_heads);
  assert.deepEqual(config.text_config.rope_parameters.mrope_section, real.rope_scaling.mrope_section);
  assert.equal(config.vision_config.window_size, real.vision_config.window_size);
  py(['-m', 'medbridge_convert', '--src', hf, '--out', pack], join(REPO_ROOT, 'resources/python'));

  const rng = createRng(3);
  const sizes: Array<[number, number]> = [
    [28, 28],
    [84, 56],
    [120, 200],
    [224, 224],
  ];
  const items = [];
  for (const [i, [w, h]] of sizes.entries()) {
    const data = new Uint8Array(w * h * 3);
    for (let k = 0; k < data.length; k++) data[k] = rng.int(256);
    const file = join(dir, `img${i}.png`);
    await sharp(Buffer.from(data), { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toFile(file);
    items.push({
      item: `i${i}`,
      image: file,
      question: 'Which finding is shown?',
      options: ['normal', 'pneumonia', 'effusion', 'nodule'].slice(0, 2 + (i % 3)),
      decoded: { data, width: w, height: h, channels: 3 as const },
    });
  }
  writeFileSync(join(dir, 'items.jsonl'), items.map(({ decoded: _d, ...r }) => JSON.stringify(r)).join('\n') + '\n');
  py([REFERENCE, hf, join(dir, 'items.jsonl'), join(dir, 'ref.jsonl')]);
  const ref = readFileSync(join(dir, 'ref.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

  const runner = await VlmPackRunner.open(pack, { workspaceDir: dir, verifyHashes: false });
  try {
    const scores = await runner.scoreItems(items.map((it) => ({ images: [it.decoded], question: it.question, options: it.options })));
    let worst = 0;
    scores.forEach((s, i) => {
      const p = optionProbabilities(s.baseLogits, 1);
      p.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - ref[i].probs[j]))));
      assert.equal(p.indexOf(Math.max(...p)), ref[i].greedy, `greedy ${i}`);
    });
    t.diagnostic(`real widths: max |Δp| ${worst.toExponential(2)} over ${items.length} items`);
    assert.ok(worst <= 1e-4, `max |Δp| ${worst}`);
  } finally {
    await runner.dispose();
  }
});
