// Every fixture either decodes to the expected shape or is rejected with the expected code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decodeDicom, readDicom } from '../../../electron/dicom/index.ts';
import { EXPECTED, FIXTURE_DIR, readFixture } from './fixture-table.ts';

function listDcm(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listDcm(p) : n.endsWith('.dcm') ? [relative(FIXTURE_DIR, p)] : [];
  });
}

test('the outcome table covers exactly the fixture files', () => {
  assert.deepEqual(listDcm(FIXTURE_DIR).sort(), Object.keys(EXPECTED).sort());
});

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`${name}: ${expected.decoded ? 'decodes' : `rejected with ${expected.code}`}`, async () => {
    const read = readDicom(readFixture(name), name);
    if (!expected.decoded) {
      assert.equal(read.ok, false);
      if (!read.ok) {
        assert.equal(read.error.code, expected.code);
        assert.equal(read.error.file, name);
        assert.ok(read.error.message.includes(name), 'the message names the file');
      }
      return;
    }
    assert.ok(read.ok, read.ok ? '' : read.error.message);
    assert.equal(read.transferSyntaxUid, expected.syntax);
    const decoded = await decodeDicom(read);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
    assert.equal(decoded.frames.length, expected.frames);
    assert.equal(decoded.rendering.length, expected.frames);
    for (const f of decoded.frames) {
      assert.equal(f.width, expected.width);
      assert.equal(f.height, expected.height);
      assert.equal(f.channels, expected.channels);
      assert.equal(f.data.length, f.width * f.height * f.channels);
    }
    // A real image is not blank: at least two distinct grey levels in the first frame.
    assert.ok(new Set(decoded.frames[0]!.data).size > 1, 'first frame is not constant');
  });
}

test('non-DICOM and empty input are rejected as not-dicom', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(7)]);
  for (const bytes of [new Uint8Array(0), png, new TextEncoder().encode('patient,label\n1,2\n'.repeat(20))]) {
    const r = readDicom(bytes, 'x.dcm');
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'dicom/not-dicom');
  }
});

test('a file cut inside its pixel data is rejected as truncated', () => {
  const bytes = readFixture('pydicom/MR_small.dcm');
  const r = readDicom(bytes.subarray(0, bytes.length - 500), 'MR_small.dcm');
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'dicom/truncated');
});

test('a file cut after its pixel data still reads, with a warning', () => {
  // MR_small.dcm has 138 bytes of attributes after the pixel data; losing 100 of them keeps the image whole.
  const bytes = readFixture('pydicom/MR_small.dcm');
  const r = readDicom(bytes.subarray(0, bytes.length - 100), 'MR_small.dcm');
  assert.ok(r.ok);
  if (r.ok) assert.match(r.warnings.join(' '), /reading stopped after the image data/);
});

test('an unknown transfer syntax is rejected as unsupported-syntax', () => {
  const bytes = readFixture('pydicom/MR_small.dcm').slice();
  const text = new TextDecoder('latin1').decode(bytes);
  const at = text.indexOf('1.2.840.10008.1.2.1\0');
  assert.ok(at > 0);
  bytes.set(new TextEncoder().encode('1.2.840.10008.1.2.9'), at);
  const r = readDicom(bytes, 'odd.dcm');
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'dicom/unsupported-syntax');
});
