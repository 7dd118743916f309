// Seeded fuzzing of readDicom + decodeDicom: mutated copies of small fixtures (bit flips, truncation, random byte
// runs, corrupted length fields) must each end as ok or as a coded error — never a throw, hang or crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, deriveSeed, type Rng } from '../../../shared/random.ts';
import { DICOM_ERROR_CODES, decodeDicom, readDicom, readDicomDataSet } from '../../../electron/dicom/index.ts';
import { readFixture } from './fixture-table.ts';

const SEED = 20240611;
const CASES = 3000;
/** Decoding is limited to the first frames: enough to exercise every codec path. */
const MAX_FRAMES = 2;
const SMALL_FIXTURES = [
  'pydicom/MR_small.dcm',
  'pydicom/MR_small_RLE.dcm',
  'pydicom/MR_small_jpeg_ls_lossless.dcm',
  'pydicom/MR_small_jp2klossless.dcm',
  'pydicom/MR_small_bigendian.dcm',
  'pydicom/MR_small_implicit.dcm',
  'pydicom/JPEG2000.dcm',
  'pydicom/JPGExtended.dcm',
  'pydicom/SC_rgb_jpeg_dcmtk.dcm',
  'pydicom/SC_rgb_rle_2frame.dcm',
  'pydicom/SC_rgb_small_odd.dcm',
  'pydicom/image_dfl.dcm',
  'pydicom/priv_SQ.dcm',
  'pydicom/rtdose.dcm',
  'pydicom/ExplVR_BigEnd.dcm',
  'pydicom/no_meta.dcm',
];
const MUTATIONS = ['bit-flips', 'truncate', 'byte-run', 'length-field'] as const;
type Mutation = (typeof MUTATIONS)[number];

/** Byte offsets of element length fields (the 4 bytes before each value), found by parsing the original. */
function lengthFieldOffsets(bytes: Uint8Array): number[] {
  const r = readDicomDataSet(bytes, 'x');
  if (!r.ok || r.dataSet.byteArray !== bytes) return [];
  return Object.values(r.dataSet.elements)
    .map((e) => e.dataOffset - 4)
    .filter((o) => o >= 0);
}

function mutate(src: Uint8Array, kind: Mutation, rng: Rng, lengthFields: number[]): Uint8Array {
  const b = src.slice();
  switch (kind) {
    case 'bit-flips': {
      const n = 1 + rng.int(16);
      for (let i = 0; i < n; i++) {
        const p = rng.int(b.length);
        b[p]! ^= 1 << rng.int(8);
      }
      return b;
    }
    case 'truncate':
      return b.slice(0, rng.int(b.length));
    case 'byte-run': {
      const len = 1 + rng.int(64);
      const p = rng.int(b.length);
      for (let i = p; i < Math.min(b.length, p + len); i++) b[i] = rng.int(256);
      return b;
    }
    case 'length-field': {
      const p = lengthFields.length > 0 ? lengthFields[rng.int(lengthFields.length)]! : rng.int(b.length);
      const values = [0xffffffff, 0x7fffffff, 0, 1, 3, 0xfffe, rng.int(0x100000000)];
      const v = values[rng.int(values.length)]!;
      for (let i = 0; i < 4 && p + i < b.length; i++) b[p + i] = (v >>> (8 * i)) & 0xff;
      // Sometimes hit the 16-bit length of a short explicit-VR element instead.
      if (rng.int(2) === 0 && p + 2 < b.length) {
        b[p + 2] = rng.int(256);
        b[p + 3] = rng.int(256);
      }
      return b;
    }
  }
}

test(`fuzz: ${CASES} mutated files end as ok or a coded error`, async () => {
  const originals = SMALL_FIXTURES.map((name) => {
    const bytes = readFixture(name);
    return { name, bytes, lengthFields: lengthFieldOffsets(bytes) };
  });
  const rng = createRng(SEED);
  const codes = new Map<string, number>();
  const byMutation = new Map<Mutation, number>();
  let decodedOk = 0;
  const started = Date.now();
  for (let i = 0; i < CASES; i++) {
    const src = originals[rng.int(originals.length)]!;
    const kind = MUTATIONS[i % MUTATIONS.length]!;
    const caseRng = createRng(deriveSeed(SEED, `${i}`));
    const bytes = mutate(src.bytes, kind, caseRng, src.lengthFields);
    const label = `case ${i} (${kind} of ${src.name}, seed ${SEED})`;
    let outcome: string;
    try {
      const read = readDicom(bytes, src.name);
      if (!read.ok) {
        outcome = read.error.code;
        assert.ok(read.error.message.includes(src.name), `${label}: message names the file`);
      } else {
        const d = await decodeDicom(read, { maxFrames: MAX_FRAMES });
        outcome = d.ok ? 'ok' : d.error.code;
        if (d.ok) {
          decodedOk++;
          for (const f of d.frames) assert.equal(f.data.length, f.width * f.height * f.channels, label);
        }
      }
    } catch (e) {
      assert.fail(`${label} threw: ${e instanceof Error ? e.stack : String(e)}`);
    }
    assert.ok(outcome === 'ok' || (DICOM_ERROR_CODES as readonly string[]).includes(outcome), `${label}: unexpected outcome ${outcome}`);
    codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
    byMutation.set(kind, (byMutation.get(kind) ?? 0) + 1);
  }
  const summary = [...codes.entries()]
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`fuzz outcomes (${Date.now() - started} ms): ${summary}`);
  // The fuzz must exercise both sides: many mutants still decode, many are rejected.
  assert.ok(decodedOk > CASES / 10, `only ${decodedOk} mutants decoded`);
  assert.ok(CASES - (codes.get('ok') ?? 0) > CASES / 10, 'too few mutants were rejected');
  for (const m of MUTATIONS) assert.ok((byMutation.get(m) ?? 0) >= CASES / MUTATIONS.length - 1);
});
