// The transfer heat map's pure logic (renderer/src/lib/format/transfer.ts): rows and columns from stored transfer runs,
// the diverging colour scale and its ink, cell text, which intervals exclude zero. Expected values are worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunDetail } from '../../../shared/api/runs.ts';
import type { TransferCell, TransferReport } from '../../../shared/api/training.ts';
import {
  buildMatrix,
  canReuseDetail,
  cellColour,
  contrast,
  deltaText,
  excludesZero,
  intervalText,
  isTransferReport,
  latestPerRow,
  legendTicks,
  luminance,
  matrixStatus,
  missingTasks,
  rowKey,
  scaleLimit,
  subsetLabel,
  transferSource,
  wrapWords,
  type TransferRowSource,
} from '../../../renderer/src/lib/format/transfer.ts';

function cell(
  regime: TransferCell['regime'],
  tasks: string[],
  modalities: string[],
  d: number,
  ci: [number, number] | null,
  dp = 0,
  cip: [number, number] | null = null,
  n = 40,
): TransferCell {
  return {
    regime,
    tasks,
    modalities,
    n,
    k: 8,
    before: { acc1: 0.5, passAtK: 0.9 },
    after: { acc1: 0.5 + d, passAtK: 0.9 + dp },
    deltaAcc1: d,
    deltaAcc1Ci: ci,
    deltaPassAtK: dp,
    deltaPassAtKCi: cip,
  };
}

function source(
  run: string,
  createdAt: string,
  tasks: string[],
  init: string | null,
  algorithm: TransferRowSource['algorithm'],
  cells: TransferCell[] | null,
  state: TransferRowSource['state'] = 'done',
): TransferRowSource {
  const report: TransferReport | null = cells ? { kind: 'transfer', train: { tasks }, init, algorithm, k: 8, cells, missing: [] } : null;
  return { run, createdAt, state, jobId: `job-${run}`, train: { tasks }, init, algorithm, k: 8, report };
}

const BREAST = source('run-b', '2026-01-01T10:00:00Z', ['breastmnist'], null, 'sft', [
  cell('in-domain', ['breastmnist'], ['ultrasound'], 0.123, [0.05, 0.2], -0.01, [-0.03, 0.01]),
  cell('cross-modality', ['granulocytes', 'other-cells'], ['microscopy'], -0.02, [-0.06, 0.02]),
]);
const GRAN_OLD = source('run-g0', '2026-01-01T09:00:00Z', ['granulocytes'], 'run-sft', 'grpo', [
  cell('in-domain', ['granulocytes'], ['microscopy'], 0.9, [0.8, 1]),
]);
const GRAN = source('run-g', '2026-01-01T11:00:00Z', ['granulocytes'], 'run-sft', 'grpo', [
  cell('in-domain', ['granulocytes'], ['microscopy'], 0.04, [0.01, 0.07], 0.02, [0.005, 0.03]),
  cell('within-modality', ['other-cells'], ['microscopy'], -0.051282051282051266, [-0.1282051282051282, 0]),
  cell('cross-modality', ['breastmnist'], ['ultrasound'], 0.0333, [0, 0.1]),
]);
const OTHER_RUNNING = source('run-o', '2026-01-01T12:00:00Z', ['other-cells'], 'run-sft', 'grpo', null, 'running');

test('isTransferReport / transferSource read runs:get of a transfer run, before and after it is done', () => {
  assert.equal(isTransferReport(GRAN.report), true);
  assert.equal(isTransferReport({ overall: {} }), false);
  assert.equal(isTransferReport(null), false);
  const running = transferSource({
    id: 'run-x',
    kind: 'transfer',
    createdAt: 'c',
    state: 'running',
    jobId: 'job-x',
    metrics: null,
    config: { pack: 'p', version: 'v', algorithm: 'grpo-care', init: null, train: { modalities: ['x-ray'] }, config: { passK: 4 } },
  });
  assert.deepEqual(running, {
    run: 'run-x',
    createdAt: 'c',
    state: 'running',
    jobId: 'job-x',
    train: { modalities: ['x-ray'] },
    init: null,
    algorithm: 'grpo-care',
    k: 4,
    report: null,
  });
  const done = transferSource({ id: 'run-g', kind: 'transfer', createdAt: 'c', state: 'done', jobId: null, config: {}, metrics: GRAN.report as never });
  assert.equal(done?.init, 'run-sft');
  assert.equal(done?.k, 8);
  assert.equal(transferSource({ id: 'r', kind: 'sft', createdAt: 'c', state: 'done', jobId: null, config: {}, metrics: null }), null);
});

