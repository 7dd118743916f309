import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BalanceSpec, ImportSource } from '../../../shared/api/datasets.ts';
import {
  buildBalanceSpec,
  buildImportSource,
  deidFacts,
  deidMethods,
  defaultBalanceForm,
  emptyImportForm,
  importPathChecks,
  fitLabel,
  labelColumnWidth,
  letterOf,
  lettersOf,
  modalityLabel,
  niceMax,
  offersVolumeChoice,
  pagesCovering,
  removedReason,
  sortLetters,
  sortModalities,
  sortSplits,
  SOURCE_INFO,
  sourceInfo,
  specKey,
  sumCounts,
  ticks,
  unionKeys,
  visibleRange,
} from '../../../renderer/src/lib/format/data.ts';

test('import form: each source builds a request the contract accepts', () => {
  const medmnist = buildImportSource({ ...emptyImportForm('medmnist'), path: ' /data/breastmnist.npz ' });
  assert.ok(medmnist.ok);
  assert.deepEqual(medmnist.value, { source: 'medmnist', path: '/data/breastmnist.npz', seed: 20260101 });
  assert.ok(ImportSource.safeParse(medmnist.value).success);

  const folder = buildImportSource({ ...emptyImportForm('image-folder'), path: '/data/pbc', modality: 'microscopy', task: 'blood-cell' });
  assert.ok(folder.ok);
  assert.deepEqual(folder.value, { source: 'image-folder', path: '/data/pbc', modality: 'microscopy', task: 'blood-cell', seed: 20260101 });
  assert.ok(ImportSource.safeParse(folder.value).success);

  const pmc = buildImportSource({ ...emptyImportForm('pmc-vqa'), path: '/d/train.csv', images: '/d/images.zip', split: 'train' });
  assert.ok(pmc.ok);
  assert.ok(ImportSource.safeParse(pmc.value).success, JSON.stringify(pmc.value));

  const dicom = buildImportSource({ ...emptyImportForm('dicom'), path: '/d/dicom', dates: 'shift', shiftDays: '-30', labels: '/d/labels.csv' });
  assert.ok(dicom.ok);
  assert.deepEqual(dicom.value, { source: 'dicom', path: '/d/dicom', labels: '/d/labels.csv', dates: 'shift', shiftDays: -30, seed: 20260101 });
  assert.ok(ImportSource.safeParse(dicom.value).success);

  for (const kind of ['vqa-rad', 'slake'] as const) {
    const r = buildImportSource({ ...emptyImportForm(kind), path: '/d/q.json' });
    assert.ok(r.ok && ImportSource.safeParse(r.value).success, kind);
  }
});

test('import form: the volume choice for DICOM series and MedMNIST 3D files, sent only when it is not every slice', () => {
  const dicom = (volume: ReturnType<typeof emptyImportForm>['volume'], montageSlices = '4') =>
    buildImportSource({ ...emptyImportForm('dicom'), path: '/d/ct', volume, montageSlices });
  const every = dicom('every-slice');
  assert.ok(every.ok && !('volume' in every.value), 'every slice is the default: not sent, so the dataset is the one a plain import makes');
  const middle = dicom('middle-slice');
  assert.ok(middle.ok);
  assert.deepEqual((middle.value as { volume?: unknown }).volume, { mode: 'middle-slice' });
  const montage = dicom('montage', ' 6 ');
  assert.ok(montage.ok && ImportSource.safeParse(montage.value).success);
  assert.deepEqual((montage.value as { volume?: unknown }).volume, { mode: 'montage', slices: 6 });
  for (const bad of ['1', '17', 'four']) {
    const r = dicom('montage', bad);
    assert.ok(!r.ok && r.errors.montageSlices === 'A montage has 2 to 16 slices.', bad);
  }
  assert.deepEqual(
    [
      offersVolumeChoice({ source: 'dicom', path: '', task: '' }),
      offersVolumeChoice({ source: 'medmnist', path: '/d/adrenalmnist3d_64.npz', task: '' }),
      offersVolumeChoice({ source: 'medmnist', path: '/d/x.npz', task: 'NoduleMNIST3D' }),
      offersVolumeChoice({ source: 'medmnist', path: '/d/breastmnist.npz', task: '' }),
    ],
    [true, true, true, false],
  );
  const volume3d = buildImportSource({ ...emptyImportForm('medmnist'), path: '/d/organmnist3d.npz', volume: 'most-tissue' });
  assert.ok(volume3d.ok);
  assert.deepEqual(volume3d.value, { source: 'medmnist', path: '/d/organmnist3d.npz', seed: 20260101, volume: { mode: 'most-tissue' } });
  const flat = buildImportSource({ ...emptyImportForm('medmnist'), path: '/d/breastmnist.npz', volume: 'most-tissue' });
  assert.ok(flat.ok && !('volume' in flat.value), 'a 2D file is not offered the choice, so none is sent');
});

