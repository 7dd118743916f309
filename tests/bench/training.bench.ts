// Training throughput, each against PyTorch CPU (Debian python3-torch) on the same sizes in the same run:
//  (1) GRPO trainer steps/s: MedBridge's trainerStep (float32 adapter, hand-derived gradients, Adam, clipping) vs the
//      same update in batched float32 PyTorch autograd (tests/bench/grpo_torch_bench.py) — target ≥ 1.0×;
//  (2) items/s of an SFT training epoch over cached features: MedBridge decodes each item's feature-cache blob and
//      trains on it, vs PyTorch training on tensors already in memory.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../shared/random.ts';
import { decodeFeatureBlob, encodeFeatureBlob } from '../../electron/diagnosis/feature-blob.ts';
import {
  DEFAULT_ADAM_CONFIG,
  DEFAULT_GRPO_CONFIG,
  TrainerScratch,
  adapterItemFromFeatures,
  createAdapter,
  initTrainerState,
  trainerStep,
  type TrainItem,
  type TrainerConfig,
  type TrainerState,
} from '../../electron/training/index.ts';
import type { Benchmark, BenchRow } from './harness.ts';
import { ENGINE_PYTHON } from '../helpers/engine-python.ts';

const SIZES = {
  batch: 32,
  options: 4,
  imageDim: 128,
  textDim: 64,
  rank: 8,
  groupSize: 8,
  innerIterations: 2,
  epochItems: 2048,
  grpoSteps: 300,
  epochs: 3,
  lr: 1e-3,
  epsLow: 0.2,
  epsHigh: 0.28,
  beta: 0.04,
  seed: 1,
};
const PYTHON = ENGINE_PYTHON;
const SCRIPT = fileURLToPath(new URL('./grpo_torch_bench.py', import.meta.url));

function syntheticBlobs(n: number): Uint8Array[] {
  const rng = createRng(7);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const f = (len: number, s: number) => Float32Array.from({ length: len }, () => s * rng.normal());
    out.push(
      encodeFeatureBlob({
        baseLogits: f(SIZES.options, 1),
        imageFeatures: f(SIZES.imageDim, 1),
        optionFeatures: Array.from({ length: SIZES.options }, () => f(SIZES.textDim, 0.05)),
      }),
    );
  }
  return out;
}

function toItems(blobs: readonly Uint8Array[]): TrainItem[] {
  return blobs.map((b, i) => ({ ...adapterItemFromFeatures(decodeFeatureBlob(b)), correct: i % SIZES.options }));
}

export const trainingBench: Benchmark = {
  name: 'training',
  async run(): Promise<BenchRow[]> {
    const blobs = syntheticBlobs(SIZES.epochItems);
    const items = toItems(blobs);
    const adapter = createAdapter({ imageDim: SIZES.imageDim, textDim: SIZES.textDim, rank: SIZES.rank }, 1);
    const adam = { ...DEFAULT_ADAM_CONFIG, learningRate: SIZES.lr };
    const grpo: TrainerConfig = {
      algorithm: 'grpo',
      adam,
      maxGradNorm: 1,
      grpo: {
        ...DEFAULT_GRPO_CONFIG,
        groupSize: SIZES.groupSize,
        innerIterations: SIZES.innerIterations,
        epsilonLow: SIZES.epsLow,
        epsilonHigh: SIZES.epsHigh,
        beta: SIZES.beta,
      },
    };
    const sft: TrainerConfig = { algorithm: 'sft', adam, maxGradNorm: 1 };
    const scratch = new TrainerScratch(adapter.config, adapter.params);
    const batches = Array.from({ length: Math.ceil(items.length / SIZES.batch) }, (_, k) => items.slice(k * SIZES.batch, (k + 1) * SIZES.batch));

    let state: TrainerState = initTrainerState(adapter.params, 3, true);
    for (let k = 0; k < 5; k++) state = trainerStep(adapter.config, state, batches[k]!, grpo, scratch).state;
    let t0 = performance.now();
    for (let k = 0; k < SIZES.grpoSteps; k++) state = trainerStep(adapter.config, state, batches[k % batches.length]!, grpo, scratch).state;
    const grpoSteps = SIZES.grpoSteps / ((performance.now() - t0) / 1000);

    state = initTrainerState(adapter.params, 3, false);
    t0 = performance.now();
    for (let e = 0; e < SIZES.epochs; e++) {
      const epochItems = toItems(blobs);
      for (let k = 0; k < epochItems.length; k += SIZES.batch)
        state = trainerStep(adapter.config, state, epochItems.slice(k, k + SIZES.batch), sft, scratch).state;
    }
    const sftItems = (SIZES.epochs * items.length) / ((performance.now() - t0) / 1000);

    const py = spawnSync(PYTHON, [SCRIPT, JSON.stringify(SIZES)], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`PyTorch baseline failed (python3-torch installed?): ${py.stderr}`);
    const torch = JSON.parse(py.stdout.trim().split('\n').at(-1)!) as { grpoStepsPerSecond: number; sftItemsPerSecond: number; threads: number };
    const sizes = `B=${SIZES.batch} m=${SIZES.options} dv=${SIZES.imageDim} dt=${SIZES.textDim} r=${SIZES.rank} G=${SIZES.groupSize} μ=${SIZES.innerIterations}`;
    return [
      {
        name: `GRPO trainer steps/s (${sizes})`,
        value: grpoSteps,
        unit: 'steps/s',
        baseline: torch.grpoStepsPerSecond,
        baselineName: `PyTorch CPU float32, ${torch.threads} threads`,
        ratio: grpoSteps / torch.grpoStepsPerSecond,
        target: '≥ 1.0',
      },
      {
        name: `SFT epoch over cached features (${SIZES.epochItems} items)`,
        value: sftItems,
        unit: 'items/s',
        baseline: torch.sftItemsPerSecond,
        baselineName: `PyTorch CPU float32, tensors in memory`,
        ratio: sftItems / torch.sftItemsPerSecond,
      },
    ];
  },
};
