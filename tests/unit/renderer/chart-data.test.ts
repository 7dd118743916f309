// The numbers behind a line chart: steps, nearest step, the summary table's steps and the CSV text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chartCsv,
  chartSteps,
  csvField,
  csvFileName,
  csvText,
  nearestIndex,
  ordinal,
  stepName,
  summaryNote,
  thinSteps,
} from '../../../renderer/src/lib/format/chart-data.ts';
import type { ChartSeries } from '../../../renderer/src/lib/format/study.ts';

const range = (from: number, to: number, by = 1) => Array.from({ length: Math.floor((to - from) / by) + 1 }, (_, i) => from + i * by);

test('chartSteps: the union of every series x, ascending', () => {
  assert.deepEqual(
    chartSteps([
      {
        points: [
          { x: 10, y: 0 },
          { x: 0, y: 0 },
        ],
      },
      {
        points: [
          { x: 5, y: 1 },
          { x: 10, y: 1 },
        ],
      },
    ]),
    [0, 5, 10],
  );
});

test('nearestIndex picks the closest step (ties to the lower one)', () => {
  const steps = [0, 10, 20, 40];
  assert.equal(nearestIndex(steps, -3), 0);
  assert.equal(nearestIndex(steps, 4), 0);
  assert.equal(nearestIndex(steps, 5), 0);
  assert.equal(nearestIndex(steps, 6), 1);
  assert.equal(nearestIndex(steps, 31), 3);
  assert.equal(nearestIndex(steps, 99), 3);
  assert.equal(nearestIndex([], 1), -1);
});

test('thinSteps keeps a short run whole', () => {
  assert.deepEqual(thinSteps(range(0, 99), 100), { steps: range(0, 99), every: 1 });
});

test('thinSteps: 6,001 training steps (0 … 6000) → every 100th, 61 rows', () => {
  // stride 50 leaves 121 steps divisible by 50 (> 98), stride 100 leaves 61
  const t = thinSteps(range(0, 6000), 100);
  assert.equal(t.every, 100);
  assert.deepEqual(t.steps, range(0, 6000, 100));
});

test('thinSteps: steps 1 … 250 → every 5th, plus the first step 1', () => {
  // stride 2 leaves 125 (> 98), stride 5 leaves 50: 5, 10 … 250, plus step 1
  const t = thinSteps(range(1, 250), 100);
  assert.equal(t.every, 5);
  assert.deepEqual(t.steps, [1, ...range(5, 250, 5)]);
});

test('thinSteps keeps the marked steps (the guard acted) and the last step', () => {
  const t = thinSteps(range(0, 6003), 100, [4170, 4173, 99999]);
  assert.equal(t.every, 100);
  assert.deepEqual(t.steps, [...range(0, 6000, 100).slice(0, 42), 4170, 4173, ...range(4200, 6000, 100), 6003]);
  assert.ok(t.steps.length <= 100 + 2);
});

test('thinSteps on steps that are not whole numbers goes by position', () => {
  const xs = range(0, 299).map((i) => i / 3);
  const t = thinSteps(xs, 100);
  // every 2nd position: 150 > 98; every 5th: 60
  assert.equal(t.every, 5);
  assert.equal(t.steps.length, 61);
  assert.equal(t.steps[1], xs[5]);
  assert.equal(t.steps[t.steps.length - 1], xs[299]);
});

test('csvField quotes what needs quoting and defuses formulas', () => {
  assert.equal(csvField(0.9500000000000001), '0.9500000000000001');
  assert.equal(csvField(-0.25), '-0.25');
  assert.equal(csvField(null), '');
  assert.equal(csvField(Number.NaN), '');
  assert.equal(csvField('Val Pass@8'), 'Val Pass@8');
  assert.equal(csvField('X-ray, chest'), '"X-ray, chest"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField('-1+2'), "'-1+2");
});

test('csvText: header, rows, CRLF', () => {
  assert.equal(
    csvText(
      ['Step', 'Loss'],
      [
        [0, 0.7],
        [1, null],
      ],
    ),
    'Step,Loss\r\n0,0.7\r\n1,\r\n',
  );
});

test('chartCsv: every step of every series, bands as lower and upper columns, blanks where a series has no point', () => {
  const series: ChartSeries[] = [
    {
      name: 'Ultrasound Pass@K (n = 78)',
      tone: 'a',
      band: true,
      points: [
        { x: 1, y: 0.5, lo: 0.4, hi: 0.6 },
        { x: 2, y: 0.7, lo: 0.6, hi: 0.8 },
      ],
    },
    {
      name: 'Chance (random guessing)',
      tone: 'chance',
      dashed: true,
      points: [
        { x: 1, y: 0.5 },
        { x: 2, y: 0.75 },
        { x: 4, y: 0.9375 },
      ],
    },
  ];
  assert.equal(
    chartCsv('K', series),
    [
      'K,Ultrasound Pass@K (n = 78),Ultrasound Pass@K (n = 78) (95% lower),Ultrasound Pass@K (n = 78) (95% upper),Chance (random guessing)',
      '1,0.5,0.4,0.6,0.5',
      '2,0.7,0.6,0.8,0.75',
      '4,,,,0.9375',
      '',
    ].join('\r\n'),
  );
  // 6,001 steps → 6,001 data lines + the header
  const long: ChartSeries[] = [{ name: 'Mean reward', tone: 'c', points: range(0, 6000).map((x) => ({ x, y: x / 6000 })) }];
  const lines = chartCsv('Step', long).trimEnd().split('\r\n');
  assert.equal(lines.length, 6002);
  assert.equal(lines[6001], '6000,1');
});

test('stepName and csvFileName', () => {
  assert.equal(stepName('K (samples, log scale)'), 'K');
  assert.equal(stepName('Step'), 'Step');
  assert.equal(csvFileName('Validation Acc@1 and Pass@8, with the support guard'), 'validation-acc-1-and-pass-8-with-the-support-guard.csv');
  assert.equal(csvFileName('—'), 'chart.csv');
});

test('ordinal and the summary note', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 11, 12, 13, 20, 21, 22, 100, 102, 111].map(ordinal), [
    '1st',
    '2nd',
    '3rd',
    '4th',
    '5th',
    '11th',
    '12th',
    '13th',
    '20th',
    '21st',
    '22nd',
    '100th',
    '102nd',
    '111th',
  ]);
  // GRPO's 120 steps (1 … 120): steps divisible by 2 = 60 ≤ 98 → every 2nd, plus step 1
  const t = thinSteps(range(1, 120), 100, [47]);
  assert.equal(t.every, 2);
  assert.equal(t.steps.length, 62);
  assert.equal(
    summaryNote(t, 120, 'Step', true),
    '62 of 120 step values: every 2nd step, the first, the last and each marked one. The CSV file has every step.',
  );
  assert.equal(summaryNote(thinSteps(range(0, 20)), 21, 'Step', false), undefined);
});