test('import form: missing or bad fields are named before anything is sent', () => {
  const r = buildImportSource({ ...emptyImportForm('image-folder'), seed: 'abc' });
  assert.ok(!r.ok);
  assert.deepEqual(Object.keys(r.errors).sort(), ['modality', 'path', 'seed', 'task']);
  const pmc = buildImportSource({ ...emptyImportForm('pmc-vqa'), path: '/x.csv' });
  assert.ok(!pmc.ok && pmc.errors.images);
  const shift = buildImportSource({ ...emptyImportForm('dicom'), path: '/d', dates: 'shift', shiftDays: '99999' });
  assert.ok(!shift.ok && shift.errors.shiftDays);
  const seed = buildImportSource({ ...emptyImportForm('medmnist'), path: '/x.npz', seed: String(2 ** 32) });
  assert.ok(!seed.ok && seed.errors.seed);
});

test('import form: a seed typed for another source does not block PMC-VQA, which shows and sends none', () => {
  const pmc = buildImportSource({ ...emptyImportForm('pmc-vqa'), path: '/d/train.csv', images: '/d/images', seed: 'abc' });
  assert.ok(pmc.ok, JSON.stringify(pmc));
  assert.equal('seed' in pmc.value, false);
  for (const s of SOURCE_INFO.filter((x) => x.seeded)) {
    const r = buildImportSource({ ...emptyImportForm(s.kind), path: '/d/x', images: '/d/i', modality: 'ct', task: 't', seed: '-1' });
    assert.ok(!r.ok && r.errors.seed, `${s.kind}: a bad seed is named`);
  }
});

test('import form: the images field matches what each reader accepts', () => {
  // PMC-VQA opens a folder or a .zip and needs it; VQA-RAD and SLAKE read a folder only, and it is optional.
  assert.deepEqual(
    SOURCE_INFO.filter((s) => s.images).map((s) => [s.kind, s.images?.required, /\.zip/.test(s.images?.label ?? '')]),
    [
      ['pmc-vqa', true, true],
      ['vqa-rad', false, false],
      ['slake', false, false],
    ],
  );
  for (const s of SOURCE_INFO) {
    const needsImages = buildImportSource({ ...emptyImportForm(s.kind), path: '/d/x', modality: 'ct', task: 't' });
    assert.equal(!needsImages.ok && needsImages.errors.images !== undefined, s.images?.required === true, `${s.kind}: images required iff the form says so`);
  }
  assert.equal(sourceInfo('pmc-vqa').seeded, false);
  assert.equal(sourceInfo('dicom').seeded, true);
});

test('balance form: defaults build the contract spec; per-modality quotas skip excluded and empty fields', () => {
  const built = buildBalanceSpec({ ...defaultBalanceForm(['ds-b', 'ds-a']), total: '200' });
  assert.ok(built.ok);
  assert.deepEqual(built.value, {
    datasets: ['ds-a', 'ds-b'],
    quotas: 'equal',
    total: 200,
    excludeModalities: ['none'],
    letterBalance: true,
    dedupe: { exact: true, nearHammingMax: 4 },
    split: { mode: 'source', ratios: { train: 0.8, val: 0.1, test: 0.1 } },
    seed: 20260101,
  });
  assert.ok(BalanceSpec.safeParse(built.value).success);

  const per = buildBalanceSpec({ ...defaultBalanceForm(['a']), quotaMode: 'per-modality', perModality: { ct: '50', mri: '', none: '9' } });
  assert.ok(per.ok);
  assert.deepEqual(per.value.quotas, { ct: 50 });
  assert.ok(BalanceSpec.safeParse(per.value).success);
});

test('balance form: errors name the field', () => {
  const r = buildBalanceSpec({ ...defaultBalanceForm([]), total: '0', nearHammingMax: '64', train: '80', val: '10', test: '20', seed: '-1' });
  assert.ok(!r.ok);
  assert.deepEqual(Object.keys(r.errors).sort(), ['datasets', 'nearHammingMax', 'seed', 'total', 'train']);
  const q = buildBalanceSpec({ ...defaultBalanceForm(['a']), quotaMode: 'per-modality', perModality: { ct: 'x' } });
  assert.ok(!q.ok && q.errors['quota:ct']);
  const none = buildBalanceSpec({ ...defaultBalanceForm(['a']), quotaMode: 'per-modality', perModality: {} });
  assert.ok(!none.ok && none.errors.perModality);
});

