import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatDuration, formatRate, percent, shortHash } from '../../../renderer/src/lib/format/format.ts';
import { coalesce } from '../../../renderer/src/lib/format/coalesce.ts';
import { hrefFor, parseHash, routeTitle, STEPS } from '../../../renderer/src/lib/routes.ts';

test('shortHash keeps the first 12 hex digits and marks a missing hash', () => {
  assert.equal(shortHash('c0b84cad7021d6246b780083ac90f28377f11164f05c9c8c681d7023d5ccf66c'), 'c0b84cad7021');
  assert.equal(shortHash('abc'), 'abc');
  assert.equal(shortHash(''), '—');
  assert.equal(shortHash(null), '—');
});

test('percent floors, clamps and is 0 before the total is known', () => {
  assert.equal(percent(0, 0), 0);
  assert.equal(percent(5, 0), 0);
  assert.equal(percent(1, 3), 33);
  assert.equal(percent(59, 60), 98);
  assert.equal(percent(60, 60), 100);
  assert.equal(percent(70, 60), 100);
});

test('formatDuration reads as seconds, minutes, hours', () => {
  assert.equal(formatDuration(null), '—');
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), '—');
  assert.equal(formatDuration(4.4), '4 s');
  assert.equal(formatDuration(125), '2 min 05 s');
  assert.equal(formatDuration(3_780), '1 h 03 min');
});

test('formatRate uses one decimal below 100 and hides a zero rate', () => {
  assert.equal(formatRate(9.96), '10.0 files/s');
  assert.equal(formatRate(3.33), '3.3 files/s');
  assert.equal(formatRate(1234.4, 'items'), '1234 items/s');
  assert.equal(formatRate(0), '— files/s');
});

test('formatCount groups thousands', () => {
  assert.equal(formatCount(60), '60');
  assert.equal(formatCount(1234567), '1,234,567');
});

test('parseHash knows the five steps and the tools, nothing else', () => {
  assert.deepEqual(
    STEPS.map((s) => s.id),
    ['data', 'diagnose', 'bridge', 'sharpen', 'report'],
  );
  assert.equal(parseHash('#/jobs'), 'jobs');
  assert.equal(parseHash('#/audit?x=1'), 'audit');
  assert.equal(parseHash('#sharpen'), 'sharpen');
  assert.equal(parseHash(''), null);
  assert.equal(parseHash('#/constructor'), null);
  assert.equal(parseHash('#/__proto__'), null);
  assert.equal(hrefFor('report'), '#/report');
  assert.equal(routeTitle('audit'), 'Audit log');
});

test('coalesce folds triggers during a run into exactly one more run', async () => {
  let runs = 0;
  let release: () => void = () => {};
  const reload = coalesce(async () => {
    runs++;
    await new Promise<void>((r) => (release = r));
  });
  const a = reload();
  const b = reload();
  const c = reload();
  assert.equal(runs, 1);
  release();
  await new Promise((r) => setImmediate(r));
  assert.equal(runs, 2, 'one more run for the two triggers that came in meanwhile');
  release();
  await Promise.all([a, b, c]);
  assert.equal(runs, 2);
  const d = reload();
  release();
  await d;
  assert.equal(runs, 3, 'a trigger after the runs settled starts a fresh one');
});
