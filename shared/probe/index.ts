// MedBridge linear probe (design.md §1 "Perception vs alignment"): multinomial logistic regression on
// frozen vision features. Pure, deterministic, no Node/DOM.
//
//   trainLinearProbe(input: ProbeInput, options?: ProbeOptions): ProbeResult
//     standardise with train statistics → L-BFGS fit per L2 in DEFAULT_L2_GRID → pick by validation
//     accuracy (then log loss, then stronger L2) → test accuracy + Wilson interval, per-task
//     accuracy, confusion matrix [true][pred], weights on standardised features.
//   probePredict(result, features) → {label, probs}
//   minimizeLbfgs(fg, x0, options?) → {x, f, gradNorm, iterations, converged, reason}
//     converged ⇔ ‖∇f‖∞ ≤ gradientTolerance (default 1e-8).

export { DEFAULT_GRADIENT_TOLERANCE, DEFAULT_LBFGS_MEMORY, DEFAULT_MAX_ITERATIONS, minimizeLbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.ts';
export {
  DEFAULT_L2_GRID,
  DEFAULT_PROBE_SEED,
  DEFAULT_VAL_FRACTION,
  probePredict,
  trainLinearProbe,
  type GridPoint,
  type ProbeInput,
  type ProbeOptions,
  type ProbeResult,
  type SplitEvaluation,
} from './linear-probe.ts';
export { meanLogLoss, parameterCount, softmaxObjective, softmaxProbabilities, type SoftmaxShape } from './softmax-regression.ts';
export { fitStandardizer, standardizeRow, type Standardizer } from './standardize.ts';
