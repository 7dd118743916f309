import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modalityFromDicomTag } from '../../../shared/modality/index.ts';

test('DICOM defined terms map to our modalities with confidence 1 and source dicom-tag', () => {
  const expected: [string, string][] = [
    ['CT', 'ct'],
    ['MR', 'mri'],
    ['CR', 'x-ray'],
    ['DX', 'x-ray'],
    ['RG', 'x-ray'],
    ['DR', 'x-ray'],
    ['IO', 'x-ray'],
    ['PX', 'x-ray'],
    ['RF', 'x-ray'],
    ['US', 'ultrasound'],
    ['IVUS', 'ultrasound'],
    ['MG', 'mammography'],
    ['XA', 'angiography'],
    ['NM', 'nuclear-medicine'],
    ['PT', 'pet'],
    ['OP', 'fundus'],
    ['OPT', 'oct'],
    ['OCT', 'oct'],
    ['SM', 'pathology'],
    ['GM', 'microscopy'],
    ['ES', 'endoscopy'],
    ['XC', 'photo'],
  ];
  for (const [code, modality] of expected) {
    assert.deepEqual(modalityFromDicomTag(code), { modality, source: 'dicom-tag', confidence: 1, detail: code }, code);
  }
});

test('generic, non-image and unknown codes leave the decision to later layers', () => {
  for (const code of ['OT', 'SC', 'SR', 'PR', 'KO', 'DOC', 'ECG', 'XYZ', '', '   ']) assert.equal(modalityFromDicomTag(code), null, JSON.stringify(code));
  assert.equal(modalityFromDicomTag(null), null);
  assert.equal(modalityFromDicomTag(undefined), null);
});

test('padding and case are tolerated; a multi-valued tag counts only when all values agree', () => {
  assert.equal(modalityFromDicomTag(' mr ')?.modality, 'mri');
  assert.equal(modalityFromDicomTag('CR\\DX')?.modality, 'x-ray');
  assert.equal(modalityFromDicomTag('CT\\PT'), null);
  assert.equal(modalityFromDicomTag('CT\\OT'), null);
});
