// The whole metrics report of one run: overall and per modality, task, split (and benchmark).
import { deriveSeed } from '../random.ts';
import { resolveMetricsConfig, type MetricsConfig, type MetricsOptions } from './config.ts';
import { computeGroupMetrics } from './group-metrics.ts';
import { groupIndices, groupLabel, type GroupDimension } from './grouping.ts';
import { validateItemResults, type ItemResult } from './item-result.ts';
import { scoreItem, type ItemScores } from './item-scores.ts';
import { METRICS_REPORT_SCHEMA_VERSION, type GroupMetrics, type MetricsReport } from './report-schema.ts';

function byDimension(items: readonly ItemResult[], scores: readonly ItemScores[], dim: GroupDimension, config: MetricsConfig): Record<string, GroupMetrics> {
  const out: Record<string, GroupMetrics> = {};
  for (const [key, idx] of groupIndices(items, dim)) {
    out[key] = computeGroupMetrics(
      idx.map((i) => items[i] as ItemResult),
      idx.map((i) => scores[i] as ItemScores),
      config,
      deriveSeed(config.seed, groupLabel(dim, key)),
    );
  }
  return out;
}

/**
 * Validates the items and computes the report (shape: `MetricsReportSchema`). Deterministic:
 * the same items, in the same order, with the same options give the same JSON.
 */
export function computeMetricsReport(rawItems: readonly unknown[], options: MetricsOptions = {}): MetricsReport {
  const config = resolveMetricsConfig(options);
  const items = validateItemResults(rawItems);
  if (items.length === 0) throw new RangeError('a metrics report needs at least one item');
  const maxK = config.ks[config.ks.length - 1] as number;
  const scores = items.map((r) => scoreItem(r, maxK));
  const report: MetricsReport = {
    schemaVersion: METRICS_REPORT_SCHEMA_VERSION,
    config,
    overall: computeGroupMetrics(items, scores, config, deriveSeed(config.seed, groupLabel('overall'))),
    byModality: byDimension(items, scores, 'modality', config),
    byTask: byDimension(items, scores, 'task', config),
    bySplit: byDimension(items, scores, 'split', config),
  };
  if (items.some((r) => r.benchmark !== undefined)) report.byBenchmark = byDimension(items, scores, 'benchmark', config);
  return report;
}
