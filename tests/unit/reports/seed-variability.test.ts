// Seed variability by hand: which runs group, and their mean ± sample sd.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanSd, seedVariability } from '../../../electron/reports/seed-variability.ts';
import type { RunRecord } from '../../../electron/reports/report-data.ts';

function run(
  id: string,
  kind: string,
  seed: number,
  o: { init?: string; config?: Record<string, unknown>; acc1?: number; pass?: number; adapter?: string; state?: string; version?: string } = {},
): RunRecord {
  return {
    id,
    position: 0,
    kind,
    state: o.state ?? 'done',
    pack: 'p',
    version: o.version ?? 'v1',
    split: 'train',
    initRun: o.init ?? null,
    adapterHash: null,
    seed,
    jobId: null,
    config: { ...(o.adapter ? { adapter: o.adapter } : {}), config: o.config ?? { passK: 2, steps: 120 } },
    environment: {},
    metrics: o.acc1 === undefined ? null : { overall: { acc1: o.acc1, passAtK: { '2': o.pass ?? null } } },
    createdAt: '',
    finishedAt: null,
    durationSeconds: null,
    itemsScored: 0,
    events: [],
    recommendation: null,
  };
}

test('meanSd: mean and sample sd (n − 1); fewer than two values → null', () => {
  // 0.6, 0.7, 0.8: mean 0.7, sd sqrt((0.01 + 0 + 0.01) / 2) = 0.1
  const m = meanSd([0.6, 0.7, 0.8, null]);
  assert.ok(m);
  assert.ok(Math.abs(m.mean - 0.7) < 1e-12 && Math.abs(m.sd - 0.1) < 1e-12 && m.n === 3);
  assert.equal(meanSd([0.5]), null);
  assert.equal(meanSd([]), null);
});

test('runs that differ only in their seed group; another config, version, start, kind or one seed do not', () => {
  const runs = [
    run('s1', 'sft', 1, { acc1: 0.7, pass: 0.8 }),
    run('s2', 'sft', 2, { acc1: 0.9, pass: 0.9 }),
    run('s3', 'sft', 3, { config: { passK: 2, steps: 60 }, acc1: 0.1 }), // other config: alone
    run('s4', 'sft', 4, { version: 'v2', acc1: 0.1 }), // other version: alone
    run('s5', 'sft', 5, { state: 'cancelled', acc1: 0.1 }), // not finished: left out
    run('g1', 'grpo', 1, { init: 's1', acc1: 0.75, pass: 0.8 }),
    run('g2', 'grpo', 2, { init: 's2', acc1: 0.85, pass: 0.9 }),
    run('g0', 'grpo', 3, { acc1: 0.5, pass: 0.6 }), // GRPO from base: another start, alone
    run('d1', 'diagnose', 0, { adapter: 's1', acc1: 0.6, pass: 0.7 }),
    run('d2', 'diagnose', 0, { adapter: 's2', acc1: 0.8, pass: 0.9 }),
  ];
  const groups = seedVariability(runs);
  assert.deepEqual(
    groups.map((g) => [g.kind, g.start, g.runs.map((r) => r.run)]),
    [
      ['sft', 'base', ['s1', 's2']],
      ['grpo', 'sft', ['g1', 'g2']],
    ],
  );
  const sft = groups[0]!;
  // val Acc@1 0.7, 0.9: mean 0.8, sd sqrt(0.02) = 0.14142…
  assert.ok(Math.abs(sft.valAcc1!.mean - 0.8) < 1e-12 && Math.abs(sft.valAcc1!.sd - Math.SQRT2 / 10) < 1e-12);
  // test numbers from the diagnoses of each adapter: 0.6, 0.8
  assert.deepEqual(
    sft.runs.map((r) => [r.diagnosis, r.testAcc1]),
    [
      ['d1', 0.6],
      ['d2', 0.8],
    ],
  );
  assert.ok(Math.abs(sft.testAcc1!.mean - 0.7) < 1e-12);
  assert.equal(groups[1]!.testAcc1, null, 'no diagnosis of the GRPO adapters in the study');
  assert.equal(seedVariability(runs.filter((r) => r.id !== 's2' && r.id !== 'g2')).length, 0, 'one seed each: nothing to report');
});
