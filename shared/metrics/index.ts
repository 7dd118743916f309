// MedBridge metrics: the study's measuring instrument (design.md §3). Pure functions, no Node/DOM.
//
// Input: one `ItemResult` per evaluated item — the diagnosis dump line
//   {"item","probs","correct","modality","task","split"} (+ optional "benchmark",
//   free-form "samples": {n, c} with "greedyCorrect").
//
// Per item:
//   argmax / top1Correct        Accuracy@1, ties → lowest index
//   exactPassAtK(p, K)          1 − (1 − p)^K             (curve: exactPassAtKCurve)
//   estimatedPassAtK(n, c, K)   1 − C(n−c,K)/C(n,K), running product (Chen et al. 2021)
//   chancePassAtK(m, K)         1 − (1 − 1/m)^K
//   brierScore, entropyNats     multi-class Brier (Σ over options), entropy in nats
//   probsFromLogits(z, T)       softmax(z / T)
// Aggregates:
//   wilsonInterval(successes, n, z?)          Accuracy@1 interval
//   expectedCalibrationError(items, bins?)    ECE on max-prob confidence, 15 equal-width bins
//   letterBias(items)                         per letter: accuracy when correct, pick rate
//   bootstrapColumnMeans / percentileInterval seeded percentile bootstrap over items
//   computeMetricsReport(items, options?)     → MetricsReport {schemaVersion, config, overall,
//                                               byModality, byTask, bySplit, byBenchmark?}
//   compareRuns(runA, runB, options?)         → PairedComparison (Δ = B − A, paired bootstrap)
// Shapes: MetricsReportSchema, GroupMetricsSchema, PairedComparisonSchema (zod) in report-schema.ts.
// Pass@K is non-decreasing in K by construction (running products of factors in [0, 1]).

export * from './constants.ts';
export { argmax, top1Correct } from './accuracy.ts';
export { bootstrapColumnMeans, percentileInterval, quantileSorted } from './bootstrap.ts';
export { brierScore, confidenceBin, entropyNats, expectedCalibrationError, type CalibrationInput, type ReliabilityBin } from './calibration.ts';
export { MetricsConfig, resolveMetricsConfig, type MetricsOptions } from './config.ts';
export { computeGroupMetrics } from './group-metrics.ts';
export { groupIndices, groupKey, UNSPECIFIED_BENCHMARK, type GroupDimension } from './grouping.ts';
export { ItemResult, SampleCounts, parseItemResultLines, validateItemResults } from './item-result.ts';
export { scoreItem, type ItemScores } from './item-scores.ts';
export { letterBias, type LetterStats } from './letter-bias.ts';
export { normalQuantile } from './normal-quantile.ts';
export { compareRuns } from './paired.ts';
export { chancePassAtK, chancePassAtKCurve, estimatedPassAtK, estimatedPassAtKCurve, exactPassAtK, exactPassAtKCurve, normalizeKs } from './pass-at-k.ts';
export { computeMetricsReport } from './report.ts';
export {
  GroupMetricsSchema,
  IntervalSchema,
  METRICS_REPORT_SCHEMA_VERSION,
  MetricsReportSchema,
  PairedComparisonSchema,
  PairedGroupSchema,
  type GroupMetrics,
  type MetricsReport,
  type PairedComparison,
  type PairedGroup,
} from './report-schema.ts';
export { probsFromLogits } from './temperature.ts';
export { wilsonInterval, type Interval } from './wilson.ts';