test('subset labels and row keys; the newest run per row wins', () => {
  assert.equal(subsetLabel({ tasks: ['b', 'a'] }), 'a; b');
  assert.equal(subsetLabel({ modalities: ['ultrasound'] }), 'all ultrasound');
  assert.equal(subsetLabel({}), 'all items');
  assert.equal(rowKey(GRAN), 't:granulocytes|m:|init:run-sft|grpo');
  assert.deepEqual(
    latestPerRow([GRAN_OLD, GRAN, BREAST])
      .map((s) => s.run)
      .sort(),
    ['run-b', 'run-g'],
  );
});

test('missingTasks: tasks without a done or running row for these settings', () => {
  const tasks = ['breastmnist', 'granulocytes', 'other-cells'];
  // breastmnist's row is SFT from the base: other settings. granulocytes is done, other-cells is running.
  assert.deepEqual(missingTasks(tasks, [BREAST, GRAN, OTHER_RUNNING], 'run-sft', 'grpo'), ['breastmnist']);
  assert.deepEqual(missingTasks(tasks, [BREAST], null, 'sft'), ['granulocytes', 'other-cells']);
  // A failed run leaves its task to compute again.
  assert.deepEqual(missingTasks(tasks, [{ ...OTHER_RUNNING, state: 'failed' }], 'run-sft', 'grpo'), tasks);
});

test('scaleLimit: the largest |Δ| rounded up to 5 pp, never below ±5 pp', () => {
  assert.equal(scaleLimit([0.123, -0.02]), 0.15); // 12.3 pp → 15 pp
  assert.equal(scaleLimit([-0.1]), 0.1); // exactly 10 pp stays 10
  assert.equal(scaleLimit([0.15]), 0.15); // 0.15 * 100 = 15.000000000000002 stays 15
  assert.equal(scaleLimit([0.01]), 0.05);
  assert.equal(scaleLimit([]), 0.05);
  assert.equal(scaleLimit([Number.NaN, 0.26]), 0.3);
});

test('cellColour: white at 0, halfway and full blue for gains, vermillion for losses; ink black or white by contrast', () => {
  assert.deepEqual(cellColour(0, 0.1), { t: 0, rgb: [255, 255, 255], fill: 'rgb(255,255,255)', ink: '#000000' });
  // t = 0.5: 255 + (0 − 255)/2 = 127.5 → 128; 255 + (114 − 255)/2 = 184.5 → 185; 255 + (178 − 255)/2 = 216.5 → 217.
  const half = cellColour(0.05, 0.1);
  assert.deepEqual(half.rgb, [128, 185, 217]);
  assert.equal(half.ink, '#000000');
  // Luminance by hand: 0.2126·0.21590 + 0.7152·0.48514 + 0.0722·0.69389 = 0.44297 (black 9.86:1).
  assert.ok(Math.abs(luminance(half.rgb) - 0.44297) < 2e-4, String(luminance(half.rgb)));
  // Full gain (0, 114, 178): L = 0.7152·0.16830 + 0.0722·0.44520 = 0.15252 → white 1.05/0.20252 = 5.18:1, black 4.05:1.
  const gain = cellColour(0.2, 0.1);
  assert.equal(gain.t, 1);
  assert.deepEqual(gain.rgb, [0, 114, 178]);
  assert.equal(gain.ink, '#ffffff');
  assert.ok(Math.abs(contrast(gain.rgb, [255, 255, 255]) - 5.18) < 0.01);
  // Full loss (213, 94, 0): L = 0.2126·0.66533 + 0.7152·0.11205 = 0.22159 → black 0.27159/0.05 = 5.43:1, white 3.87:1.
  const loss = cellColour(-0.3, 0.1);
  assert.equal(loss.t, -1);
  assert.deepEqual(loss.rgb, [213, 94, 0]);
  assert.equal(loss.ink, '#000000');
  assert.ok(Math.abs(contrast(loss.rgb, [0, 0, 0]) - 5.43) < 0.01);
  // Black or white always reaches 4.58:1 (the worst case, L = 0.179, sits between them): check the whole scale.
  for (let v = -0.1; v <= 0.1; v += 0.0025) {
    const c = cellColour(v, 0.1);
    const ratio = contrast(c.rgb, c.ink === '#000000' ? [0, 0, 0] : [255, 255, 255]);
    assert.ok(ratio >= 4.5, `${v}: ${c.fill} ink ${c.ink} ${ratio.toFixed(2)}:1`);
  }
});

