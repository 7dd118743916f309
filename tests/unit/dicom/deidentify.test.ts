// De-identification: nothing identifying survives in the returned record, for every fixture; pseudonyms and
// replacement UIDs are consistent under one secret and differ under another; options and quarantine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deidentify, readDicomDataSet, type DeidentifiedRecord } from '../../../electron/dicom/index.ts';
import { readString } from '../../../electron/dicom/attribute-values.ts';
import type { DataSet } from '../../../electron/dicom/dicom-parser-lib.ts';
import { FIXTURES, readFixture } from './fixture-table.ts';
import { syntheticImage } from './build-dicom.ts';

const SECRET_A = new TextEncoder().encode('workspace-secret-A-0123456789abcdef');
const SECRET_B = new TextEncoder().encode('workspace-secret-B-0123456789abcdef');

/** Identifying attributes whose original values must not appear anywhere in the output. */
const IDENTIFYING_TAGS: Record<string, string> = {
  x00100010: 'PatientName',
  x00100020: 'PatientID',
  x00100030: 'PatientBirthDate',
  x00101000: 'OtherPatientIDs',
  x00080050: 'AccessionNumber',
  x00080080: 'InstitutionName',
  x00080081: 'InstitutionAddress',
  x00081010: 'StationName',
  x00080090: 'ReferringPhysicianName',
  x00081050: 'PerformingPhysicianName',
  x00081070: 'OperatorsName',
  x00081048: 'PhysiciansOfRecord',
  x00081060: 'NameOfPhysiciansReadingStudy',
  x00200010: 'StudyID',
  x0020000d: 'StudyInstanceUID',
  x0020000e: 'SeriesInstanceUID',
  x00080018: 'SOPInstanceUID',
  x00020003: 'MediaStorageSOPInstanceUID',
  x00200052: 'FrameOfReferenceUID',
  x00080020: 'StudyDate',
  x00080021: 'SeriesDate',
  x00080022: 'AcquisitionDate',
  x00080023: 'ContentDate',
};
/** Values shorter than this are compared as whole fields, not searched as substrings (they would match anywhere). */
const MIN_SEARCH_LENGTH = 4;

function load(name: string): { dataSet: DataSet; transferSyntaxUid: string } {
  const r = readDicomDataSet(readFixture(name), name);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r;
}

function originals(ds: DataSet): { tag: string; value: string }[] {
  const out: { tag: string; value: string }[] = [];
  for (const tag of Object.keys(IDENTIFYING_TAGS)) {
    const v = readString(ds, tag)?.replace(/\0/g, '').trim();
    if (!v) continue;
    out.push({ tag, value: v });
    // Person names: each component too (PS3.5 6.2.1: family^given^middle^prefix^suffix).
    for (const part of v.split(/[\^=]/)) if (part.trim() && part.trim() !== v) out.push({ tag, value: part.trim() });
  }
  return out;
}

/** String fields of the output (numbers such as Rows = 1 are image geometry, not copies of identifiers). */
function leaves(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (x && typeof x === 'object') return Object.values(x as Record<string, unknown>).flatMap(leaves);
  return [];
}

let checkedValues = 0;
/** Names of identifying attributes whose original value appears in `output`. */
function findLeaks(output: unknown, ds: DataSet): string[] {
  const json = JSON.stringify(output);
  const fields = new Set(leaves(output));
  const leaks: string[] = [];
  for (const { tag, value } of originals(ds)) {
    checkedValues++;
    if (fields.has(value) || (value.length >= MIN_SEARCH_LENGTH && json.includes(value))) leaks.push(`${IDENTIFYING_TAGS[tag]} "${value}"`);
  }
  return leaks;
}

for (const name of FIXTURES) {
  for (const dates of ['remove', 'shift'] as const) {
    test(`${name} (${dates} dates): no original identifier in the output`, () => {
      const src = load(name);
      const rec = deidentify(src, { secret: SECRET_A, dates, shiftDays: dates === 'shift' ? -17 : undefined });
      assert.deepEqual(findLeaks(rec, src.dataSet), []);
      assert.equal(rec.methods[0]?.code, '113100');
      assert.equal(
        rec.methods.some((m) => m.code === '113107'),
        dates === 'shift',
      );
      if (dates === 'remove') {
        assert.deepEqual([rec.metadata.studyDate, rec.metadata.seriesDate, rec.metadata.acquisitionDate, rec.metadata.contentDate], [null, null, null, null]);
      }
    });
  }
}

test('the leak check detects an injected identifier', () => {
  const src = load('pydicom/CT_small.dcm');
  const rec = deidentify(src, { secret: SECRET_A, dates: 'remove' });
  const name = readString(src.dataSet, 'x00100010')!;
  const uid = readString(src.dataSet, 'x0020000d')!;
  assert.ok(findLeaks({ ...rec, note: `scan of ${name}` }, src.dataSet).some((l) => l.startsWith('PatientName')));
  assert.ok(findLeaks({ ...rec, metadata: { ...rec.metadata, studyInstanceUid: uid } }, src.dataSet).some((l) => l.startsWith('StudyInstanceUID')));
});

