// Linear probe on frozen vision features: does the image representation already separate the classes?
// Standardise with train statistics, fit multinomial logistic regression for each L2 strength of a
// named grid, keep the one with the best validation accuracy, report test accuracy with intervals.
import { createRng, deriveSeed, shuffled } from '../random.ts';
import { DEFAULT_CONFIDENCE, Z_95 } from '../metrics/constants.ts';
import { normalQuantile } from '../metrics/normal-quantile.ts';
import { wilsonInterval, type Interval } from '../metrics/wilson.ts';
import { DEFAULT_GRADIENT_TOLERANCE, DEFAULT_MAX_ITERATIONS, minimizeLbfgs, type LbfgsOptions } from './lbfgs.ts';
import { meanLogLoss, parameterCount, softmaxObjective, softmaxProbabilities, type SoftmaxShape } from './softmax-regression.ts';
import { fitStandardizer, standardizeRow, type Standardizer } from './standardize.ts';

/** L2 strengths tried, weakest first (λ of (λ/2)‖W‖² on standardised features). */
export const DEFAULT_L2_GRID: readonly number[] = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];
/** Fraction of the train rows held out for validation when no row is marked "val". */
export const DEFAULT_VAL_FRACTION = 0.2;
export const DEFAULT_PROBE_SEED = 0;

export interface ProbeInput {
  /** One feature vector per image (frozen vision tower output). */
  features: readonly Float32Array[];
  /** Class index per row, 0..classes−1. */
  labels: readonly number[];
  /** "train" | "val" | "test" per row (other values are ignored). */
  splits: readonly string[];
  /** Task per row, for per-task accuracy; default one task "all". */
  tasks?: readonly string[];
  /** Number of classes; default max label + 1. */
  classes?: number;
}

export interface ProbeOptions {
  l2Grid?: readonly number[];
  /** Used only to carve a validation split out of train when none is given. */
  seed?: number;
  valFraction?: number;
  optimizer?: LbfgsOptions;
  confidence?: number;
}

export interface GridPoint {
  l2: number;
  valAccuracy: number;
  valLogLoss: number;
  iterations: number;
  converged: boolean;
}

export interface SplitEvaluation {
  n: number;
  accuracy: number;
  /** Wilson interval. */
  accuracyCi: Interval;
  logLoss: number;
  byTask: Record<string, { n: number; accuracy: number; accuracyCi: Interval }>;
  /** counts[true class][predicted class]. */
  confusion: number[][];
}

export interface ProbeResult {
  classes: number;
  dim: number;
  /** Train statistics applied to every split before the linear map. */
  standardizer: Standardizer;
  /** classes × dim weights on standardised features, and the per-class bias. */
  weights: number[][];
  bias: number[];
  l2: number;
  grid: GridPoint[];
  optimizer: { iterations: number; converged: boolean; gradNorm: number; reason: string };
  counts: { train: number; val: number; test: number; valCarvedFromTrain: boolean };
  train: { accuracy: number; logLoss: number };
  val: SplitEvaluation;
  test: SplitEvaluation | null;
  seed: number;
}

/** Predicted class (argmax, ties → lowest index) and probabilities of one raw feature row. */
export function probePredict(result: Pick<ProbeResult, 'standardizer' | 'weights' | 'bias'>, features: ArrayLike<number>): { label: number; probs: number[] } {
  const shape = { classes: result.weights.length, dim: result.standardizer.mean.length };
  const params = packParams(result.weights, result.bias);
  const probs = Array.from(softmaxProbabilities(params, shape, standardizeRow(features, result.standardizer), new Float64Array(shape.classes)));
  return { label: argmaxIndex(probs), probs };
}

function packParams(weights: readonly number[][], bias: readonly number[]): Float64Array {
  return Float64Array.from([...weights.flat(), ...bias]);
}

function argmaxIndex(p: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
  return best;
}

