// Batched VLM scoring: items/s with 2, 4, 8 and 16 items per forward pass against one item per pass (the baseline,
// same run, same items), per converted tiny model (llava, qwen2_vl, qwen2_5_vl, gemma3) on CPU, with the resident memory of
// the batched runner; target ≥ 3× at 8. The architecture's default batch size (VLM_ARCHITECTURES) is set from these
// rows. Needs the Python environment (npm run setup:engines) to build the tiny models.
import { createRng } from '../../shared/random.ts';
import type { DecodedImage } from '../../shared/items.ts';
import { DEFAULT_VLM_BATCH_SIZE, VlmPackRunner } from '../../electron/models/vlm-pack-runner.ts';
import { tempDir } from '../helpers/cli.ts';
import { TINY_FAMILIES, tinyHfModel } from '../helpers/tiny-hf-models.ts';
import { medianSeconds, type Benchmark, type BenchRow } from './harness.ts';

const ITEMS = 64;

function items() {
  const rng = createRng(17);
  const sizes: Array<[number, number, 1 | 3]> = [
    [28, 28, 1],
    [64, 48, 3],
    [40, 40, 1],
    [56, 64, 3],
  ];
  return Array.from({ length: ITEMS }, (_, i) => {
    const [width, height, channels] = sizes[i % sizes.length] as [number, number, 1 | 3];
    const data = new Uint8Array(width * height * channels);
    for (let k = 0; k < data.length; k++) data[k] = rng.int(256);
    const image: DecodedImage = { width, height, channels, data };
    return { images: [image], question: 'Which class does this image show?', options: ['normal', 'pneumonia', 'benign', 'malignant'].slice(0, 2 + (i % 3)) };
  });
}

export const vlmBatchBench: Benchmark = {
  name: 'vlm-batch',
  async run(): Promise<BenchRow[]> {
    const ws = tempDir('bench-vlm-batch');
    const rows: BenchRow[] = [];
    const list = items();
    try {
      for (const family of TINY_FAMILIES) {
        const { pack } = tinyHfModel(family);
        const rate = async (batchSize: number) => {
          const runner = await VlmPackRunner.open(pack, { workspaceDir: ws.dir, batchSize });
          try {
            await runner.scoreItems(list.slice(0, batchSize)); // warm-up
            const rssBefore = process.memoryUsage().rss;
            const seconds = await medianSeconds(() => runner.scoreItems(list), 3);
            return { perSecond: ITEMS / seconds, rssMb: Math.max(process.memoryUsage().rss, rssBefore) / 2 ** 20 };
          } finally {
            await runner.dispose();
          }
        };
        const one = await rate(1);
        for (const size of [2, 4, DEFAULT_VLM_BATCH_SIZE, 16]) {
          const b = await rate(size);
          rows.push({
            name: `${family}: ${size} items per pass (process RSS ${b.rssMb.toFixed(0)} MB)`,
            value: b.perSecond,
            unit: 'items/s',
            baseline: one.perSecond,
            baselineName: '1 item per pass',
            ratio: b.perSecond / one.perSecond,
            ...(size === DEFAULT_VLM_BATCH_SIZE ? { target: '≥ 3' } : {}),
          });
        }
      }
    } finally {
      ws.cleanup();
    }
    return rows;
  },
};
