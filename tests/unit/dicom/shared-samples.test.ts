// Optional: when the shared sample folder is present, every file in it (including ones not copied into the
// fixtures, such as the 1 MB NHSX chest X-ray) reads and decodes or is rejected with a code. Skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DICOM_ERROR_CODES, decodeDicom, readDicom } from '../../../electron/dicom/index.ts';

const SHARED_DICOM = '/work/shared/data/dicom';
const skip = existsSync(SHARED_DICOM) ? false : `${SHARED_DICOM} is not present on this machine`;

function listDcm(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listDcm(p) : n.endsWith('.dcm') ? [p] : [];
  });
}

test('every shared sample decodes or is rejected with a code', { skip }, async () => {
  const files = listDcm(SHARED_DICOM);
  assert.ok(files.length >= 30);
  let decoded = 0;
  for (const f of files) {
    const read = readDicom(new Uint8Array(readFileSync(f)), f);
    if (!read.ok) {
      assert.ok((DICOM_ERROR_CODES as readonly string[]).includes(read.error.code));
      continue;
    }
    const d = await decodeDicom(read, { maxFrames: 1 });
    assert.ok(d.ok, d.ok ? '' : d.error.message);
    decoded++;
  }
  assert.equal(decoded, files.length - 1, 'all but the one object without pixel data decode');
});