test('cell text, interval text, which intervals exclude zero', () => {
  assert.equal(deltaText(-0.051282051282051266), '−5.1 pp');
  assert.equal(deltaText(0.0333), '+3.3 pp');
  assert.equal(deltaText(0), '0.0 pp');
  assert.equal(deltaText(-0.0004), '0.0 pp');
  assert.equal(intervalText([-0.1282051282051282, 0]), '[−12.8, 0.0]');
  assert.equal(intervalText([0.05, 0.2]), '[+5.0, +20.0]');
  assert.equal(intervalText(null), 'no interval');
  assert.equal(excludesZero([-0.1282, 0]), false, 'touching 0 does not exclude it');
  assert.equal(excludesZero([0, 0.1]), false);
  assert.equal(excludesZero([0.01, 0.07]), true);
  assert.equal(excludesZero([-0.03, -0.01]), true);
  assert.equal(excludesZero(null), false);
  assert.deepEqual(
    legendTicks(0.15).map((t) => t.label),
    ['−15 pp', '−7.5 pp', '0 pp', '+7.5 pp', '+15 pp'],
  );
  assert.deepEqual(
    legendTicks(0.1).map((t) => t.value),
    [-0.1, -0.05, 0, 0.05, 0.1],
  );
});

test('buildMatrix: rows by training subset, in-domain columns first (the diagonal), grouped columns after, empty cells null', () => {
  const m = buildMatrix([GRAN_OLD, GRAN, BREAST, OTHER_RUNNING], 'acc1', (r) => (r === 'run-sft' ? 'the bridged model (SFT)' : r));
  assert.equal(m.metricName, 'Accuracy@1');
  assert.deepEqual(
    m.rows.map((r) => [r.run, r.label, r.detail]),
    [
      ['run-b', 'breastmnist', 'SFT from the base model'],
      ['run-g', 'granulocytes', 'GRPO from the bridged model (SFT)'],
    ],
  );
  assert.deepEqual(
    m.cols.map((c) => [c.label, c.detail]),
    [
      ['breastmnist', 'ultrasound'],
      ['granulocytes', 'microscopy'],
      ['granulocytes + other-cells', 'microscopy'],
      ['other-cells', 'microscopy'],
    ],
  );
  // |Δ| max = 12.3 pp → ±15 pp.
  assert.equal(m.limit, 0.15);
  const grid = m.cells.map((r) => r.map((c) => (c ? `${c.text} ${c.ciText}${c.significant ? ' *' : ''}${c.inDomain ? ' D' : ''}` : null)));
  assert.deepEqual(grid, [
    ['+12.3 pp [+5.0, +20.0] * D', null, '−2.0 pp [−6.0, +2.0]', null],
    ['+3.3 pp [0.0, +10.0]', '+4.0 pp [+1.0, +7.0] * D', null, '−5.1 pp [−12.8, 0.0]'],
  ]);
  const d = m.cells[0]![0]!;
  assert.equal(d.value, 0.123);
  assert.equal(d.n, 40);
  // 0.123 / 0.15 = 0.82 of full blue: 255 − 255·0.82 = 45.9 → 46; 255 − 141·0.82 = 139.38 → 139; 255 − 77·0.82 = 191.86 → 192.
  assert.equal(d.colour.fill, 'rgb(46,139,192)');
  assert.equal(
    d.description,
    'Trained on breastmnist (SFT from the base model), tested on breastmnist (ultrasound), in-domain: Accuracy@1 50.0% → 62.3%, change +12.3 pp, 95% interval +5.0 pp to +20.0 pp, n = 40; the interval excludes 0.',
  );

  const p = buildMatrix([GRAN, BREAST], 'passAtK');
  assert.equal(p.metricName, 'Pass@8');
  assert.equal(p.limit, 0.05, '|Δ Pass@8| ≤ 2 pp → the ±5 pp floor');
  assert.deepEqual(
    p.cells.map((r) => r.map((c) => (c ? `${c.text}${c.significant ? ' *' : ''}` : null))),
    [
      ['−1.0 pp', null, '0.0 pp', null],
      ['0.0 pp', '+2.0 pp *', null, '0.0 pp'],
    ],
  );
  assert.equal(p.cells[1]![0]!.ciText, 'no interval');
  assert.equal(buildMatrix([OTHER_RUNNING], 'acc1').rows.length, 0, 'runs without a report make no row');
});

