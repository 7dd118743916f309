// Seeded random per-item results for property and reference tests.
import { createRng } from '../../../shared/random.ts';
import type { ItemResult } from '../../../shared/metrics/index.ts';

const MODALITIES = ['ct', 'mri', 'x-ray', 'microscopy'];
const TASKS = ['organ', 'path', 'derma', 'chest', 'blood'];
const SPLITS = ['train', 'val', 'test'];

export interface RandomItemOptions {
  /** Fraction of free-form items with samples {n, c}. */
  freeFormRate?: number;
  /** Smallest sample count of free-form items. */
  minSamples?: number;
  withBenchmark?: boolean;
}

/** `count` items; option distributions range from flat to very peaked, with occasional exact ties. */
export function randomItems(seed: number, count: number, opts: RandomItemOptions = {}): ItemResult[] {
  const rng = createRng(seed);
  const out: ItemResult[] = [];
  for (let i = 0; i < count; i++) {
    const base = {
      item: `q${i}`,
      modality: MODALITIES[rng.int(MODALITIES.length)] as string,
      task: TASKS[rng.int(TASKS.length)] as string,
      split: SPLITS[rng.int(SPLITS.length)] as string,
      ...(opts.withBenchmark ? { benchmark: rng.next() < 0.5 ? 'medmnist' : 'pmc-vqa' } : {}),
    };
    if (rng.next() < (opts.freeFormRate ?? 0)) {
      const n = (opts.minSamples ?? 1) + rng.int(20);
      out.push({ ...base, probs: [], correct: null, samples: { n, c: rng.int(n + 1) }, greedyCorrect: rng.next() < 0.5 });
      continue;
    }
    const m = 2 + rng.int(5);
    const sharp = 0.2 + 4 * rng.next();
    let raw = Array.from({ length: m }, () => Math.pow(-Math.log(1 - rng.next()), sharp));
    if (rng.next() < 0.05) raw = raw.map(() => 1); // exact tie
    if (rng.next() < 0.05) raw = raw.map((_, j) => (j === 0 ? 1 : 0)); // one-hot, zero probabilities
    const total = raw.reduce((s, x) => s + x, 0);
    out.push({ ...base, probs: raw.map((x) => x / total), correct: rng.int(m) });
  }
  return out;
}
