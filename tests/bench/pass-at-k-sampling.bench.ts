// (b) Exact Pass@16 from one forward pass per item (1 − (1 − p_correct)^16, design.md §3) against estimating it from
// 16 sampled answers per item, each from its own forward pass (the unbiased estimator with n = K = 16), with the
// reference pack on the bundled pneumonia test images. Reports forward passes and time saved, and whether the two
// means agree within the sampled estimate's bootstrap interval.
import { join } from 'node:path';
import { collectEvents, readMedMnist } from '../../electron/formats/index.ts';
import { ReferencePackRunner, optionProbabilities, type McItemInput } from '../../electron/models/index.ts';
import { bootstrapColumnMeans, estimatedPassAtK, exactPassAtK, percentileInterval } from '../../shared/metrics/index.ts';
import { createRng } from '../../shared/random.ts';
import type { Benchmark, BenchRow } from './harness.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const K = 16;
const SMALL_K = 2;
const ITEMS = 200;
const TEMPERATURE = 1;
const BOOTSTRAP = 1000;

export const passAtKSamplingBench: Benchmark = {
  name: 'pass-at-k-sampling',
  async run(): Promise<BenchRow[]> {
    const { items: read } = await collectEvents(
      readMedMnist(join(ROOT, 'resources', 'samples', 'medmnist', 'pneumoniamnist.npz'), { seed: 1, splits: ['test'] }),
    );
    const picked = read.slice(0, ITEMS);
    const items: McItemInput[] = picked.map((r) => ({ images: [r.image!], question: r.item.question, options: r.item.options }));
    const correct = picked.map((r) => r.item.correct as number);
    const runner = await ReferencePackRunner.open(join(ROOT, 'resources', 'models', 'reference-v1'), { batchSize: 1 });
    try {
      await runner.scoreItems(items.slice(0, 4)); // warm-up
      const t0 = process.hrtime.bigint();
      const exactScores = await runner.scoreItems(items);
      const exactSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

      const rng = createRng(7);
      const hits = new Array<number>(items.length).fill(0);
      const t1 = process.hrtime.bigint();
      for (let s = 0; s < K; s++) {
        // One generation per item: a forward pass, then an answer drawn from the option distribution.
        const scores = await runner.scoreItems(items);
        scores.forEach((sc, i) => {
          const p = optionProbabilities(sc.baseLogits, TEMPERATURE);
          let u = rng.next();
          let pick = p.length - 1;
          for (let j = 0; j < p.length; j++) {
            u -= p[j] as number;
            if (u < 0) {
              pick = j;
              break;
            }
          }
          if (pick === correct[i]) hits[i]!++;
        });
      }
      const sampledSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      // The same 16 samples also estimate Pass@2 (unbiased estimator with n = 16), informative for two options.
      const rows: BenchRow[] = [];
      for (const k of [K, SMALL_K]) {
        const exactK = exactScores.map((sc, i) => exactPassAtK(optionProbabilities(sc.baseLogits, TEMPERATURE)[correct[i] as number] as number, k));
        const estimated = hits.map((c) => estimatedPassAtK(K, c, k));
        const ci = percentileInterval(bootstrapColumnMeans([Float64Array.from(estimated)], BOOTSTRAP, createRng(11))[0] as Float64Array, 0.95) as [
          number,
          number,
        ];
        // At the ceiling the interval collapses to a point: agreement is then within 1/n of it.
        const agrees = (mean(exactK) >= ci[0] && mean(exactK) <= ci[1]) || Math.abs(mean(exactK) - mean(estimated)) <= 1 / ITEMS;
        rows.push({
          name: `Pass@${k} exact, ${ITEMS} items, 1 forward pass each`,
          value: mean(exactK),
          unit: `Pass@${k}`,
          baseline: mean(estimated),
          baselineName: `estimated from ${K} samples [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}] ${agrees ? 'agrees' : 'DISAGREES'}`,
          ratio: mean(exactK) / mean(estimated),
        });
      }
      return [
        ...rows,
        { name: 'forward passes, exact vs sampled', value: ITEMS, unit: 'passes', baseline: ITEMS * K, baselineName: 'sampled', ratio: K },
        {
          name: 'time, exact vs sampled',
          value: exactSeconds,
          unit: 's',
          baseline: sampledSeconds,
          baselineName: 'sampled',
          ratio: sampledSeconds / exactSeconds,
        },
      ];
    } finally {
      await runner.dispose();
    }
  },
};
