// Multinomial logistic regression: mean cross-entropy of softmax(W x + b) plus (λ/2)‖W‖² (bias not penalised)
// (Bishop 2006, "Pattern Recognition and Machine Learning", §4.3.4; gradient ∂/∂W_c = mean((p_c − y_c) x) + λ W_c).

/** Parameters packed as [W row-major (classes × dim), b (classes)]. */
export interface SoftmaxShape {
  classes: number;
  dim: number;
}

export function parameterCount(shape: SoftmaxShape): number {
  return shape.classes * (shape.dim + 1);
}

/** Class probabilities of one standardised row; `out` receives them. */
export function softmaxProbabilities(params: ArrayLike<number>, shape: SoftmaxShape, x: ArrayLike<number>, out: Float64Array): Float64Array {
  const { classes, dim } = shape;
  const biasAt = classes * dim;
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    let z = params[biasAt + c] as number;
    const base = c * dim;
    for (let j = 0; j < dim; j++) z += (params[base + j] as number) * (x[j] as number);
    out[c] = z;
    if (z > max) max = z;
  }
  let total = 0;
  for (let c = 0; c < classes; c++) {
    const e = Math.exp((out[c] as number) - max);
    out[c] = e;
    total += e;
  }
  for (let c = 0; c < classes; c++) out[c] = (out[c] as number) / total;
  return out;
}

/** Mean cross-entropy (no penalty) of labelled rows: the validation/test log loss. */
export function meanLogLoss(params: ArrayLike<number>, shape: SoftmaxShape, rows: readonly Float64Array[], labels: ArrayLike<number>): number {
  const p = new Float64Array(shape.classes);
  let loss = 0;
  for (let i = 0; i < rows.length; i++) {
    softmaxProbabilities(params, shape, rows[i] as Float64Array, p);
    loss -= Math.log(Math.max(p[labels[i] as number] as number, Number.MIN_VALUE));
  }
  return loss / rows.length;
}

/** Penalised objective and its gradient at `params`. */
export function softmaxObjective(
  params: Float64Array,
  shape: SoftmaxShape,
  rows: readonly Float64Array[],
  labels: ArrayLike<number>,
  l2: number,
): { f: number; g: Float64Array } {
  const { classes, dim } = shape;
  const n = rows.length;
  const biasAt = classes * dim;
  const g = new Float64Array(params.length);
  const p = new Float64Array(classes);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const x = rows[i] as Float64Array;
    const y = labels[i] as number;
    softmaxProbabilities(params, shape, x, p);
    loss -= Math.log(Math.max(p[y] as number, Number.MIN_VALUE));
    for (let c = 0; c < classes; c++) {
      const r = (p[c] as number) - (c === y ? 1 : 0);
      const base = c * dim;
      for (let j = 0; j < dim; j++) g[base + j] = (g[base + j] as number) + r * (x[j] as number);
      g[biasAt + c] = (g[biasAt + c] as number) + r;
    }
  }
  let penalty = 0;
  for (let k = 0; k < params.length; k++) {
    g[k] = (g[k] as number) / n;
    if (k < biasAt) {
      const w = params[k] as number;
      penalty += w * w;
      g[k] = (g[k] as number) + l2 * w;
    }
  }
  return { f: loss / n + 0.5 * l2 * penalty, g };
}
