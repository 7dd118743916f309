// The report's heat map: a cell of a run that kept no update prints its label in grey, never a value; an empty cell
// prints "—"; a value prints its formatted number (electron/reports/svg-charts.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heatMap } from '../../../electron/reports/svg-charts.ts';

test('heat map cells: a value, no value, and "no update kept"', () => {
  const svg = heatMap({
    title: 'Δ Accuracy@1',
    width: 600,
    rows: ['run a', 'run b'],
    cols: ['in-domain', 'cross-modality'],
    limit: 0.1,
    format: (v) => `${(v * 100).toFixed(1)} pp`,
    cells: [
      [{ value: 0.05 }, { value: null }],
      [
        { value: null, label: 'no update kept' },
        { value: null, label: 'no update kept' },
      ],
    ],
  });
  assert.equal((svg.match(/no update kept<\/text>/g) ?? []).length, 2);
  assert.equal((svg.match(/>—<\/text>/g) ?? []).length, 1);
  assert.match(svg, />5\.0 pp<\/text>/);
  assert.doesNotMatch(svg, /0\.0 pp/);
  assert.equal((svg.match(/fill="#dddddd"/g) ?? []).length, 2, 'grey, outside the gain/loss scale');
});
