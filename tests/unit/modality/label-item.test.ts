import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelItem, trainModalityClassifier, type LabelledFeatures } from '../../../shared/modality/index.ts';
import { createRng } from '../../../shared/random.ts';

// A 1-D classifier: ct around −2, mri around +2.
const rows: LabelledFeatures[] = [];
const rng = createRng(3);
for (let i = 0; i < 50; i++) {
  rows.push({ features: [-2 + rng.normal() * 0.7], modality: 'ct', source: 'source' });
  rows.push({ features: [2 + rng.normal() * 0.7], modality: 'mri', source: 'source' });
}
const classifier = trainModalityClassifier(rows, { seed: 1 });

test('the DICOM tag wins and later layers are not consulted', () => {
  const d = labelItem({ dicomModality: 'MR', question: 'Which organ is shown in this CT scan?', features: [-2] }, { classifier });
  assert.deepEqual(d.label, { modality: 'mri', source: 'dicom-tag', confidence: 1, detail: 'MR' });
  assert.deepEqual(
    d.layers.map((l) => [l.layer, l.outcome]),
    [['dicom-tag', 'accepted']],
  );
});

test('OT falls through to the text rules', () => {
  const d = labelItem({ dicomModality: 'OT', question: 'Which organ is shown in this CT scan?' }, { classifier });
  assert.equal(d.label.modality, 'ct');
  assert.equal(d.label.source, 'text-rules');
  assert.deepEqual(
    d.layers.map((l) => [l.layer, l.outcome]),
    [
      ['dicom-tag', 'no-match'],
      ['text-rules', 'accepted'],
    ],
  );
});

test('a hypothesis question is below the threshold, so the classifier decides', () => {
  const d = labelItem({ question: 'Is this an MRI of the brain?', features: [-2.1] }, { classifier });
  assert.equal(d.label.modality, 'ct');
  assert.equal(d.label.source, 'classifier');
  assert.deepEqual(
    d.layers.map((l) => [l.layer, l.outcome]),
    [
      ['dicom-tag', 'skipped'],
      ['text-rules', 'below-threshold'],
      ['classifier', 'accepted'],
    ],
  );
  assert.equal(d.layers[1]?.label?.modality, 'mri');
});

test('nothing confident anywhere → none, with every layer accounted for', () => {
  const d = labelItem({ question: 'Is this a CT or an MRI?', caption: null, features: [0] }, { classifier });
  assert.deepEqual(d.label, { modality: 'none', source: 'none', confidence: 0, detail: 'no layer reached 0.6' });
  assert.deepEqual(
    d.layers.map((l) => [l.layer, l.outcome]),
    [
      ['dicom-tag', 'skipped'],
      ['text-rules', 'ambiguous'],
      ['classifier', 'below-threshold'],
      ['vlm', 'skipped'],
    ],
  );
});

test('a VLM label passed in is the last layer; the threshold is configurable', () => {
  const vlm = { modality: 'ultrasound' as const, source: 'vlm' as const, confidence: 0.7 };
  assert.equal(labelItem({ question: 'What is shown?', vlm }).label.source, 'vlm');
  assert.equal(labelItem({ question: 'What is shown?', vlm }, { threshold: 0.8 }).label.modality, 'none');
  // The text rules' 0.9 passes a 0.8 threshold and fails a 0.95 one.
  assert.equal(labelItem({ question: 'What does this CT show?' }, { threshold: 0.8 }).label.modality, 'ct');
  assert.equal(labelItem({ question: 'What does this CT show?' }, { threshold: 0.95 }).label.modality, 'none');
});
