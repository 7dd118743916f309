import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemTitle, type TitledItem } from '../../../shared/item-title.ts';

const base: TitledItem = { benchmark: 'medmnist', task: 'breastmnist', sourceKey: 'train/12', answer: 'malignant', questionType: 'class-label' };

test('itemTitle: MedMNIST items say task, split and index, and class', () => {
  assert.equal(itemTitle(base), 'breastmnist · train #12 · malignant');
  assert.equal(
    itemTitle({ ...base, task: 'chestmnist', sourceKey: 'test/3/effusion', answer: 'yes', questionType: 'finding-present' }),
    'chestmnist · test #3 · effusion: yes',
  );
});

test('itemTitle: image folders keep their file, VQA sets their question id or row, DICOM its pseudonymous key', () => {
  assert.equal(
    itemTitle({ benchmark: 'image-folder', task: 'blood-cell', sourceKey: 'neutrophil/BNE_1.jpg', answer: 'neutrophil', questionType: 'class-label' }),
    'blood-cell · neutrophil/BNE_1.jpg · neutrophil',
  );
  assert.equal(itemTitle({ benchmark: 'vqa-rad', task: 'vqa-rad', sourceKey: 'qid:17', answer: 'yes', questionType: 'closed' }), 'vqa-rad · question 17');
  assert.equal(itemTitle({ benchmark: 'pmc-vqa', task: 'pmc-vqa', sourceKey: 'row:4', answer: 'B', questionType: 'closed' }), 'pmc-vqa · row 4');
  assert.equal(
    itemTitle({ benchmark: 'dicom', task: 'ct-chest', sourceKey: 'dicom:ab12', answer: 'yes', questionType: 'closed' }),
    'ct-chest · DICOM image ab12',
  );
});

test('itemTitle: a MedMNIST-like key that is not split/index falls back to the key as given', () => {
  assert.equal(itemTitle({ ...base, sourceKey: 'odd-key' }), 'breastmnist · odd-key · malignant');
});

test('itemTitle: a slice of a MedMNIST 3D volume names its slice; a DICOM series item its series key', () => {
  assert.equal(itemTitle({ ...base, task: 'organmnist3d', sourceKey: 'val/4/slice/13', answer: 'liver' }), 'organmnist3d · val #4 slice 13 · liver');
  assert.equal(itemTitle({ ...base, task: 'organmnist3d', sourceKey: 'val/4', answer: 'liver' }), 'organmnist3d · val #4 · liver');
  assert.equal(
    itemTitle({ benchmark: 'dicom', task: 'dicom-label', sourceKey: 'dicom-series:cd34', answer: 'liver', questionType: 'closed' }),
    'dicom-label · DICOM series cd34',
  );
});
