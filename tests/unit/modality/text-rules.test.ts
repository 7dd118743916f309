import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainTextRules, HYPOTHESIS_CONFIDENCE, modalityFromText, TEXT_RULES } from '../../../shared/modality/index.ts';

const label = (q: string, caption?: string) => modalityFromText(q, caption)?.modality ?? null;

test('VQA-RAD / SLAKE style questions that presuppose the modality', () => {
  assert.equal(label('Which organ is shown in this CT scan?'), 'ct');
  assert.equal(label('is there a pneumothorax on this chest x-ray?'), 'x-ray');
  assert.equal(label('What abnormality is seen in the ct scan of the abdomen?'), 'ct');
  assert.equal(label('Where is the lesion on this T2-weighted image?'), 'mri');
  assert.equal(label('What sequence is this? The FLAIR shows hyperintensity.'), 'mri');
  assert.equal(label('Is the liver enlarged on the ultrasound?'), 'ultrasound');
  assert.equal(label('What does the PA view of the chest show?'), 'x-ray');
  assert.deepEqual(modalityFromText('Which organ is shown in this CT scan?'), {
    modality: 'ct',
    source: 'text-rules',
    confidence: 0.9,
    detail: 'ct-acronym,ct-lower-scan',
  });
});

test('PMC-VQA style captions', () => {
  assert.equal(label('What is shown in the image?', 'Axial contrast-enhanced computed tomography of the abdomen showing a hypodense lesion.'), 'ct');
  assert.equal(label('What is the finding?', 'H&E staining, original magnification ×400, showing atypical glands.'), 'pathology');
  assert.equal(label('What is visible?', 'Fundus photograph of the right eye showing drusen.'), 'fundus');
  assert.equal(label('What is seen?', 'Colonoscopy revealed a pedunculated polyp in the sigmoid colon.'), 'endoscopy');
  assert.equal(label('What is seen?', 'Dermoscopic image of a melanocytic lesion.'), 'dermoscopy');
  assert.equal(label('What is seen?', 'Bilateral mammography, mediolateral oblique views.'), 'mammography');
  assert.equal(label('What is the diagnosis?', 'FDG PET/CT showing hypermetabolic mediastinal nodes.'), 'pet');
  assert.equal(label('What is seen?', 'Coronary angiogram showing a stenosis of the LAD.'), 'angiography');
  assert.equal(label('What is seen?', 'CT angiography of the circle of Willis.'), 'ct');
  assert.equal(label('What is seen?', 'Spectral-domain OCT through the fovea.'), 'oct');
  assert.equal(label('What is seen?', 'Photomicrograph of the cultured cells under a fluorescence microscope.'), 'microscopy');
  assert.equal(label('What is seen?', 'Whole-body bone scintigraphy with 99mTc-MDP.'), 'nuclear-medicine');
});

test('tricky negatives: acronyms inside words, lower-case homonyms, months, other organs', () => {
  assert.equal(label('Is the patient in acute distress? Describe the act of swallowing.'), null); // "act", "acute"
  assert.equal(label('What is the family pet doing?'), null); // lower-case "pet"
  assert.equal(label('Follow-up in Oct 2019 showed no change.'), null); // October, not OCT
  assert.equal(label('Mr. Smith presented with chest pain.'), null); // not MR
  assert.equal(label('What is the structure near the gastric fundus on this CT?'), 'ct'); // stomach fundus ≠ retina
  assert.equal(label('Where is the mass located?'), null);
  assert.equal(label('Patients in the US often receive contrast.'), null); // "US" is never read as ultrasound
  assert.equal(label('The exact cause is unknown.'), null); // "exact" contains "ct"
});

test('conflicting strong hits are ambiguous; a weak conflicting hint only lowers confidence', () => {
  assert.equal(modalityFromText('Is this a CT or an MRI?'), null);
  assert.equal(explainTextRules('Compare the MRI with the CT.').outcome, 'ambiguous');
  assert.equal(modalityFromText('', 'Panel A: chest radiograph; panel B: ultrasound of the same patient.'), null);
  // CT (0.9) with the weak "radiographic" (0.65): CT wins, 0.9 − 0.1
  assert.deepEqual(modalityFromText('What radiographic sign is seen on this CT?'), {
    modality: 'ct',
    source: 'text-rules',
    confidence: 0.8,
    detail: 'ct-acronym',
  });
});

test("a modality named only as the question's hypothesis is weak evidence", () => {
  const r = explainTextRules('Is this an MRI of the brain?');
  assert.equal(r.outcome, 'label');
  assert.deepEqual(r.label, { modality: 'mri', source: 'text-rules', confidence: HYPOTHESIS_CONFIDENCE, detail: 'mri-acronym' });
  assert.equal(r.hits[0]?.hypothesis, true);
  assert.equal(modalityFromText('Was this image taken with ultrasound?')?.confidence, HYPOTHESIS_CONFIDENCE);
  // The same word in the caption is evidence.
  assert.equal(modalityFromText('Is this an MRI of the brain?', 'Axial MRI of the brain.')?.confidence, 0.9);
  // "not" rules the mention out.
  assert.equal(modalityFromText('This is not an MRI; which organ is shown on the radiograph?')?.modality, 'x-ray');
});

test('every rule has an id, a reason and a confidence in (0, 1]; ids are unique', () => {
  const ids = new Set<string>();
  for (const r of TEXT_RULES) {
    assert.ok(r.why.length > 5 && r.confidence > 0 && r.confidence <= 1, r.id);
    assert.ok(!ids.has(r.id), `duplicate rule id ${r.id}`);
    ids.add(r.id);
  }
});
