// Applies the recipe rule to every modality and task of a metrics report, with probe results where given. Support is
// judged per scope against its own chance level: each task (and modality) at the largest K whose chance level stays
// below the support target for its own option counts, so an 8-option task is not judged at the Pass@2 that a
// two-option task next to it needs. The overall scope, and `k` (the K the guard and the headline use), take the K that
// is informative in every task. A K the user picks applies to every scope.
import type { GroupMetrics, MetricsReport } from '../metrics/report-schema.ts';
import type { Interval } from '../metrics/wilson.ts';
import type { RecipeDecision } from './decision.ts';
import { recommend } from './recommend.ts';
import { informativeK, informativeKOfReport } from './informative-k.ts';
import { resolveThresholds, type RecipeThresholds } from './thresholds.ts';

export interface ProbeSummary {
  accuracy: number;
  accuracyCi?: Interval;
  /** Vision-only reference accuracy for the same scope. */
  referenceAccuracy?: number;
}

export interface ReportRecipeOptions {
  /** Must be one of the report's K values; default: the largest K whose chance level stays below the support target (informative-k.ts). */
  k?: number;
  thresholds?: Partial<RecipeThresholds>;
  probes?: { overall?: ProbeSummary; byModality?: Record<string, ProbeSummary>; byTask?: Record<string, ProbeSummary> };
}

export interface ReportRecipe {
  /** K informative in every task (overall scope, guard, headline); each decision's `numbers.k` is the K it was judged at. */
  k: number;
  thresholds: RecipeThresholds;
  overall: RecipeDecision | null;
  byModality: Record<string, RecipeDecision>;
  byTask: Record<string, RecipeDecision>;
  /** Scopes without a decision because Pass@K is not estimable there (too few samples). */
  skipped: string[];
}

export function recommendFromReport(report: MetricsReport, options: ReportRecipeOptions = {}): ReportRecipe {
  const thresholds = resolveThresholds(options.thresholds);
  const k = options.k ?? informativeKOfReport(report, thresholds.supportTarget);
  if (!report.config.ks.includes(k)) throw new RangeError(`K = ${k} is not among the report's K values (${report.config.ks.join(', ')})`);
  const skipped: string[] = [];
  const scopeK = (g: GroupMetrics) => options.k ?? informativeK(report.config.ks, [g.chanceAtK], thresholds.supportTarget);
  const decide = (
    g: GroupMetrics,
    label: string,
    scope: RecipeDecision['scope'],
    probe: ProbeSummary | undefined,
    kHere = scopeK(g),
  ): RecipeDecision | null => {
    const key = String(kHere);
    const passAtK = g.passAtK[key];
    if (passAtK === null || passAtK === undefined) {
      skipped.push(label);
      return null;
    }
    return recommend(
      {
        scope,
        k: kHere,
        acc1: g.acc1,
        acc1Ci: g.acc1Ci,
        passAtK,
        passAtKCi: g.passAtKCi[key] ?? null,
        supportGapCi: g.supportGapAtKCi[key] ?? null,
        chanceAtK: g.chanceAtK[key] ?? null,
        probeAccuracy: probe?.accuracy ?? null,
        probeAccuracyCi: probe?.accuracyCi ?? null,
        referenceAccuracy: probe?.referenceAccuracy ?? null,
      },
      thresholds,
    );
  };
  const byModality: Record<string, RecipeDecision> = {};
  for (const [m, g] of Object.entries(report.byModality)) {
    const d = decide(g, `modality:${m}`, { modality: m }, options.probes?.byModality?.[m]);
    if (d) byModality[m] = d;
  }
  const byTask: Record<string, RecipeDecision> = {};
  for (const [t, g] of Object.entries(report.byTask)) {
    const d = decide(g, `task:${t}`, { task: t }, options.probes?.byTask?.[t]);
    if (d) byTask[t] = d;
  }
  return { k, thresholds, overall: decide(report.overall, 'overall', {}, options.probes?.overall, k), byModality, byTask, skipped };
}
