import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cheapImageFeatures,
  DEFAULT_CLASSIFIER_THRESHOLD,
  ModalityClassifierModel,
  predictModality,
  trainModalityClassifier,
  type LabelledFeatures,
} from '../../../shared/modality/index.ts';
import type { Modality } from '../../../shared/items.ts';
import { createRng, type Rng } from '../../../shared/random.ts';
import { blend, fundusLike, pathologyLike, xrayLike } from './synthetic-images.ts';

const MAKERS: [Modality, (rng: Rng) => ReturnType<typeof xrayLike>][] = [
  ['x-ray', xrayLike],
  ['pathology', pathologyLike],
  ['fundus', fundusLike],
];

function dataset(seed: number, perClass: number): LabelledFeatures[] {
  const rng = createRng(seed);
  const out: LabelledFeatures[] = [];
  for (let i = 0; i < perClass; i++) for (const [modality, make] of MAKERS) out.push({ features: cheapImageFeatures(make(rng)), modality, source: 'source' });
  return out;
}

const train = dataset(1, 40);
const model = trainModalityClassifier(train, { seed: 3 });

test('synthetic x-ray / pathology / fundus images: > 95% held-out accuracy', () => {
  const held = dataset(2, 100);
  let correct = 0;
  for (const e of held) if (predictModality(model, e.features).modality === e.modality) correct++;
  const accuracy = correct / held.length;
  assert.ok(accuracy > 0.95, `held-out accuracy ${accuracy}`);
  assert.deepEqual(model.classes, ['fundus', 'pathology', 'x-ray']);
  assert.deepEqual(model.trainedOn, { fundus: 40, pathology: 40, 'x-ray': 40 });
});

test('ambiguous inputs get none: a blend of two modalities, and a noise image far from every class', () => {
  const rng = createRng(5);
  let none = 0;
  const trials = 20;
  for (let i = 0; i < trials; i++) {
    const p = predictModality(model, cheapImageFeatures(blend(pathologyLike(rng), fundusLike(rng))));
    if (p.modality === 'none') none++;
  }
  assert.ok(none >= trials * 0.9, `${none}/${trials} blends labelled none`);
  const noise = { width: 32, height: 32, channels: 3, data: Uint8Array.from({ length: 32 * 32 * 3 }, () => rng.int(256)) };
  const p = predictModality(model, cheapImageFeatures(noise));
  assert.equal(p.modality, 'none');
  assert.equal(p.source, 'classifier');
});

test('the threshold decides on probability: two 1-D clusters, the midpoint is none, the clusters are not', () => {
  const rows: LabelledFeatures[] = [];
  const rng = createRng(8);
  for (let i = 0; i < 60; i++) {
    rows.push({ features: [-2 + rng.normal() * 0.8], modality: 'ct', source: 'source' });
    rows.push({ features: [2 + rng.normal() * 0.8], modality: 'mri', source: 'dicom-tag' });
  }
  const m = trainModalityClassifier(rows, { seed: 1 });
  const mid = predictModality(m, [0]);
  assert.equal(mid.modality, 'none');
  assert.ok(Math.abs(mid.confidence - 0.5) < 0.1, `midpoint probability ${mid.confidence}`);
  assert.match(mid.detail ?? '', new RegExp(`below ${DEFAULT_CLASSIFIER_THRESHOLD}`));
  assert.equal(predictModality(m, [-2]).modality, 'ct');
  assert.equal(predictModality(m, [2]).modality, 'mri');
  assert.ok(predictModality(m, [2]).confidence > 0.9);
  // A threshold of 0.99 turns a 0.9-ish answer into none.
  assert.equal(predictModality(m, [1], 0.999).modality, 'none');
});

test('only trusted labels train it; fewer than 2 known modalities is an error', () => {
  const rows: LabelledFeatures[] = [
    { features: [0], modality: 'ct', source: 'source' },
    { features: [1], modality: 'ct', source: 'manual' },
    { features: [5], modality: 'mri', source: 'text-rules' },
    { features: [6], modality: 'none', source: 'source' },
  ];
  assert.throws(() => trainModalityClassifier(rows), /at least 2 known modalities, got 1/);
  const m = trainModalityClassifier([...rows, { features: [5], modality: 'mri', source: 'dicom-tag' }]);
  assert.deepEqual(m.trainedOn, { ct: 2, mri: 1 });
});

test('the model is plain JSON: a stored copy parses with the schema and predicts identically; training is deterministic', () => {
  const stored = ModalityClassifierModel.parse(JSON.parse(JSON.stringify(model)));
  const probe = dataset(9, 5);
  for (const e of probe) assert.deepEqual(predictModality(stored, e.features), predictModality(model, e.features));
  assert.deepEqual(trainModalityClassifier(train, { seed: 3 }), model);
  assert.throws(() => predictModality(model, [1, 2, 3]), /expects 89/);
});
