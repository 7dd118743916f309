// Which slices each volume mode takes, checked against indices computed by hand, and the montage grid and pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseSlices,
  describeSlices,
  middleSlice,
  montageGrid,
  montageSlices,
  tissueFraction,
  TISSUE_LEVEL,
  VolumeMode,
} from '../../../shared/volume-slices.ts';
import { composeMontage } from '../../../electron/importers/montage-image.ts';
import { orderSlices } from '../../../electron/importers/dicom-series-reader.ts';

test('every slice, middle slice: n items, and floor((n − 1) / 2)', () => {
  assert.deepEqual(chooseSlices(5, { mode: 'every-slice' }), [0, 1, 2, 3, 4]);
  assert.equal(chooseSlices(40, { mode: 'every-slice' }).length, 40);
  // 40 → (39)/2 = 19.5 → 19 (the lower middle); 28 → 13; 64 → 31; 5 → 2; 1 → 0; 2 → 0.
  assert.deepEqual([40, 28, 64, 5, 1, 2].map(middleSlice), [19, 13, 31, 2, 0, 0]);
  assert.deepEqual(chooseSlices(40, { mode: 'middle-slice' }), [19]);
});

test('montage of N: round(i(n − 1)/(N − 1)), first and last included, N capped at n', () => {
  assert.deepEqual(montageSlices(40, 4), [0, 13, 26, 39]); // 39/3 = 13 exactly
  assert.deepEqual(montageSlices(28, 4), [0, 9, 18, 27]); // 27/3 = 9
  assert.deepEqual(montageSlices(40, 5), [0, 10, 20, 29, 39]); // 39/4 = 9.75 → 0, 9.75, 19.5, 29.25, 39
  assert.deepEqual(montageSlices(64, 5), [0, 16, 32, 47, 63]); // 63/4 = 15.75 → 15.75, 31.5, 47.25
  assert.deepEqual(montageSlices(28, 9), [0, 3, 7, 10, 14, 17, 20, 24, 27]); // 27/8 = 3.375 → 3.375, 6.75, 10.125, 13.5, 16.875, 20.25, 23.625
  assert.deepEqual(montageSlices(3, 4), [0, 1, 2], 'a series shorter than the montage gives all its slices');
  assert.deepEqual(montageSlices(1, 4), [0]);
  assert.deepEqual(montageSlices(40, 1), [19], 'N = 1 is the middle slice');
  assert.deepEqual(chooseSlices(40, { mode: 'montage', slices: 4 }), [0, 13, 26, 39]);
  assert.equal(VolumeMode.safeParse({ mode: 'montage', slices: 1 }).success, false, 'the contract asks N ≥ 2');
  assert.equal(VolumeMode.safeParse({ mode: 'montage', slices: 17 }).success, false, 'and N ≤ 16');
});

test('most tissue: the largest fraction above the tissue level, ties to the lowest index', () => {
  assert.deepEqual(chooseSlices(4, { mode: 'most-tissue' }, [0.1, 0.5, 0.2, 0.5]), [1]);
  assert.deepEqual(chooseSlices(3, { mode: 'most-tissue' }, [0, 0, 0]), [0]);
  assert.throws(() => chooseSlices(3, { mode: 'most-tissue' }, [0.1]), RangeError);
  // 2 × 2 grey: values 0, TISSUE_LEVEL, TISSUE_LEVEL + 1, 255 → 2 of 4 above the level.
  assert.equal(tissueFraction({ width: 2, height: 2, channels: 1, data: Uint8Array.from([0, TISSUE_LEVEL, TISSUE_LEVEL + 1, 255]) }), 0.5);
  // RGB: the mean of the channels counts: (30, 30, 30) is above, (75, 0, 0) = mean 25 is not.
  assert.equal(tissueFraction({ width: 2, height: 1, channels: 3, data: Uint8Array.from([30, 30, 30, 75, 0, 0]) }), 0.5);
});

test('montage grid: ceil(√N) columns, rows as needed; tiles row by row, smaller slices centred, RGB wins', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 9, 10, 16].map((k) => montageGrid(k)),
    [
      { columns: 1, rows: 1 },
      { columns: 2, rows: 1 },
      { columns: 2, rows: 2 },
      { columns: 2, rows: 2 },
      { columns: 3, rows: 2 },
      { columns: 3, rows: 3 },
      { columns: 4, rows: 3 },
      { columns: 4, rows: 4 },
    ],
  );
  const grey = (v: number) => ({ width: 2, height: 2, channels: 1 as const, data: new Uint8Array(4).fill(v) });
  const m = composeMontage([grey(1), grey(2), grey(3)]);
  assert.deepEqual([m.width, m.height, m.channels], [4, 4, 1]);
  assert.deepEqual([...m.data], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 0, 0, 3, 3, 0, 0]);
  // A 1 × 1 slice next to a 3 × 3 one sits at offset floor((3 − 1)/2) = 1 in its 3 × 3 tile; an RGB slice makes all RGB.
  const big = { width: 3, height: 3, channels: 3 as const, data: new Uint8Array(27).fill(9) };
  const m2 = composeMontage([{ width: 1, height: 1, channels: 1, data: Uint8Array.from([7]) }, big]);
  assert.deepEqual([m2.width, m2.height, m2.channels], [6, 3, 3]);
  const px = (x: number, y: number) => [...m2.data.subarray((y * 6 + x) * 3, (y * 6 + x) * 3 + 3)];
  assert.deepEqual(px(1, 1), [7, 7, 7]);
  assert.deepEqual(px(0, 0), [0, 0, 0]);
  assert.deepEqual(px(3, 0), [9, 9, 9]);
  assert.equal(describeSlices([0, 13, 26, 39], 40), 'slices 0, 13, 26, 39 of 40');
  assert.equal(describeSlices([19], 40), 'slice 19 of 40');
});

test('DICOM slice order: position along the normal, else Instance Number, else file name', () => {
  const s = (rel: string, position: number | null, instance: number | null) => ({ rel, position, instance });
  assert.deepEqual(
    orderSlices([s('a', 5, 1), s('b', -2.5, 3), s('c', 0, 2)]).map((x) => x.rel),
    ['b', 'c', 'a'],
    'position wins over Instance Number',
  );
  assert.deepEqual(
    orderSlices([s('a', 5, 3), s('b', null, 1), s('c', 0, 2)]).map((x) => x.rel),
    ['b', 'c', 'a'],
    'one slice without a position: Instance Number',
  );
  assert.deepEqual(
    orderSlices([s('c', null, 1), s('a', null, null), s('b', 0, 2)]).map((x) => x.rel),
    ['a', 'b', 'c'],
    'neither for all: file name',
  );
});
