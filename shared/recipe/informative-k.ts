// Which K can tell support from luck: the chance level of Pass@K is 1 − (1 − 1/m)^K for m options (design.md §3),
// so with two options chance Pass@8 is 0.996 and any model "has support". Support is judged at the largest K whose
// chance level stays below the support target in every scope (the worst, i.e. fewest-option, task decides).
import type { MetricsReport } from '../metrics/report-schema.ts';
import { DEFAULT_RECIPE_K, DEFAULT_SUPPORT_TARGET } from './thresholds.ts';

/** Largest K in `ks` whose chance level (from `chanceAtK`) is below `supportTarget` in every scope; else the smallest K. */
export function informativeK(
  ks: readonly number[],
  scopes: ReadonlyArray<Readonly<Record<string, number | null | undefined>>>,
  supportTarget = DEFAULT_SUPPORT_TARGET,
): number {
  const sorted = [...ks].sort((a, b) => a - b);
  if (sorted.length === 0) return DEFAULT_RECIPE_K;
  const ok = sorted.filter((k) =>
    scopes.every((chance) => {
      const c = chance[String(k)];
      return c === null || c === undefined || c < supportTarget;
    }),
  );
  return ok.at(-1) ?? (sorted[0] as number);
}

/** The informative K of a metrics report: every task's chance level counts (and the overall one). */
export function informativeKOfReport(report: Pick<MetricsReport, 'config' | 'overall' | 'byTask'>, supportTarget = DEFAULT_SUPPORT_TARGET): number {
  const scopes = [report.overall.chanceAtK, ...Object.values(report.byTask).map((g) => g.chanceAtK)];
  return informativeK(report.config.ks, scopes, supportTarget);
}

/**
 * Chance level of Pass@K per task: the mean over its items of 1 − (1 − 1/m)^K, from (task, option count, item count)
 * groups. Keyed by task; free-form items (m < 2) do not count.
 */
export function chanceByTask(groups: ReadonlyArray<{ task: string; m: number; n: number }>, k: number): Map<string, number> {
  const sums = new Map<string, { chance: number; n: number }>();
  for (const g of groups) {
    if (g.m < 2) continue;
    const t = sums.get(g.task) ?? { chance: 0, n: 0 };
    t.chance += g.n * chancePassAtK(g.m, k);
    t.n += g.n;
    sums.set(g.task, t);
  }
  return new Map([...sums].map(([task, t]) => [task, t.chance / t.n]));
}

/** Chance level of Pass@K with m equally likely options. */
export function chancePassAtK(m: number, k: number): number {
  return 1 - (1 - 1 / m) ** k;
}
