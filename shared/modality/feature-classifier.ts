// Layer 3: multinomial logistic regression on image feature vectors (cheapImageFeatures, or a vision tower's
// features once a model pack provides them). Chosen over nearest-centroid because its probabilities are fitted
// by log loss, i.e. calibrated on the training distribution, which the confidence threshold relies on.
// Trained only on items whose modality is known for sure; features standardised with training statistics;
// L2 picked from a grid by log loss on a seeded, stratified validation split, then refitted on all rows.
// A row far from every class is 'none': logistic regression is over-confident away from its data (a blend of
// two modalities, a kind of image never seen). "Far" = root-mean-square per-feature z-score against the class's
// own mean and spread (diagonal Mahalanobis) beyond RADIUS_MARGIN × the 99th percentile seen in training.
import { z } from 'zod';
import { Modality, type LabelSource } from '../items.ts';
import { minimizeLbfgs } from '../probe/lbfgs.ts';
import { meanLogLoss, parameterCount, softmaxObjective, softmaxProbabilities, type SoftmaxShape } from '../probe/softmax-regression.ts';
import { fitStandardizer, standardizeRow, type Standardizer } from '../probe/standardize.ts';
import { createRng, deriveSeed, shuffled } from '../random.ts';
import type { ModalityLabel } from './types.ts';

export const CLASSIFIER_FORMAT = 'medbridge-modality-classifier/1';
/** Below this top probability the classifier says 'none' (design.md §5: "below a confidence threshold the label is none"). */
export const DEFAULT_CLASSIFIER_THRESHOLD = 0.6;
/** Label sources trusted as training targets. */
export const TRUSTED_SOURCES: readonly LabelSource[] = ['source', 'dicom-tag', 'manual'];
export const DEFAULT_CLASSIFIER_L2_GRID: readonly number[] = [1e-3, 1e-2, 1e-1, 1];
export const DEFAULT_CLASSIFIER_VAL_FRACTION = 0.2;
/** A class needs this many rows before some are held out for choosing L2. */
const MIN_ROWS_TO_HOLD_OUT = 5;
/** Out-of-distribution radius: this quantile of a class's training distances to its centroid … */
const RADIUS_QUANTILE = 0.99;
/** … times this margin. */
const RADIUS_MARGIN = 1.5;
/** Per-class spread floor (in units of the overall standard deviation), so a feature constant within a class still tolerates noise. */
const MIN_CLASS_SPREAD = 0.1;

export const ModalityClassifierModel = z.object({
  format: z.literal(CLASSIFIER_FORMAT),
  classes: z.array(Modality).min(2),
  featureLength: z.number().int().positive(),
  mean: z.array(z.number()),
  scale: z.array(z.number().positive()),
  /** classes × featureLength, row-major, on standardised features. */
  weights: z.array(z.number()),
  bias: z.array(z.number()),
  l2: z.number().positive(),
  seed: z.number().int(),
  trainedOn: z.record(z.string(), z.number().int()),
  /** Per class, in standardised space: feature means, spreads (std, floored) and the out-of-distribution radius. */
  centroids: z.array(z.array(z.number())),
  spreads: z.array(z.array(z.number().positive())),
  radius: z.array(z.number()),
});
export type ModalityClassifierModel = z.infer<typeof ModalityClassifierModel>;

export interface LabelledFeatures {
  features: ArrayLike<number>;
  modality: Modality;
  source: LabelSource;
}

export interface ClassifierTrainOptions {
  seed?: number;
  l2Grid?: readonly number[];
  valFraction?: number;
}

function fit(rows: readonly Float64Array[], labels: readonly number[], shape: SoftmaxShape, l2: number): Float64Array {
  const x0 = new Float64Array(parameterCount(shape));
  return minimizeLbfgs((p) => softmaxObjective(p, shape, rows, labels, l2), x0).x;
}

