// Batched VLM scoring equals one-at-a-time scoring (option probabilities and image features within 1e-5), per
// converted family, on images of different sizes in one batch (different patch grids for Qwen2-VL) and prompts of
// different lengths (2 to 5 options, so left padding is exercised), in uneven batches (5, 5, 2).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRng } from '../../../shared/random.ts';
import type { DecodedImage } from '../../../shared/items.ts';
import { VlmPackRunner } from '../../../electron/models/vlm-pack-runner.ts';
import { optionProbabilities } from '../../../electron/models/option-distribution.ts';
import { tempDir } from '../../helpers/cli.ts';
import { enginePythonMissing } from '../../helpers/engine-python.ts';
import { TINY_FAMILIES, tinyHfModel } from '../../helpers/tiny-hf-models.ts';

const skip = enginePythonMissing();
const SIZES: Array<[number, number, 1 | 3]> = [
  [28, 28, 1],
  [64, 40, 3],
  [20, 24, 3],
  [56, 28, 1],
  [33, 47, 3],
  [64, 64, 1],
];
const OPTIONS = ['normal', 'pneumonia', 'benign', 'malignant', 'effusion'];

function items(count: number) {
  const rng = createRng(11);
  return Array.from({ length: count }, (_, i) => {
    const [width, height, channels] = SIZES[i % SIZES.length] as [number, number, 1 | 3];
    const data = new Uint8Array(width * height * channels);
    for (let k = 0; k < data.length; k++) data[k] = rng.int(256);
    const image: DecodedImage = { width, height, channels, data };
    return {
      images: [image],
      question: i % 2 ? 'Which finding is shown?' : 'What does this image show, considering the whole field of view?',
      options: OPTIONS.slice(0, 2 + (i % 4)),
    };
  });
}

let ws: { dir: string; cleanup: () => void };
before(() => (ws = tempDir('vlm-batch')));
after(() => ws?.cleanup());

for (const family of TINY_FAMILIES) {
  describe(`${family}: batched = one at a time`, { skip: skip ?? false }, () => {
    test('12 items in batches of 5 give the probabilities and features of batches of 1 (within 1e-5)', async (t) => {
      const { pack } = tinyHfModel(family);
      const one = await VlmPackRunner.open(pack, { workspaceDir: ws.dir, batchSize: 1 });
      const five = await VlmPackRunner.open(pack, { workspaceDir: ws.dir, batchSize: 5 });
      try {
        const list = items(12);
        const a = await one.scoreItems(list);
        const b = await five.scoreItems(list);
        let worstP = 0;
        let worstF = 0;
        a.forEach((x, i) => {
          const y = b[i]!;
          const pa = optionProbabilities(x.baseLogits, 1);
          const pb = optionProbabilities(y.baseLogits, 1);
          pa.forEach((p, j) => (worstP = Math.max(worstP, Math.abs(p - (pb[j] as number)))));
          x.imageFeatures.forEach((v, j) => (worstF = Math.max(worstF, Math.abs(v - (y.imageFeatures[j] as number)))));
          assert.equal(y.optionFeatures.length, x.optionFeatures.length);
        });
        t.diagnostic(`${family}: max |Δp| ${worstP.toExponential(2)}, max |Δfeature| ${worstF.toExponential(2)}`);
        assert.ok(worstP <= 1e-5, `probabilities differ by ${worstP}`);
        assert.ok(worstF <= 1e-5, `image features differ by ${worstF}`);
      } finally {
        await one.dispose();
        await five.dispose();
      }
    });
  });
}
