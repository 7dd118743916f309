// Diagnosis throughput and the feature cache, on the shipped reference pack (CPU) and the model test fixtures:
//  (a) items/s of the app's scoring path (ReferencePackRunner.scoreItems + option distribution at T) against a bare
//      onnxruntime-node session.run loop over the same inputs (decoded images and option texts), same batch size and
//      session options (target ≥ 0.9). The bare loop does only what any caller must: resize/normalise each image as the
//      pack's manifest prescribes, hash each option text once, run the three graphs. A second row gives the same app
//      time against ONNX Runtime alone on tensors made before the clock starts, so the pack's preprocessing cost is
//      visible too. The worker's full path (PNG decode + scoring + feature blobs) is reported beside;
//  (c) a re-run served by a warm feature cache against the cold run (target ≥ 20×).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { mcTemplateHash } from '../../electron/diagnosis/template-hash.ts';
import { scoreBatch, type WorkItem } from '../../electron/diagnosis/score-items.ts';
import { encodePng } from '../../electron/formats/image-normalise.ts';
import { ReferencePackRunner, optionProbabilities, textHashEmbedding, writePixelValues, loadModelPack, type McItemInput } from '../../electron/models/index.ts';
import { NO_SPINNING } from '../../electron/models/onnx-sessions.ts';
import { BlobStore } from '../../electron/storage/blob-store.ts';
import { readImageSet, REFERENCE_PACK_DIR } from '../integration/models/image-set-fixture.ts';
import type { Benchmark, BenchRow } from './harness.ts';
import { medianSeconds } from './harness.ts';

const BATCH = 64;
const ROUNDS = 7;
const PIXEL_CHANNELS = 3;

interface Prepared {
  pixels: Float32Array;
  hashes: Float32Array;
  b: number;
  m: number;
}

interface BareLoop {
  /** From the items: preprocessing inline, then the three graphs. */
  fromItems: () => Promise<void>;
  /** ONNX Runtime alone, on tensors prepared once beforehand. */
  fromTensors: () => Promise<void>;
  release: () => Promise<void>;
}

