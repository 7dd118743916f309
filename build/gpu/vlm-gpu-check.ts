// Run on a machine with an NVIDIA GPU (CUDA 12 + cuDNN 9 libraries installed, see build/cuda-provider-notes.md):
//   node --import tsx build/gpu/vlm-gpu-check.ts PACK_FOLDER [--items 64] [--batch 8]
// Scores the same synthetic multiple-choice items (seeded images of several sizes) with the pack on the CUDA
// execution provider and on the CPU, and prints one table: provider actually used, items/s, batch size, and the
// largest option-probability difference from the CPU run (parity on CUDA vs CPU). No GPU here: not run in CI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../shared/random.ts';
import type { DecodedImage } from '../../shared/items.ts';
import { optionProbabilities } from '../../electron/models/option-distribution.ts';
import { VlmPackRunner } from '../../electron/models/vlm-pack-runner.ts';

const args = process.argv.slice(2);
const pack = args[0];
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
if (!pack) {
  console.error('usage: node --import tsx build/gpu/vlm-gpu-check.ts PACK_FOLDER [--items 64] [--batch 8]');
  process.exit(2);
}
const count = flag('items', 64);
const batchSize = flag('batch', 8);
const rng = createRng(2026);
const sizes: Array<[number, number, 1 | 3]> = [
  [224, 224, 3],
  [512, 384, 1],
  [28, 28, 1],
  [300, 420, 3],
];
const items = Array.from({ length: count }, (_, i) => {
  const [width, height, channels] = sizes[i % sizes.length] as [number, number, 1 | 3];
  const data = new Uint8Array(width * height * channels);
  for (let k = 0; k < data.length; k++) data[k] = rng.int(256);
  const image: DecodedImage = { width, height, channels, data };
  return { images: [image], question: 'Which finding does this image show?', options: ['normal', 'pneumonia', 'effusion', 'nodule'] };
});

const workspaceDir = mkdtempSync(join(tmpdir(), 'medbridge-gpu-check-'));
const rows: Array<{ requested: string; used: string; itemsPerSecond: number; maxDiffVsCpu: number | null }> = [];
let cpuProbs: Float64Array[] | null = null;
for (const provider of ['cpu', 'cuda'] as const) {
  const runner = await VlmPackRunner.open(pack, {
    workspaceDir,
    batchSize,
    providers: [{ provider, reason: 'vlm-gpu-check' }, ...(provider === 'cpu' ? [] : [{ provider: 'cpu' as const, reason: 'fallback' }])],
  });
  const started = performance.now();
  const scores = await runner.scoreItems(items);
  const seconds = (performance.now() - started) / 1000;
  const probs = scores.map((s) => optionProbabilities(s.baseLogits, 1));
  let diff: number | null = null;
  if (cpuProbs) {
    diff = 0;
    probs.forEach((p, i) => p.forEach((v, j) => (diff = Math.max(diff as number, Math.abs(v - (cpuProbs as Float64Array[])[i]![j]!)))));
  } else cpuProbs = probs;
  rows.push({ requested: provider, used: runner.executionProvider.provider, itemsPerSecond: count / seconds, maxDiffVsCpu: diff });
  await runner.dispose();
}
console.log(`pack ${pack}, ${count} items, batch ${batchSize}`);
console.log('requested | used | items/s | max |Δp| vs CPU');
for (const r of rows)
  console.log(`${r.requested} | ${r.used} | ${r.itemsPerSecond.toFixed(2)} | ${r.maxDiffVsCpu === null ? '—' : r.maxDiffVsCpu.toExponential(2)}`);