test('the leak test had identifiers to look for', () => {
  assert.ok(checkedValues > 200, `only ${checkedValues} identifying values were checked`);
});

test('UIDs and pseudonyms are consistent under one secret and differ under another', () => {
  const a1 = deidentify(load('pydicom/MR_small.dcm'), { secret: SECRET_A, dates: 'remove' });
  const a2 = deidentify(load('pydicom/MR_small_RLE.dcm'), { secret: SECRET_A, dates: 'remove' });
  const b1 = deidentify(load('pydicom/MR_small.dcm'), { secret: SECRET_B, dates: 'remove' });
  // Same patient and study in both files (pydicom MR_small variants).
  assert.match(a1.patientPseudonym ?? '', /^P-[0-9a-f]{16}$/);
  assert.equal(a1.patientPseudonym, a2.patientPseudonym);
  assert.equal(a1.metadata.studyInstanceUid, a2.metadata.studyInstanceUid);
  assert.notEqual(a1.patientPseudonym, b1.patientPseudonym);
  assert.notEqual(a1.metadata.studyInstanceUid, b1.metadata.studyInstanceUid);
  for (const uid of [a1.metadata.studyInstanceUid, a1.metadata.seriesInstanceUid, a1.metadata.sopInstanceUid]) {
    assert.match(uid ?? '', /^2\.25\.[1-9][0-9]*$/);
    assert.ok((uid ?? '').length <= 64, 'UIDs are at most 64 characters (PS3.5 9.1)');
  }
  assert.notEqual(a1.metadata.seriesInstanceUid, a1.metadata.studyInstanceUid);
  // Different patients get different pseudonyms.
  const other = deidentify(load('pydicom/CT_small.dcm'), { secret: SECRET_A, dates: 'remove' });
  assert.notEqual(other.patientPseudonym, a1.patientPseudonym);
});

test('dates are shifted by the given days and the safe metadata is kept', () => {
  const src = load('pydicom/CT_small.dcm');
  const original = readString(src.dataSet, 'x00080020');
  assert.equal(original, '20040119');
  const rec = deidentify(src, { secret: SECRET_A, dates: 'shift', shiftDays: -20 });
  assert.equal(rec.metadata.studyDate, '20031230');
  assert.equal(rec.dateShiftDays, -20);
  assert.deepEqual(
    [rec.metadata.modality, rec.metadata.rows, rec.metadata.columns, rec.metadata.frames, rec.metadata.bitsStored, rec.metadata.transferSyntaxUid],
    ['CT', 128, 128, 1, 16, '1.2.840.10008.1.2.1'],
  );
  assert.ok(rec.actionCounts['private-removed'] > 0, 'CT_small has private tags to remove');
  assert.ok(rec.actionCounts.U >= 3 && rec.actionCounts.Z >= 2);
  // Without shiftDays, one keyed shift per patient: the same under the same secret, always earlier.
  const auto1 = deidentify(src, { secret: SECRET_A, dates: 'shift' });
  const auto2 = deidentify(load('pydicom/no_meta.dcm'), { secret: SECRET_A, dates: 'shift' });
  assert.equal(auto1.dateShiftDays, auto2.dateShiftDays);
  assert.ok((auto1.dateShiftDays ?? 0) < 0);
});

test('pseudonym falls back to name + birth date, then to the Study Instance UID', () => {
  const byName = (birth: string): DeidentifiedRecord => {
    const bytes = syntheticImage([
      { tag: '00100010', vr: 'PN', value: 'Doe^Jane' },
      { tag: '00100030', vr: 'DA', value: birth },
    ]);
    const r = readDicomDataSet(bytes, 'synthetic.dcm');
    assert.ok(r.ok);
    return deidentify(r, { secret: SECRET_A, dates: 'remove' });
  };
  assert.equal(byName('19700101').pseudonymSource, 'name-and-birth-date');
  assert.notEqual(byName('19700101').patientPseudonym, byName('19800101').patientPseudonym);
  const r = readDicomDataSet(syntheticImage([{ tag: '0020000d', vr: 'UI', value: '1.2.3.4.5' }]), 'synthetic.dcm');
  assert.ok(r.ok);
  const rec = deidentify(r, { secret: SECRET_A, dates: 'remove' });
  assert.equal(rec.pseudonymSource, 'study-instance-uid');
  assert.match(rec.patientPseudonym ?? '', /^P-/);
});

test('Burned In Annotation YES quarantines the image; NO does not', () => {
  for (const [value, expected] of [
    ['YES', true],
    ['NO', false],
  ] as const) {
    const r = readDicomDataSet(syntheticImage([{ tag: '00280301', vr: 'CS', value }]), 'synthetic.dcm');
    assert.ok(r.ok);
    const rec = deidentify(r, { secret: SECRET_A, dates: 'remove' });
    assert.equal(rec.quarantine, expected);
    assert.equal(rec.quarantineReason !== null, expected);
  }
});

test('a secret shorter than 16 bytes is refused', () => {
  assert.throws(() => deidentify(load('pydicom/MR_small.dcm'), { secret: new Uint8Array(8), dates: 'remove' }), TypeError);
});
