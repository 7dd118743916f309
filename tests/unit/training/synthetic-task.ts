// Test helpers: synthetic multiple-choice tasks whose answer is determined by image and option
// text features, option-order permutations of items, and a finite-difference gradient check.
import { createRng, deriveSeed, shuffled, type Rng } from '../../../shared/random.ts';
import type { FloatArray, FloatDType, PermutedView, TrainItem } from '../../../electron/training/index.ts';

export interface TaskOptions {
  seed: number;
  count: number;
  numClasses: number;
  numOptions: number | readonly [number, number];
  imageDim: number;
  textDim: number;
  /** Std of the Gaussian noise added to the image prototype. */
  imageNoise?: number;
  dtype?: FloatDType;
  /** Base logit of option j given whether it is correct and whether it is the item's "attractor" distractor. */
  baseLogit?: (isCorrect: boolean, isAttractor: boolean, rng: Rng) => number;
  /** Number of option-order permutations to attach to each item (for GRPO-CARE). */
  views?: number;
  /** Attach per-option class labels (for the adapter's label head). */
  labels?: boolean;
}

function alloc(dtype: FloatDType, n: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

function gaussianMatrix(rng: Rng, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

/** Items of a K-class task: image v = P_class + noise, option j text = E_{class(j)}. */
export function makeTask(o: TaskOptions): TrainItem[] {
  const protoRng = createRng(deriveSeed(o.seed, 'prototypes'));
  const imageProto = gaussianMatrix(protoRng, o.numClasses, o.imageDim);
  const textProto = gaussianMatrix(protoRng, o.numClasses, o.textDim);
  const rng = createRng(deriveSeed(o.seed, 'items'));
  const dtype = o.dtype ?? 'float32';
  const noise = o.imageNoise ?? 0.3;
  const classes = Array.from({ length: o.numClasses }, (_, k) => k);
  const items: TrainItem[] = [];
  for (let n = 0; n < o.count; n++) {
    const m = typeof o.numOptions === 'number' ? o.numOptions : o.numOptions[0] + rng.int(o.numOptions[1] - o.numOptions[0] + 1);
    const cls = rng.int(o.numClasses);
    const distractors = shuffled(
      classes.filter((k) => k !== cls),
      rng,
    ).slice(0, m - 1);
    const optionClasses = shuffled([cls, ...distractors], rng);
    const correct = optionClasses.indexOf(cls);
    const attractor = optionClasses.indexOf(distractors[0]!);
    const image = alloc(dtype, o.imageDim);
    for (let d = 0; d < o.imageDim; d++) image[d] = imageProto[cls]![d]! + noise * rng.normal();
    const optionText = alloc(dtype, m * o.textDim);
    for (let j = 0; j < m; j++) for (let e = 0; e < o.textDim; e++) optionText[j * o.textDim + e] = textProto[optionClasses[j]!]![e]!;
    const baseLogits = alloc(dtype, m);
    for (let j = 0; j < m; j++) baseLogits[j] = o.baseLogit ? o.baseLogit(j === correct, j === attractor, rng) : 0;
    const item: TrainItem = {
      baseLogits,
      image,
      optionText,
      correct,
      ...(o.labels ? { optionLabels: Int32Array.from(optionClasses) } : {}),
    };
    items.push(o.views ? { ...item, views: makeViews(item, o.textDim, o.views, rng, dtype) } : item);
  }
  return items;
}

/** The same item with its options reordered `count` times. */
export function makeViews(item: TrainItem, textDim: number, count: number, rng: Rng, dtype: FloatDType): PermutedView[] {
  const m = item.baseLogits.length;
  const views: PermutedView[] = [];
  for (let v = 0; v < count; v++) {
    const originalIndex = Int32Array.from(
      shuffled(
        Array.from({ length: m }, (_, j) => j),
        rng,
      ),
    );
    const baseLogits = alloc(dtype, m);
    const optionText = alloc(dtype, m * textDim);
    for (let j = 0; j < m; j++) {
      const o = originalIndex[j]!;
      baseLogits[j] = item.baseLogits[o]!;
      for (let e = 0; e < textDim; e++) optionText[j * textDim + e] = item.optionText[o * textDim + e]!;
    }
    views.push({
      baseLogits,
      image: item.image,
      optionText,
      originalIndex,
      ...(item.optionLabels ? { optionLabels: Int32Array.from(originalIndex, (o) => item.optionLabels![o]!) } : {}),
    });
  }
  return views;
}

export interface FdResult {
  /** ‖g_analytic − g_fd‖₂ / max(‖g_analytic‖₂, ‖g_fd‖₂) */
  relErr: number;
  analyticNorm: number;
}

/** Central differences of `loss` over every coordinate of `params` (mutated and restored). */
export function finiteDifferenceCheck(params: Float64Array, loss: () => number, analytic: ArrayLike<number>, h = 1e-6): FdResult {
  let diff = 0;
  let na = 0;
  let nf = 0;
  for (let i = 0; i < params.length; i++) {
    const x = params[i]!;
    params[i] = x + h;
    const up = loss();
    params[i] = x - h;
    const down = loss();
    params[i] = x;
    const fd = (up - down) / (2 * h);
    const a = analytic[i]!;
    diff += (a - fd) ** 2;
    na += a * a;
    nf += fd * fd;
  }
  const denom = Math.max(Math.sqrt(na), Math.sqrt(nf), 1e-300);
  return { relErr: Math.sqrt(diff) / denom, analyticNorm: Math.sqrt(na) };
}

/** Fills every parameter with N(0, std²) (gradient checks need W ≠ 0 so that dU ≠ 0). */
export function randomize(params: FloatArray, seed: number, std: number): void {
  const rng = createRng(seed);
  for (let i = 0; i < params.length; i++) params[i] = std * rng.normal();
}

/** Accuracy@1 and mean p_correct of a policy over items. */
export function accuracyOf(probsOf: (item: TrainItem) => Float64Array, items: readonly TrainItem[]): { acc: number; meanPCorrect: number } {
  let hits = 0;
  let pc = 0;
  for (const item of items) {
    const p = probsOf(item);
    let best = 0;
    for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
    if (best === item.correct) hits++;
    pc += p[item.correct]!;
  }
  return { acc: hits / items.length, meanPCorrect: pc / items.length };
}
