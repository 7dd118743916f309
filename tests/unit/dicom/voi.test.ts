// Rendering rules on synthetic images: the PS3.3 C.11.2.1.2.1 window, VOI LUT, min–max, rescale, MONOCHROME1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDicom, readDicom } from '../../../electron/dicom/index.ts';
import { rescaled } from '../../../electron/dicom/decode-dicom.ts';
import { renderGrey, renderGreyByTable, windowValue, type Voi, type VoiLut } from '../../../electron/dicom/voi.ts';
import { createRng } from '../../../shared/random.ts';
import { buildDicom, syntheticImage, type BuildElement } from './build-dicom.ts';

async function render(extra: BuildElement[], pixels?: number[]): Promise<{ data: number[]; rendering: unknown }> {
  const read = readDicom(syntheticImage(extra, pixels), 'synthetic.dcm');
  assert.ok(read.ok, read.ok ? '' : read.error.message);
  const d = await decodeDicom(read);
  assert.ok(d.ok, d.ok ? '' : d.error.message);
  return { data: Array.from(d.frames[0]!.data), rendering: d.rendering[0] };
}

test('LINEAR window matches the worked bounds of PS3.3 C.11.2.1.2.1', () => {
  const w = { kind: 'window', center: 100, width: 51, function: 'LINEAR' } as const;
  // Lower bound c − 0.5 − (w−1)/2 = 74.5 → 0; upper bound c − 0.5 + (w−1)/2 = 124.5 → 255 above it.
  assert.equal(windowValue(74.5, w), 0);
  assert.equal(windowValue(125, w), 255);
  assert.equal(windowValue(99.5, w), 127.5);
  const exact = { ...w, function: 'LINEAR_EXACT' } as const;
  assert.equal(windowValue(100, exact), 127.5);
});

test('window after rescale, and min–max when no window is given', async () => {
  const pixels = Array.from({ length: 16 }, (_, i) => i * 100); // 0..1500
  const windowed = await render(
    [
      { tag: '00281052', vr: 'DS', value: '-1000' },
      { tag: '00281053', vr: 'DS', value: '2' },
      { tag: '00281050', vr: 'DS', value: '0\\40' },
      { tag: '00281051', vr: 'DS', value: '1001\\400' },
    ],
    pixels,
  );
  // Modality values 2·p − 1000 = −1000..2000; window 0/1001 (first pair) maps −500..500 to 0..255.
  const expected = pixels.map((p) => Math.min(255, Math.max(0, Math.floor(((2 * p - 1000 + 0.5) / 1000 + 0.5) * 255 + 0.5))));
  assert.deepEqual(windowed.data, expected);
  const plain = await render([], pixels);
  assert.deepEqual(
    plain.data,
    pixels.map((p) => Math.floor((p / 1500) * 255 + 0.5)),
  );
  assert.deepEqual((plain.rendering as { voi: unknown }).voi, { kind: 'min-max', min: 0, max: 1500 });
});

test('MONOCHROME1 is inverted after VOI', async () => {
  const pixels = Array.from({ length: 16 }, (_, i) => i * 100);
  const read = readDicom(
    buildDicom([
      { tag: '00280002', vr: 'US', value: [1] },
      { tag: '00280004', vr: 'CS', value: 'MONOCHROME1' },
      { tag: '00280010', vr: 'US', value: [4] },
      { tag: '00280011', vr: 'US', value: [4] },
      { tag: '00280100', vr: 'US', value: [16] },
      { tag: '00280101', vr: 'US', value: [12] },
      { tag: '00280102', vr: 'US', value: [11] },
      { tag: '00280103', vr: 'US', value: [0] },
      { tag: '7fe00010', vr: 'OW', value: pixels },
    ]),
    'm1.dcm',
  );
  assert.ok(read.ok);
  const d = await decodeDicom(read);
  assert.ok(d.ok);
  assert.deepEqual(
    Array.from(d.frames[0]!.data),
    pixels.map((p) => 255 - Math.floor((p / 1500) * 255 + 0.5)),
  );
});

