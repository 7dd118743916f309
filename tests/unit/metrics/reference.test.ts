// Cross-checks the TypeScript metrics against an independent numpy script (tests/reference/metrics_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeMetricsReport, DEFAULT_ECE_BINS, type GroupMetrics, type ItemResult } from '../../../shared/metrics/index.ts';
import { findNumpyPython, runReference } from './python-reference.ts';
import { randomItems } from './random-items.ts';

const TOL = 1e-9;
const KS = [1, 2, 3, 4, 8, 16, 64];

interface RefMetrics {
  n: number;
  acc1: number;
  pass1Expected: number;
  passAtK: Record<string, number | null>;
  chanceAtK: Record<string, number | null>;
  supportGapAtK: Record<string, number | null>;
  ece: number | null;
  brier: number | null;
  entropy: number | null;
}
type RefReport = { overall: RefMetrics } & Record<'byTask' | 'byModality' | 'bySplit', Record<string, RefMetrics>>;

function near(actual: number | null | undefined, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined) {
    assert.equal(actual, null, `${what}: expected null`);
    return;
  }
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= TOL, `${what}: ${actual} vs numpy ${expected}`);
}

function compareGroup(ts: GroupMetrics, ref: RefMetrics, where: string): void {
  assert.equal(ts.n, ref.n, `${where} n`);
  near(ts.acc1, ref.acc1, `${where} acc1`);
  near(ts.pass1Expected, ref.pass1Expected, `${where} pass1Expected`);
  for (const k of KS) {
    near(ts.passAtK[String(k)], ref.passAtK[String(k)], `${where} Pass@${k}`);
    near(ts.chanceAtK[String(k)], ref.chanceAtK[String(k)], `${where} chance@${k}`);
    near(ts.supportGapAtK[String(k)], ref.supportGapAtK[String(k)], `${where} gap@${k}`);
  }
  near(ts.ece, ref.ece, `${where} ECE`);
  near(ts.brier, ref.brier, `${where} Brier`);
  near(ts.entropy, ref.entropy, `${where} entropy`);
}

function crossCheck(items: ItemResult[]): void {
  const { python } = findNumpyPython();
  const dir = mkdtempSync(join(tmpdir(), 'medbridge-metrics-'));
  try {
    const jsonl = join(dir, 'items.jsonl');
    writeFileSync(jsonl, items.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const ref = runReference<RefReport>(python as string, 'metrics_reference.py', { jsonl, ks: KS, bins: DEFAULT_ECE_BINS });
    const report = computeMetricsReport(items, { ks: KS, bootstrapSamples: 10, seed: 1 });
    compareGroup(report.overall, ref.overall, 'overall');
    for (const dim of ['byTask', 'byModality', 'bySplit'] as const) {
      assert.deepEqual(Object.keys(report[dim]), Object.keys(ref[dim]), `${dim} keys`);
      for (const [key, g] of Object.entries(report[dim])) compareGroup(g, ref[dim][key] as RefMetrics, `${dim}.${key}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const numpy = findNumpyPython();

test('multiple-choice metrics match numpy to 1e-9 on random items', { skip: numpy.python ? false : numpy.reason }, () => {
  for (const seed of [11, 12, 13]) crossCheck(randomItems(seed, 600));
});

test('mixed free-form (estimator) and multiple-choice metrics match numpy/math.comb to 1e-9', { skip: numpy.python ? false : numpy.reason }, () => {
  // minSamples 64: every K is estimable
  crossCheck(randomItems(21, 400, { freeFormRate: 0.3, minSamples: 64 }));
  // small n: Pass@K with K > n must be null in both
  crossCheck(randomItems(22, 300, { freeFormRate: 0.3, minSamples: 1 }));
});