export function trainModalityClassifier(examples: readonly LabelledFeatures[], options: ClassifierTrainOptions = {}): ModalityClassifierModel {
  const seed = options.seed ?? 0;
  const grid = options.l2Grid ?? DEFAULT_CLASSIFIER_L2_GRID;
  const valFraction = options.valFraction ?? DEFAULT_CLASSIFIER_VAL_FRACTION;
  const usable = examples.filter((e) => TRUSTED_SOURCES.includes(e.source) && e.modality !== 'none');
  const classes = [...new Set(usable.map((e) => e.modality))].sort();
  if (classes.length < 2) throw new RangeError(`the classifier needs items of at least 2 known modalities, got ${classes.length}`);
  const raw = usable.map((e) => e.features);
  const standardizer: Standardizer = fitStandardizer(raw);
  const rows = raw.map((r) => standardizeRow(r, standardizer));
  const labels = usable.map((e) => classes.indexOf(e.modality));
  const shape: SoftmaxShape = { classes: classes.length, dim: standardizer.mean.length };

  // Seeded stratified hold-out for choosing L2 by log loss.
  const trainIdx: number[] = [];
  const valIdx: number[] = [];
  const rng = createRng(deriveSeed(seed, 'modality-classifier:val'));
  for (let c = 0; c < classes.length; c++) {
    const members = shuffled(
      labels.flatMap((l, i) => (l === c ? [i] : [])),
      rng,
    );
    const hold = members.length >= MIN_ROWS_TO_HOLD_OUT ? Math.round(members.length * valFraction) : 0;
    valIdx.push(...members.slice(0, hold));
    trainIdx.push(...members.slice(hold));
  }
  let l2 = grid[Math.floor(grid.length / 2)] as number;
  if (valIdx.length > 0 && grid.length > 1) {
    let bestLoss = Infinity;
    for (const lambda of grid) {
      const params = fit(
        trainIdx.map((i) => rows[i] as Float64Array),
        trainIdx.map((i) => labels[i] as number),
        shape,
        lambda,
      );
      const loss = meanLogLoss(
        params,
        shape,
        valIdx.map((i) => rows[i] as Float64Array),
        valIdx.map((i) => labels[i] as number),
      );
      if (loss < bestLoss) {
        bestLoss = loss;
        l2 = lambda;
      }
    }
  }
  const params = fit(rows, labels, shape, l2);

  const centroids: number[][] = [];
  const spreads: number[][] = [];
  const counts: number[] = [];
  for (let c = 0; c < classes.length; c++) {
    const members = rows.filter((_, i) => labels[i] === c);
    const fit = fitStandardizer(members);
    counts.push(members.length);
    centroids.push(fit.mean);
    // fitStandardizer gives constant features a scale of 1; a class spread is floored instead.
    spreads.push(fit.scale.map((sd, j) => (members.every((r) => r[j] === members[0]?.[j]) ? MIN_CLASS_SPREAD : Math.max(sd, MIN_CLASS_SPREAD))));
  }
  const radius = classes.map((_, c) => {
    const d = rows.flatMap((r, i) => (labels[i] === c ? [zDistance(r, centroids[c] as number[], spreads[c] as number[])] : [])).sort((a, b) => a - b);
    return (d[Math.min(d.length - 1, Math.floor(RADIUS_QUANTILE * d.length))] as number) * RADIUS_MARGIN;
  });
  const trainedOn: Record<string, number> = {};
  classes.forEach((m, c) => (trainedOn[m] = counts[c] as number));
  return {
    format: CLASSIFIER_FORMAT,
    classes,
    featureLength: shape.dim,
    mean: standardizer.mean,
    scale: standardizer.scale,
    weights: Array.from(params.subarray(0, shape.classes * shape.dim)),
    bias: Array.from(params.subarray(shape.classes * shape.dim)),
    l2,
    seed,
    trainedOn,
    centroids,
    spreads,
    radius,
  };
}

/** Root-mean-square z-score of `x` against a class mean and per-feature spread. */
function zDistance(x: ArrayLike<number>, mean: readonly number[], spread: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += (((x[j] as number) - (mean[j] as number)) / (spread[j] as number)) ** 2;
  return Math.sqrt(s / x.length);
}

export interface ClassifierOutput {
  /** Probability per class, in model.classes order. */
  probabilities: Record<string, number>;
  /** True when the row is outside every class's training radius. */
  outOfDistribution: boolean;
}

export function classifierProbabilities(model: ModalityClassifierModel, features: ArrayLike<number>): ClassifierOutput {
  if (features.length !== model.featureLength) throw new RangeError(`feature vector has ${features.length} values, the model expects ${model.featureLength}`);
  const x = standardizeRow(features, { mean: model.mean, scale: model.scale });
  const shape: SoftmaxShape = { classes: model.classes.length, dim: model.featureLength };
  const p = softmaxProbabilities([...model.weights, ...model.bias], shape, x, new Float64Array(shape.classes));
  const probabilities: Record<string, number> = {};
  model.classes.forEach((m, c) => (probabilities[m] = p[c] as number));
  const outOfDistribution = model.centroids.every((centroid, c) => zDistance(x, centroid, model.spreads[c] as number[]) > (model.radius[c] as number));
  return { probabilities, outOfDistribution };
}

/** The classifier's label: the most probable modality, or 'none' when below `threshold` or out of distribution. */
export function predictModality(model: ModalityClassifierModel, features: ArrayLike<number>, threshold = DEFAULT_CLASSIFIER_THRESHOLD): ModalityLabel {
  const { probabilities, outOfDistribution } = classifierProbabilities(model, features);
  const ranked = Object.entries(probabilities).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const [top, p] = ranked[0] as [string, number];
  const runnerUp = ranked[1] as [string, number];
  const detail = `${top} ${p.toFixed(3)}, ${runnerUp[0]} ${runnerUp[1].toFixed(3)}`;
  if (outOfDistribution) return { modality: 'none', source: 'classifier', confidence: p, detail: `out of distribution (${detail})` };
  if (p < threshold) return { modality: 'none', source: 'classifier', confidence: p, detail: `below ${threshold} (${detail})` };
  return { modality: top as Modality, source: 'classifier', confidence: p, detail };
}