test('specKey ignores key order, so a preview stays current until the spec really changes', () => {
  assert.equal(specKey({ datasets: ['a'], seed: 1, total: 5 }), specKey({ total: 5, seed: 1, datasets: ['a'] }));
  assert.notEqual(specKey({ datasets: ['a'], seed: 1 }), specKey({ datasets: ['a'], seed: 2 }));
});

test('sumCounts and lettersOf fold counts[modality][split][letter]', () => {
  const cube = { ct: { train: { A: 3, B: 2 }, test: { A: 1 } }, mri: { train: { B: 4 }, unassigned: { C: 1 } } };
  assert.deepEqual(sumCounts(cube), {
    total: 11,
    byModality: { ct: 6, mri: 5 },
    bySplit: { train: 9, test: 1, unassigned: 1 },
    byLetter: { A: 4, B: 6, C: 1 },
  });
  assert.deepEqual(lettersOf(cube, 'ct'), { A: 4, B: 2 });
  assert.deepEqual(lettersOf(cube, 'pet'), {});
  assert.deepEqual(sumCounts({}), { total: 0, byModality: {}, bySplit: {}, byLetter: {} });
});

test('ordering: splits in workflow order, letters alphabetical with free-form last, modalities by size with none last', () => {
  assert.deepEqual(sortSplits(['none', 'test', 'train', 'val', 'train']), ['train', 'val', 'test', 'none']);
  assert.deepEqual(sortLetters(['-', 'C', 'A', 'B']), ['A', 'B', 'C', '-']);
  assert.deepEqual(sortModalities({ none: 50, ct: 3, mri: 9 }), ['mri', 'ct', 'none']);
  assert.deepEqual(unionKeys({ a: 1 }, { b: 2, a: 3 }).sort(), ['a', 'b']);
});

test('names: modalities, letters and removal reasons read as words', () => {
  assert.equal(modalityLabel('x-ray'), 'X-ray');
  assert.equal(modalityLabel('something-new'), 'something-new');
  assert.equal(letterOf(0), 'A');
  assert.equal(letterOf(25), 'Z');
  assert.equal(letterOf(null), '—');
  assert.equal(letterOf(26), '—');
  assert.equal(removedReason('near-duplicate'), 'Near-duplicate image');
  assert.equal(removedReason('some-new-reason'), 'some new reason');
});

test('chart scale: nice maxima and ticks', () => {
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(7), 10);
  assert.equal(niceMax(100), 100);
  assert.equal(niceMax(101), 200);
  assert.equal(niceMax(413), 500);
  assert.equal(niceMax(780), 1000);
  assert.equal(niceMax(2.2), 2.5);
  assert.deepEqual(ticks(100), [0, 25, 50, 75, 100]);
});

test('chart labels: the column fits the longest label within its bounds; longer labels are cut with an ellipsis', () => {
  assert.equal(labelColumnWidth(['CT', 'MRI'], 40, 150), 40, 'at least the minimum');
  // "Nuclear medicine" (16 characters) did not fit the old fixed 76 px column.
  assert.equal(labelColumnWidth(['CT', 'Nuclear medicine'], 40, 150), Math.ceil(16 * 7.2 + 8));
  assert.equal(labelColumnWidth(['Nuclear medicine'], 40, 79), 79, 'at most the maximum');
  assert.equal(labelColumnWidth([], 40, 150), 40);
  // A label the column was sized for is never cut (no rounding loss), whatever its length.
  for (let n = 1; n <= 18; n++) {
    const l = 'm'.repeat(n);
    assert.equal(fitLabel(l, labelColumnWidth([l], 40, 200)), l, `${n} characters`);
  }
  assert.equal(fitLabel('no split', labelColumnWidth(['no split'], 40, 153)), 'no split');
  const cut = fitLabel('Nuclear medicine', 79);
  assert.equal(cut, 'Nuclear…');
  assert.ok(cut.length * 7.2 <= 79 - 8 + 1e-9, 'the cut label fits its column');
});

