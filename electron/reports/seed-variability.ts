// Seed variability (design.md §9, CLAIM 2024 / TRIPOD+AI "variability"): the study's training runs that differ only in
// their seed — same kind, dataset version, start (base or a trained run of the same kind) and configuration — grouped,
// with each seed's validation Accuracy@1 / Pass@K (the run's own report) and, where the study also holds the
// diagnosis of that run's adapter, its test numbers; per group the mean and sample standard deviation. Pure: from the
// report's run records to numbers the report cites from report.json.
import { canonicalJson } from '../../shared/canonical-json.ts';
import type { RunRecord } from './report-data.ts';
import { IN_APP_TRAINING_KINDS } from '../../shared/run-kinds.ts';

/** The in-app training kinds (an external engine's run has no seeded in-app config to group by). */

export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

export interface SeedRun {
  run: string;
  seed: number;
  valAcc1: number | null;
  valPassAtK: number | null;
  /** The study's diagnosis of this run's adapter, when there is one. */
  diagnosis: string | null;
  testAcc1: number | null;
  testPassAtK: number | null;
}

export interface SeedGroup {
  kind: string;
  version: string | null;
  /** 'base' or the kind of the trained run it started from. */
  start: string;
  k: number;
  runs: SeedRun[];
  valAcc1: MeanSd | null;
  valPassAtK: MeanSd | null;
  testAcc1: MeanSd | null;
  testPassAtK: MeanSd | null;
}

/** Mean and sample standard deviation (n − 1) of the finite values; null when fewer than two. */
export function meanSd(values: readonly (number | null)[]): MeanSd | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length < 2) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd, n: xs.length };
}

function overall(r: RunRecord | undefined, k: number): { acc1: number | null; passAtK: number | null } {
  const o = (r?.metrics as { overall?: { acc1?: number; passAtK?: Record<string, number | null> } } | null)?.overall;
  return { acc1: typeof o?.acc1 === 'number' ? o.acc1 : null, passAtK: typeof o?.passAtK?.[String(k)] === 'number' ? (o.passAtK[String(k)] as number) : null };
}

/** Groups of two or more finished training runs with distinct seeds and otherwise equal set-up, in study order. */
export function seedVariability(runs: readonly RunRecord[]): SeedGroup[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const groups = new Map<string, { kind: string; version: string | null; start: string; k: number; members: RunRecord[] }>();
  for (const r of runs) {
    if (!IN_APP_TRAINING_KINDS.has(r.kind) || r.state !== 'done') continue;
    const config = (r.config as { config?: { passK?: number } }).config ?? {};
    const start = r.initRun ? (byId.get(r.initRun)?.kind ?? 'a trained run') : 'base';
    const key = canonicalJson({ kind: r.kind, version: r.version, pack: r.pack, start, config });
    const g = groups.get(key) ?? { kind: r.kind, version: r.version, start, k: typeof config.passK === 'number' ? config.passK : 1, members: [] };
    g.members.push(r);
    groups.set(key, g);
  }
  const out: SeedGroup[] = [];
  for (const g of groups.values()) {
    if (new Set(g.members.map((r) => r.seed)).size < 2) continue;
    const seedRuns = g.members.map((r): SeedRun => {
      const val = overall(r, g.k);
      const diag = runs.find((x) => x.kind === 'diagnose' && x.state === 'done' && (x.config as { adapter?: string | null }).adapter === r.id);
      const test = overall(diag, g.k);
      return {
        run: r.id,
        seed: r.seed,
        valAcc1: val.acc1,
        valPassAtK: val.passAtK,
        diagnosis: diag?.id ?? null,
        testAcc1: test.acc1,
        testPassAtK: test.passAtK,
      };
    });
    out.push({
      kind: g.kind,
      version: g.version,
      start: g.start,
      k: g.k,
      runs: seedRuns,
      valAcc1: meanSd(seedRuns.map((r) => r.valAcc1)),
      valPassAtK: meanSd(seedRuns.map((r) => r.valPassAtK)),
      testAcc1: meanSd(seedRuns.map((r) => r.testAcc1)),
      testPassAtK: meanSd(seedRuns.map((r) => r.testPassAtK)),
    });
  }
  return out;
}