test('matrixStatus: running, then stopped, then done; nothing is "not computed"', () => {
  const tasks = ['breastmnist', 'granulocytes', 'other-cells'];
  assert.deepEqual(matrixStatus([], tasks, null, 'grpo'), { state: 'not-computed', running: [], stopped: [], done: 0, missing: tasks });
  const running = matrixStatus([BREAST, GRAN, OTHER_RUNNING], tasks, 'run-sft', 'grpo');
  assert.equal(running.state, 'running');
  assert.deepEqual(
    running.running.map((s) => s.run),
    ['run-o'],
  );
  assert.equal(running.done, 2);
  const failed = matrixStatus([BREAST, GRAN, { ...OTHER_RUNNING, state: 'failed' }], tasks, 'run-sft', 'grpo');
  assert.equal(failed.state, 'failed');
  assert.deepEqual(failed.missing, ['breastmnist', 'other-cells']);
  // A newer done run of the same row supersedes the failed one.
  const redone = source('run-o2', '2026-01-01T13:00:00Z', ['other-cells'], 'run-sft', 'grpo', [
    cell('in-domain', ['other-cells'], ['microscopy'], 0, [-0.1, 0.1]),
  ]);
  assert.equal(matrixStatus([BREAST, GRAN, { ...OTHER_RUNNING, state: 'failed' }, redone], tasks, 'run-sft', 'grpo').state, 'done');
});

test('wrapWords: row details on two lines inside the label column', () => {
  assert.deepEqual(wrapWords('GRPO from the bridged model (SFT)', 24), ['GRPO from the bridged', 'model (SFT)']);
  assert.deepEqual(wrapWords('SFT from the base model', 24), ['SFT from the base model']);
  assert.deepEqual(wrapWords('GRPO-CARE from an earlier run (run-94a96483-f1)', 24), ['GRPO-CARE from an', 'earlier run…']);
  assert.deepEqual(wrapWords('averyveryverylongsingletokenlabel', 10, 1), ['averyvery…']);
});

test('canReuseDetail: a reload keeps only settled, unchanged details; a running run is read again until it ends', () => {
  const report = { kind: 'transfer' } as unknown as RunDetail['metrics'];
  assert.equal(canReuseDetail({ state: 'running', metrics: null }, 'running'), false, 'running: read again (its progress and job move)');
  assert.equal(canReuseDetail({ state: 'running', metrics: null }, 'done'), false, 'it ended');
  assert.equal(canReuseDetail({ state: 'done', metrics: report }, 'done'), true);
  assert.equal(canReuseDetail({ state: 'done', metrics: null }, 'done'), false, 'done without its report yet');
  assert.equal(canReuseDetail({ state: 'cancelled', metrics: null }, 'cancelled'), true);
  assert.equal(canReuseDetail({ state: 'cancelled', metrics: null }, 'running'), false, 'resumed');
  assert.equal(canReuseDetail(undefined, 'done'), false);
});

test('buildMatrix: a run that kept no update (rolled back to step 0) shows "no update kept" in grey, never a measured 0.0 pp, and does not set the scale', () => {
  const stuck = source('run-s', '2026-01-01T13:00:00Z', ['other-cells'], null, 'grpo', [
    cell('in-domain', ['other-cells'], ['microscopy'], 0, [0, 0]),
    cell('within-modality', ['granulocytes'], ['microscopy'], 0, [0, 0]),
  ]);
  stuck.report = { ...stuck.report!, keptStep: 0, noUpdateKept: true };
  const m = buildMatrix([GRAN, stuck], 'acc1');
  const row = m.rows.findIndex((r) => r.run === 'run-s');
  const cells = m.cells[row]!.filter((c) => c !== null);
  assert.equal(cells.length, 2);
  for (const c of cells) {
    assert.equal(c!.noUpdateKept, true);
    assert.equal(`${c!.text} ${c!.ciText}`, 'no update kept');
    assert.equal(c!.significant, false);
    assert.equal(c!.colour.fill, 'rgb(221, 221, 221)');
    assert.doesNotMatch(c!.description, /0\.0 pp/);
    assert.match(c!.description, /no update kept/);
  }
  // the scale comes from GRAN alone: |Δ| max 5.1 pp → ±10 pp
  assert.equal(m.limit, 0.1);
  assert.equal(m.cells[m.rows.findIndex((r) => r.run === 'run-g')]!.find((c) => c)!.noUpdateKept, false);
});