test('virtualised table: the visible range with overscan, and the pages that cover it', () => {
  assert.deepEqual(visibleRange(0, 448, 56, 860), { start: 0, end: 13 });
  assert.deepEqual(visibleRange(56 * 500, 448, 56, 860), { start: 496, end: 513 });
  assert.deepEqual(visibleRange(56 * 900, 448, 56, 860), { start: 855, end: 860 });
  assert.deepEqual(visibleRange(0, 448, 56, 0), { start: 0, end: 0 });
  assert.deepEqual(visibleRange(0, 448, 56, 3), { start: 0, end: 3 });
  assert.deepEqual(pagesCovering(0, 13, 50), [0]);
  assert.deepEqual(pagesCovering(45, 60, 50), [0, 1]);
  assert.deepEqual(pagesCovering(10, 10, 50), []);
});

test('de-identification record: method codes and facts', () => {
  const record = {
    profile: 'DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile',
    methods: [
      { code: '113100', scheme: 'DCM', meaning: 'Basic Application Confidentiality Profile' },
      { code: '113107', scheme: 'DCM', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
      'junk',
    ],
    dates: 'shift',
    shiftDays: null,
    originalFilesCopied: false,
  };
  assert.deepEqual(
    deidMethods(record).map((m) => m.code),
    ['113100', '113107'],
  );
  assert.deepEqual(deidFacts(record), [
    { label: 'Profile', value: record.profile },
    { label: 'Dates', value: 'shift' },
    { label: 'Original files copied', value: 'no' },
  ]);
  assert.deepEqual(deidMethods(null), []);
  assert.deepEqual(deidFacts(null), []);
});

test('audit payloads of modality overrides and frozen versions read as one line', async () => {
  const { describeAuditPayload } = await import('../../../renderer/src/lib/format/audit.ts');
  assert.equal(
    describeAuditPayload('modality:override', { modality: 'none', reason: 'Smear artefact', before: { 'it-1': 'microscopy' } }),
    'Microscopy → None · “Smear artefact” · it-1',
  );
  assert.equal(describeAuditPayload('modality:override', { modality: 'ct', reason: null, before: { a: 'x-ray', b: 'x-ray' } }), 'X-ray → CT');
  assert.equal(describeAuditPayload('versions:create', { n: 179, spec: { seed: 7 } }), '179 items · seed 7');
  assert.equal(describeAuditPayload('job:start', { kind: 'import' }), null);
  assert.equal(describeAuditPayload('modality:override', 'not an object'), null);
});

test('a relative path is refused at its field before anything is asked of the host', () => {
  const r = buildImportSource({ ...emptyImportForm('pmc-vqa'), path: 'data/train.csv', images: 'images.zip' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.errors.path ?? '', /full path/);
  assert.match(r.errors.images ?? '', /full path/);
  // A labels path typed for DICOM and then left behind by a switch to MedMNIST does not block a MedMNIST import.
  assert.equal(buildImportSource({ ...emptyImportForm('medmnist'), path: '/d/b.npz', labels: 'labels.csv' }).ok, true);
});

test('importPathChecks: every path of a request with what its field expects, in the order of the fields', () => {
  const checks = (form: Parameters<typeof buildImportSource>[0]) => {
    const r = buildImportSource(form);
    assert.ok(r.ok);
    return importPathChecks(r.value).map((c) => [c.field, c.path, c.role]);
  };
  assert.deepEqual(checks({ ...emptyImportForm('medmnist'), path: '/d/b.npz' }), [['path', '/d/b.npz', 'medmnist-file']]);
  assert.deepEqual(checks({ ...emptyImportForm('image-folder'), path: '/d/pbc', modality: 'microscopy', task: 't' }), [
    ['path', '/d/pbc', 'class-image-folder'],
  ]);
  assert.deepEqual(checks({ ...emptyImportForm('pmc-vqa'), path: '/d/t.csv', images: '/d/i.zip' }), [
    ['path', '/d/t.csv', 'csv-file'],
    ['images', '/d/i.zip', 'images-folder-or-zip'],
  ]);
  assert.deepEqual(checks({ ...emptyImportForm('vqa-rad'), path: '/d/q.json' }), [['path', '/d/q.json', 'vqa-file']]);
  assert.deepEqual(checks({ ...emptyImportForm('slake'), path: '/d/q.json', images: '/d/img' }), [
    ['path', '/d/q.json', 'vqa-file'],
    ['images', '/d/img', 'images-folder'],
  ]);
  assert.deepEqual(checks({ ...emptyImportForm('dicom'), path: '/d/dcm', labels: '/d/l.csv' }), [
    ['path', '/d/dcm', 'dicom-folder'],
    ['labels', '/d/l.csv', 'labels-csv'],
  ]);
});