function evaluate(params: Float64Array, shape: SoftmaxShape, rows: Float64Array[], labels: number[], tasks: string[], z: number): SplitEvaluation {
  const p = new Float64Array(shape.classes);
  const confusion = Array.from({ length: shape.classes }, () => new Array<number>(shape.classes).fill(0));
  const perTask = new Map<string, { n: number; hits: number }>();
  let hits = 0;
  rows.forEach((x, i) => {
    const pred = argmaxIndex(softmaxProbabilities(params, shape, x, p));
    const y = labels[i] as number;
    (confusion[y] as number[])[pred] = ((confusion[y] as number[])[pred] as number) + 1;
    const task = tasks[i] as string;
    const t = perTask.get(task) ?? { n: 0, hits: 0 };
    t.n++;
    if (pred === y) {
      hits++;
      t.hits++;
    }
    perTask.set(task, t);
  });
  const byTask: SplitEvaluation['byTask'] = {};
  for (const key of [...perTask.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const t = perTask.get(key) as { n: number; hits: number };
    byTask[key] = { n: t.n, accuracy: t.hits / t.n, accuracyCi: wilsonInterval(t.hits, t.n, z) };
  }
  return {
    n: rows.length,
    accuracy: hits / rows.length,
    accuracyCi: wilsonInterval(hits, rows.length, z),
    logLoss: meanLogLoss(params, shape, rows, labels),
    byTask,
    confusion,
  };
}

/**
 * Fits the probe. Selection: highest validation accuracy, then lowest validation log loss, then
 * the stronger L2. The chosen model is the one fitted on train (val is never fitted on), so its
 * validation numbers stay honest. The objective is strictly convex and the optimiser starts at
 * zero, so the result depends only on the data and options (the seed matters only when a
 * validation split is carved from train).
 */
export function trainLinearProbe(input: ProbeInput, options: ProbeOptions = {}): ProbeResult {
  const n = input.features.length;
  if (input.labels.length !== n || input.splits.length !== n || (input.tasks && input.tasks.length !== n)) {
    throw new RangeError('features, labels, splits (and tasks) must have the same length');
  }
  const classes = input.classes ?? Math.max(...input.labels) + 1;
  for (const y of input.labels) if (!Number.isInteger(y) || y < 0 || y >= classes) throw new RangeError(`label ${y} outside 0..${classes - 1}`);
  if (classes < 2) throw new RangeError('a probe needs at least two classes');
  const grid = options.l2Grid ?? DEFAULT_L2_GRID;
  if (grid.length === 0 || grid.some((l) => !(l > 0) || !Number.isFinite(l))) throw new RangeError('L2 grid values must be positive and finite');
  const seed = options.seed ?? DEFAULT_PROBE_SEED;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const z = confidence === DEFAULT_CONFIDENCE ? Z_95 : normalQuantile(1 - (1 - confidence) / 2);
  const tasks = input.tasks ?? new Array<string>(n).fill('all');

  let trainIdx: number[] = [];
  let valIdx: number[] = [];
  const testIdx: number[] = [];
  input.splits.forEach((s, i) => {
    if (s === 'train') trainIdx.push(i);
    else if (s === 'val') valIdx.push(i);
    else if (s === 'test') testIdx.push(i);
  });
  const valCarved = valIdx.length === 0;
  if (valCarved) {
    const fraction = options.valFraction ?? DEFAULT_VAL_FRACTION;
    const order = shuffled(trainIdx, createRng(deriveSeed(seed, 'probe:val-split')));
    const nVal = Math.round(order.length * fraction);
    valIdx = order.slice(0, nVal).sort((a, b) => a - b);
    trainIdx = order.slice(nVal).sort((a, b) => a - b);
  }
  if (trainIdx.length === 0 || valIdx.length === 0) throw new RangeError('a probe needs train and validation rows');

  const standardizer = fitStandardizer(trainIdx.map((i) => input.features[i] as Float32Array));
  const dim = standardizer.mean.length;
  const shape: SoftmaxShape = { classes, dim };
  const rowsOf = (idx: number[]) => idx.map((i) => standardizeRow(input.features[i] as Float32Array, standardizer));
  const labelsOf = (idx: number[]) => idx.map((i) => input.labels[i] as number);
  const tasksOf = (idx: number[]) => idx.map((i) => tasks[i] as string);
  const trainRows = rowsOf(trainIdx);
  const trainLabels = labelsOf(trainIdx);
  const valRows = rowsOf(valIdx);
  const valLabels = labelsOf(valIdx);
  const optimizer: LbfgsOptions = { maxIterations: DEFAULT_MAX_ITERATIONS, gradientTolerance: DEFAULT_GRADIENT_TOLERANCE, ...options.optimizer };

  const fits = grid.map((l2) => {
    const res = minimizeLbfgs((w) => softmaxObjective(w, shape, trainRows, trainLabels, l2), new Float64Array(parameterCount(shape)), optimizer);
    const val = evaluate(res.x, shape, valRows, valLabels, tasksOf(valIdx), z);
    return { l2, res, val };
  });
  let best = fits[0] as (typeof fits)[number];
  for (const fit of fits.slice(1)) {
    const better =
      fit.val.accuracy > best.val.accuracy ||
      (fit.val.accuracy === best.val.accuracy && fit.val.logLoss < best.val.logLoss) ||
      (fit.val.accuracy === best.val.accuracy && fit.val.logLoss === best.val.logLoss && fit.l2 > best.l2);
    if (better) best = fit;
  }
  const params = best.res.x;
  const trainEval = evaluate(params, shape, trainRows, trainLabels, tasksOf(trainIdx), z);
  const weights = Array.from({ length: classes }, (_, c) => Array.from(params.subarray(c * dim, (c + 1) * dim)));
  return {
    classes,
    dim,
    standardizer,
    weights,
    bias: Array.from(params.subarray(classes * dim)),
    l2: best.l2,
    grid: fits.map((f) => ({ l2: f.l2, valAccuracy: f.val.accuracy, valLogLoss: f.val.logLoss, iterations: f.res.iterations, converged: f.res.converged })),
    optimizer: { iterations: best.res.iterations, converged: best.res.converged, gradNorm: best.res.gradNorm, reason: best.res.reason },
    counts: { train: trainIdx.length, val: valIdx.length, test: testIdx.length, valCarvedFromTrain: valCarved },
    train: { accuracy: trainEval.accuracy, logLoss: trainEval.logLoss },
    val: best.val,
    test: testIdx.length > 0 ? evaluate(params, shape, rowsOf(testIdx), labelsOf(testIdx), tasksOf(testIdx), z) : null,
    seed,
  };
}