test('bits above Bits Stored are ignored and signed values sign-extended', async () => {
  // 12 bits stored, signed: 0xF000 | 0x0FFF = −1 after masking; 0x0800 = −2048; 0x07FF = 2047.
  const read = readDicom(
    buildDicom([
      { tag: '00280002', vr: 'US', value: [1] },
      { tag: '00280004', vr: 'CS', value: 'MONOCHROME2' },
      { tag: '00280010', vr: 'US', value: [1] },
      { tag: '00280011', vr: 'US', value: [4] },
      { tag: '00280100', vr: 'US', value: [16] },
      { tag: '00280101', vr: 'US', value: [12] },
      { tag: '00280102', vr: 'US', value: [11] },
      { tag: '00280103', vr: 'US', value: [1] },
      { tag: '7fe00010', vr: 'OW', value: [0xffff, 0x0800, 0x07ff, 0xa000] },
    ]),
    's.dcm',
  );
  assert.ok(read.ok);
  const d = await decodeDicom(read);
  assert.ok(d.ok);
  assert.deepEqual(d.rendering[0]!.voi, { kind: 'min-max', min: -2048, max: 2047 });
});

test("the lookup-table rendering gives the per-pixel rendering's bytes and VOI, for every rule, slope sign and inversion", () => {
  const rng = createRng(7);
  const windows: (Extract<Voi, { kind: 'window' }> | undefined)[] = [
    undefined,
    { kind: 'window', center: 40, width: 400, function: 'LINEAR' },
    { kind: 'window', center: -600.5, width: 1500.25, function: 'LINEAR_EXACT' },
    { kind: 'window', center: 1024, width: 700, function: 'SIGMOID' },
  ];
  const lut: VoiLut = { firstMapped: 3, bits: 12, data: Uint16Array.from({ length: 900 }, (_, i) => (i * 37) % 4096) };
  const rescales = [
    { slope: 1, intercept: 0 },
    { slope: 1, intercept: -1024 },
    { slope: 0.37, intercept: 12.5 },
    { slope: -2.5, intercept: 3000 },
  ];
  let compared = 0;
  for (const [lo, hi] of [
    [0, 4095],
    [-2048, 2047],
    [100, 101],
    [5, 5],
  ] as const) {
    const stored = Float64Array.from({ length: 4096 }, () => lo + rng.int(hi - lo + 1));
    for (const rescale of rescales) {
      for (const window of [...windows, 'lut' as const]) {
        for (const invert of [false, true]) {
          const w = window === 'lut' ? undefined : window;
          const l = window === 'lut' ? lut : undefined;
          const fast = renderGreyByTable(stored, rescale, w, l, invert);
          assert.ok(fast, 'integers spanning fewer values than pixels take the table');
          const slow = renderGrey(rescaled(stored, rescale), w, l, invert);
          assert.deepEqual(fast.voi, slow.voi);
          assert.deepEqual(
            fast.bytes,
            slow.bytes,
            `${lo}..${hi}, slope ${rescale.slope}, ${window === 'lut' ? 'VOI LUT' : (w?.function ?? 'min-max')}, invert ${invert}`,
          );
          compared++;
        }
      }
    }
  }
  assert.equal(compared, 4 * 4 * 5 * 2);
  // Not integers, or a span wider than the pixel count: the caller renders per pixel.
  assert.equal(renderGreyByTable(Float64Array.of(0.5, 1, 2), { slope: 1, intercept: 0 }, undefined, undefined, false), null);
  assert.equal(renderGreyByTable(Float64Array.of(0, 10), { slope: 1, intercept: 0 }, undefined, undefined, false), null);
  assert.equal(renderGreyByTable(Float64Array.of(2 ** 31, 2 ** 31 + 1, 2 ** 31), { slope: 1, intercept: 0 }, undefined, undefined, false), null);
  assert.equal(renderGreyByTable(new Float64Array(0), { slope: 1, intercept: 0 }, undefined, undefined, false), null);
});
