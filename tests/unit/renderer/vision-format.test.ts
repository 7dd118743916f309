// The Diagnose step's vision-only pack helpers: which packs the diagnosis picker lists, the chart rows with the vision
// pack's series, and the single reference accuracy taken from its probe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelPackKind } from '../../../shared/api/models.ts';
import type { ProbeReport, ProbeTaskResult } from '../../../shared/api/runs.ts';
import type { GroupMetrics } from '../../../shared/metrics/report-schema.ts';
import {
  ANSWERING_KINDS,
  answeringPacks,
  canAnswer,
  pooledProbeAccuracy,
  probeVsVlmRows,
  referenceFromProbe,
  visionPacks,
  visionSeriesName,
} from '../../../renderer/src/lib/format/vision.ts';

function task(name: string, accuracy: number | null, test: number, ci: [number, number] | null = null): ProbeTaskResult {
  return {
    task: name,
    modality: 'ultrasound',
    classes: 2,
    counts: { train: 10, val: 5, test, valCarvedFromTrain: false },
    l2: 1,
    accuracy,
    accuracyCi: ci,
    valAccuracy: 0.5,
    vlm: null,
    referenceAccuracy: null,
    note: null,
  };
}

function probe(...tasks: ProbeTaskResult[]): ProbeReport {
  return { kind: 'probe', dim: 128, byTask: Object.fromEntries(tasks.map((t) => [t.task, t])) };
}

const group = (acc1: number, p8: number): GroupMetrics =>
  ({ n: 10, acc1, acc1Ci: [acc1 - 0.1, acc1 + 0.1], passAtK: { '8': p8 }, passAtKCi: { '8': [p8 - 0.05, p8 + 0.05] } }) as unknown as GroupMetrics;

test('only reference and vlm packs can be diagnosed; every other kind of the contract is vision-only', () => {
  const all = ModelPackKind.options.map((kind, i) => ({ id: `p${i}`, kind }));
  assert.deepEqual(
    answeringPacks(all)
      .map((p) => p.kind)
      .sort(),
    [...ANSWERING_KINDS].sort(),
  );
  assert.deepEqual(
    visionPacks(all).map((p) => p.kind),
    ['vision'],
  );
  assert.equal(canAnswer({ kind: 'vision' }), false);
  // Registration order is kept, so the first answering pack (not a vision pack registered before it) is the default.
  const packs = [
    { id: 'v', kind: 'vision' as const },
    { id: 'r', kind: 'reference' as const },
    { id: 'l', kind: 'vlm' as const },
  ];
  assert.deepEqual(
    answeringPacks(packs).map((p) => p.id),
    ['r', 'l'],
  );
  assert.deepEqual(
    visionPacks(packs).map((p) => p.id),
    ['v'],
  );
});

test('chart rows: three series without a vision pack; a fourth with its accuracy and interval per task', () => {
  const report = { byTask: { b: group(0.4, 0.7), a: group(0.5, 0.9) } };
  const own = probe(task('a', 0.8, 50, [0.7, 0.88]), task('b', 0.6, 40, [0.45, 0.73]));
  const without = probeVsVlmRows(report, own, null, 'val', 8);
  assert.deepEqual(
    without.map((r) => r.key),
    ['a', 'b'],
  );
  assert.deepEqual(
    without[0]?.bars.map((b) => [b.name, b.tone, b.value]),
    [
      ['Linear probe (test)', 'c', 0.8],
      ['VLM Acc@1 (val)', 'a', 0.5],
      ['VLM Pass@8', 'b', 0.9],
    ],
  );

  const vis = probe(task('a', 0.9, 50, [0.79, 0.96]), task('c', 0.7, 20, [0.48, 0.85]));
  const rows = probeVsVlmRows(report, own, { name: 'medvit', report: vis }, 'val', 8);
  assert.deepEqual(
    rows.map((r) => r.key),
    ['a', 'b', 'c'],
    'a task only the vision pack probed still gets a row',
  );
  const bar = (key: string) => rows.find((r) => r.key === key)?.bars[3];
  assert.deepEqual(bar('a'), { name: visionSeriesName('medvit'), tone: 'd', value: 0.9, lo: 0.79, hi: 0.96 });
  assert.deepEqual(bar('b'), { name: 'Vision-only probe: medvit (test)', tone: 'd', value: null, lo: undefined, hi: undefined });
  assert.equal(bar('c')?.value, 0.7);
  assert.equal(rows.find((r) => r.key === 'c')?.bars[1]?.value, null, 'no VLM numbers for a task it was not diagnosed on');

  // Chosen but still running: the series is there, not measured yet.
  const pending = probeVsVlmRows(report, own, { name: 'medvit', report: null }, 'val', 8);
  assert.deepEqual(
    pending.map((r) => r.bars[3]?.value),
    [null, null],
  );
});

test('the reference is the vision probe’s overall test accuracy, tasks weighted by their test items', () => {
  // 0.9 × 50 + 0.6 × 30 = 63 correct of 80.
  const pooled = pooledProbeAccuracy(probe(task('a', 0.9, 50), task('b', 0.6, 30), task('c', null, 12), task('d', 0.5, 0)));
  assert.ok(pooled);
  assert.equal(pooled.n, 80);
  assert.equal(pooled.tasks, 2);
  assert.ok(Math.abs(pooled.accuracy - 63 / 80) < 1e-12);
  assert.equal(referenceFromProbe(pooled), 0.788);
  assert.equal(referenceFromProbe({ accuracy: 89 / 117, n: 117, tasks: 1 }), 0.761);
  assert.equal(referenceFromProbe({ accuracy: 1, n: 3, tasks: 1 }), 1);
  assert.equal(pooledProbeAccuracy(probe(task('a', null, 10))), null);
  assert.equal(pooledProbeAccuracy(null), null);
});
