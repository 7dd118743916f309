// Pillow-exact resampling and the Hugging Face resize sizes, against Pillow and transformers themselves (the
// project's Python environment): every pixel equal for bilinear, bicubic and lanczos over up- and down-scaling,
// grey and RGB; smart_resize and the shortest-edge rule equal transformers' own functions over 300 sizes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { createRng } from '../../../shared/random.ts';
import { resamplePil } from '../../../electron/models/pil-resample.ts';
import { hfResizeTarget, pythonRound, smartResize } from '../../../electron/models/hf-image-geometry.ts';
import { ENGINE_PYTHON, enginePythonMissing } from '../../helpers/engine-python.ts';

const skip = enginePythonMissing();

const PIL_SCRIPT = `
import json, sys
from PIL import Image
cases = json.load(sys.stdin)
out = []
for c in cases:
    mode = "L" if c["channels"] == 1 else "RGB"
    im = Image.frombytes(mode, (c["w"], c["h"]), bytes(c["data"]))
    out.append(list(im.resize((c["W"], c["H"]), resample=c["filter"]).tobytes()))
print(json.dumps(out))
`;

test('pythonRound rounds halves to even, as Python does', () => {
  assert.deepEqual([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4, 2.6].map(pythonRound), [0, 2, 2, 4, -0, -2, 2, 3]);
});

test('resamplePil equals Pillow pixel for pixel (bilinear, bicubic, lanczos; grey and RGB; up and down)', { skip: skip ?? false }, () => {
  const rng = createRng(99);
  const cases = [];
  for (let i = 0; i < 240; i++) {
    const w = 1 + rng.int(70);
    const h = 1 + rng.int(70);
    const channels = rng.next() < 0.5 ? 1 : 3;
    const data = Array.from({ length: w * h * channels }, () => rng.int(256));
    cases.push({ w, h, channels, data, W: 1 + rng.int(90), H: 1 + rng.int(90), filter: [1, 2, 3][i % 3] as number });
  }
  const r = spawnSync(ENGINE_PYTHON, ['-c', PIL_SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  const expected = JSON.parse(r.stdout) as number[][];
  cases.forEach((c, i) => {
    const got = resamplePil({ width: c.w, height: c.h, channels: c.channels as 1 | 3, data: Uint8Array.from(c.data) }, c.W, c.H, c.filter);
    assert.equal(got.width, c.W);
    assert.equal(got.height, c.H);
    const diff = Array.from(got.data).findIndex((v, j) => v !== expected[i]![j]);
    assert.equal(diff, -1, `case ${i} (${c.w}x${c.h}x${c.channels} -> ${c.W}x${c.H}, filter ${c.filter}) differs at byte ${diff}`);
  });
});

const SIZES_SCRIPT = `
import json, sys
from transformers.models.qwen2_vl.image_processing_qwen2_vl import smart_resize
from transformers.image_transforms import get_resize_output_image_size
import numpy as np
cases = json.load(sys.stdin)
out = []
for h, w in cases:
    sh, sw = smart_resize(h, w, factor=28, min_pixels=56 * 56, max_pixels=28 * 28 * 1280)
    img = np.zeros((h, w, 3), dtype=np.uint8)
    ch, cw = get_resize_output_image_size(img, size=224, default_to_square=False)
    out.append([sh, sw, ch, cw])
print(json.dumps(out))
`;

test('smart_resize and the shortest-edge size equal transformers over 300 sizes', { skip: skip ?? false }, () => {
  const rng = createRng(5);
  const cases = Array.from({ length: 300 }, (_, i) => (i < 20 ? [28 + i * 14, 14 + i * 7] : [8 + rng.int(3000), 8 + rng.int(3000)]));
  const r = spawnSync(ENGINE_PYTHON, ['-c', SIZES_SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const expected = JSON.parse(r.stdout) as number[][];
  cases.forEach(([h, w], i) => {
    const s = smartResize(h!, w!, 28, 56 * 56, 28 * 28 * 1280);
    const c = hfResizeTarget('shortest-edge', { size: { shortest_edge: 224 } }, w!, h!) as { width: number; height: number };
    assert.deepEqual([s.height, s.width, c.height, c.width], expected[i], `${h}x${w}`);
  });
});