async function bareLoop(items: readonly McItemInput[]): Promise<BareLoop> {
  const pack = await loadModelPack(REFERENCE_PACK_DIR);
  const m = pack.manifest;
  const g = (k: string) => m.graphs[k] as { file: string; inputs: string[]; outputs: string[] };
  const open = (k: string) =>
    ort.InferenceSession.create(join(REFERENCE_PACK_DIR, g(k).file), { executionProviders: ['cpu'], graphOptimizationLevel: 'all', extra: NO_SPINNING });
  const [vision, optionEncoder, answerHead] = await Promise.all([open('vision'), open('optionEncoder'), open('answerHead')]);
  const size = m.preprocessing!.size[0];
  const norm = { size, mean: m.preprocessing!.mean, std: m.preprocessing!.std };
  const dim = m.textEncoding!.dim;
  const dv = m.featureDims.image;
  const dt = m.featureDims.option;
  const prepare = (chunk: readonly McItemInput[], hashOf: (text: string) => Float32Array): Prepared => {
    const per = PIXEL_CHANNELS * size * size;
    const pixels = new Float32Array(chunk.length * per);
    chunk.forEach((it, i) => writePixelValues(it.images[0]!, norm, pixels, i * per));
    const mMax = Math.max(...chunk.map((it) => it.options.length));
    const hashes = new Float32Array(chunk.length * mMax * dim);
    chunk.forEach((it, i) => it.options.forEach((o, j) => hashes.set(hashOf(o), (i * mMax + j) * dim)));
    return { pixels, hashes, b: chunk.length, m: mMax };
  };
  const runGraphs = async (p: Prepared) => {
    const img = (await vision.run({ [g('vision').inputs[0]!]: new ort.Tensor('float32', p.pixels, [p.b, PIXEL_CHANNELS, size, size]) }))[
      g('vision').outputs[0]!
    ] as ort.Tensor;
    const opt = (await optionEncoder.run({ [g('optionEncoder').inputs[0]!]: new ort.Tensor('float32', p.hashes, [p.b, p.m, dim]) }))[
      g('optionEncoder').outputs[0]!
    ] as ort.Tensor;
    await answerHead.run({
      [g('answerHead').inputs[0]!]: new ort.Tensor('float32', img.data as Float32Array, [p.b, dv]),
      [g('answerHead').inputs[1]!]: new ort.Tensor('float32', opt.data as Float32Array, [p.b, p.m, dt]),
    });
  };
  const hashOnce = () => {
    const seen = new Map<string, Float32Array>();
    return (text: string) => {
      let h = seen.get(text);
      if (!h) seen.set(text, (h = textHashEmbedding(text, dim)));
      return h;
    };
  };
  const tensorHash = hashOnce();
  const batches: Prepared[] = [];
  for (let s = 0; s < items.length; s += BATCH) batches.push(prepare(items.slice(s, s + BATCH), tensorHash));
  return {
    fromItems: async () => {
      const hashOf = hashOnce();
      for (let s = 0; s < items.length; s += BATCH) await runGraphs(prepare(items.slice(s, s + BATCH), hashOf));
    },
    fromTensors: async () => {
      for (const p of batches) await runGraphs(p);
    },
    release: async () => {
      await Promise.all([vision.release(), optionEncoder.release(), answerHead.release()]);
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export const diagnoseBench: Benchmark = {
  name: 'diagnose',
  async run(): Promise<BenchRow[]> {
    const fixture = [...readImageSet('reference-heldout'), ...readImageSet('medmnist-slice')];
    const items: McItemInput[] = fixture.map((f) => ({ images: f.images, question: f.question, options: f.options }));
    const n = items.length;
    const runner = await ReferencePackRunner.open(REFERENCE_PACK_DIR, { batchSize: BATCH });
    const bare = await bareLoop(items);
    const dir = mkdtempSync(join(tmpdir(), 'medbridge-bench-diagnose-'));
    try {
      // (a) interleaved rounds, medians
      const appTimes: number[] = [];
      const bareTimes: number[] = [];
      const ortTimes: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        bareTimes.push(await medianSeconds(() => bare.fromItems(), 1));
        ortTimes.push(await medianSeconds(() => bare.fromTensors(), 1));
        appTimes.push(
          await medianSeconds(async () => {
            const scores = await runner.scoreItems(items);
            for (const s of scores) optionProbabilities(s.baseLogits, 1);
          }, 1),
        );
      }
      const app = median(appTimes);
      const bareS = median(bareTimes);
      const ortS = median(ortTimes);

      // worker path and (c): images stored as PNG blobs, cold store vs warm cache
      const store = new BlobStore(join(dir, 'ws'));
      const work: WorkItem[] = [];
      for (const [i, f] of fixture.entries()) {
        const png = store.put(await encodePng(f.images[0]!));
        work.push({
          item: `it-${i}`,
          split: 'test',
          imageHash: png.hash,
          question: f.question,
          options: [...f.options],
          correct: f.correct,
          templateHash: mcTemplateHash(f.question, f.options),
          cached: null,
        });
      }
      const getRunner = async () => runner;
      const coldTimes: number[] = [];
      const warmTimes: number[] = [];
      let warmWork: WorkItem[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const cache = new Map<string, string>();
        coldTimes.push(
          await medianSeconds(async () => {
            for (let s = 0; s < work.length; s += BATCH) {
              const out = await scoreBatch(work.slice(s, s + BATCH), store, getRunner, { temperature: 1 });
              for (const c of out.cache) cache.set(`${c.imageHash}/${c.templateHash}`, c.blob);
            }
          }, 1),
        );
        warmWork = work.map((w) => ({ ...w, cached: cache.get(`${w.imageHash}/${w.templateHash}`) ?? null }));
        warmTimes.push(
          await medianSeconds(async () => {
            for (let s = 0; s < warmWork.length; s += BATCH) {
              const out = await scoreBatch(
                warmWork.slice(s, s + BATCH),
                store,
                async () => {
                  throw new Error('warm run must not need the model');
                },
                { temperature: 1 },
              );
              if (out.counts.misses) throw new Error('cache miss on warm run');
            }
          }, 1),
        );
      }
      const cold = median(coldTimes);
      const warm = median(warmTimes);
      const loadS = await medianSeconds(async () => (await ReferencePackRunner.open(REFERENCE_PACK_DIR)).dispose(), 3);
      return [
        {
          name: `(a) scoreItems + softmax, ${n} items, batch ${BATCH}`,
          value: n / app,
          unit: 'items/s',
          baseline: n / bareS,
          baselineName: 'bare session.run loop (same items)',
          ratio: bareS / app,
          target: '≥ 0.9',
        },
        {
          name: '(a) same, against ONNX Runtime alone on ready-made tensors',
          value: n / app,
          unit: 'items/s',
          baseline: n / ortS,
          baselineName: 'session.run only',
          ratio: ortS / app,
        },
        {
          name: '(a) worker path: PNG decode + score + feature blobs (cold)',
          value: n / cold,
          unit: 'items/s',
          baseline: n / bareS,
          baselineName: 'bare session.run loop (same items)',
          ratio: bareS / cold,
        },
        {
          name: '(c) re-run from warm feature cache vs cold (model open)',
          value: n / warm,
          unit: 'items/s',
          baseline: n / cold,
          baselineName: 'cold run',
          ratio: cold / warm,
          target: '≥ 20',
        },
        {
          name: '(c) warm vs cold including the pack load a cold worker pays',
          value: n / warm,
          unit: 'items/s',
          baseline: n / (cold + loadS),
          baselineName: 'cold + load',
          ratio: (cold + loadS) / warm,
          target: '≥ 20',
        },
      ];
    } finally {
      await bare.release();
      await runner.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
