// Our 8-bit rendering agrees with an independent pydicom + numpy rendering (tests/reference/dicom_reference.py)
// within one grey level, for every fixture pydicom can decode, and both used the same window and rescale.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeDicom, readDicom } from '../../../electron/dicom/index.ts';
import { EXPECTED, fixturePath, readFixture } from './fixture-table.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../reference/dicom_reference.py', import.meta.url));
/** Allowed difference: rounding of float colour conversion and of window arithmetic. */
const MAX_GREY_LEVEL_DIFFERENCE = 1;

const hasPydicom = spawnSync(PYTHON, ['-c', 'import pydicom, numpy'], { stdio: 'ignore' }).status === 0;
const skip = hasPydicom ? false : `${PYTHON} with pydicom and numpy is not installed; the reference comparison cannot run`;

interface RefRecord {
  index: number;
  ok: boolean;
  error?: string;
  shape?: number[];
  rendering?: { colour: string; rescale?: { slope: number; intercept: number }; voi?: Record<string, unknown>; invert?: boolean };
}

const names = Object.keys(EXPECTED);
let outDir = '';
const refs = new Map<string, RefRecord>();

before(() => {
  if (!hasPydicom) return;
  outDir = mkdtempSync(join(tmpdir(), 'dicom-ref-'));
  const run = spawnSync(PYTHON, [SCRIPT, outDir, ...names.map(fixturePath)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(run.status, 0, run.stderr);
  for (const line of run.stdout.trim().split('\n')) {
    const rec = JSON.parse(line) as RefRecord;
    refs.set(names[rec.index]!, rec);
  }
  process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
});

test('pydicom decodes exactly the fixtures expected of it', { skip }, () => {
  const decodable = names.filter((n) => refs.get(n)?.ok).sort();
  const expected = names.filter((n) => { const e = EXPECTED[n]!; return e.decoded && e.pydicom; }).sort();
  assert.deepEqual(decodable, expected);
});

for (const name of names) {
  const e = EXPECTED[name]!;
  if (!e.decoded || !e.pydicom) continue;
  test(`${name}: within ${MAX_GREY_LEVEL_DIFFERENCE} grey level of pydicom`, { skip }, async (t) => {
    const ref = refs.get(name)!;
    assert.ok(ref.ok, ref.error);
    const read = readDicom(readFixture(name), name);
    assert.ok(read.ok);
    const ours = await decodeDicom(read);
    assert.ok(ours.ok);
    const [frames, rows, cols, channels] = ref.shape!;
    assert.deepEqual([ours.frames.length, ours.frames[0]!.height, ours.frames[0]!.width, ours.frames[0]!.channels], [frames, rows, cols, channels]);
    const refBytes = new Uint8Array(readFileSync(join(outDir, `${ref.index}.u8`)));
    const frameSize = rows! * cols! * channels!;
    let maxDiff = 0;
    ours.frames.forEach((f, i) => {
      for (let k = 0; k < frameSize; k++) {
        const d = Math.abs(f.data[k]! - refBytes[i * frameSize + k]!);
        if (d > maxDiff) maxDiff = d;
      }
    });
    t.diagnostic(`max grey-level difference ${maxDiff}`);
    assert.ok(maxDiff <= MAX_GREY_LEVEL_DIFFERENCE, `max difference ${maxDiff}`);
    // Same parameters: rescale and window (or min–max range) of the first frame.
    const r0 = ours.rendering[0]!;
    const rr = ref.rendering!;
    if (rr.colour === 'grey') {
      assert.deepEqual(r0.rescale, rr.rescale);
      assert.equal(r0.invert, rr.invert);
      assert.equal(r0.voi?.kind, rr.voi?.['kind']);
      if (r0.voi?.kind === 'window') assert.deepEqual([r0.voi.center, r0.voi.width, r0.voi.function], [rr.voi?.['center'], rr.voi?.['width'], rr.voi?.['function']]);
      if (r0.voi?.kind === 'min-max') assert.deepEqual([r0.voi.min, r0.voi.max], [rr.voi?.['min'], rr.voi?.['max']]);
    } else {
      assert.equal(r0.voi, null);
    }
  });
}
