// The Jobs table's words, on jobs shaped like the ones jobs:list answered for the demo workspace (params and results
// copied from there, ids shortened). Every expected string is written out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../../shared/api/jobs.ts';
import {
  detailEntries,
  durationSeconds,
  filterOptions,
  filterRows,
  formatDetailNumber,
  formatElapsed,
  jobRows,
  shortenPaths,
  kindGroup,
  kindInWords,
  NO_NAMES,
  outcomeOf,
  progressText,
  runLink,
  subjectOf,
} from '../../../renderer/src/lib/format/job-table.ts';

const PACK = '54d9b6c55ff3a862c585c7f5e4d89c99b71aeb78dfa66ec7dbac0476cbb0b895';
const VERSION = 'dv-fad31c43cc084ae6';

function job(id: string, over: Partial<Job>): Job {
  return {
    id,
    kind: 'verify-blobs',
    state: 'done',
    params: {},
    progress: { done: 0, total: 0, rate: 0, etaSeconds: null, message: '' },
    attempts: 1,
    checkpoints: 0,
    createdAt: '2026-12-02T23:06:23.256Z',
    updatedAt: '2026-12-02T23:06:38.761Z',
    error: null,
    result: null,
    ...over,
  };
}

const trainParams = (algorithm: string, init: string | null = null) => ({
  pack: PACK,
  version: VERSION,
  algorithm,
  init,
  config: { steps: 300, evalEvery: 10, passK: 2 },
  seed: 20260101,
});

const sftEarly = job('job-aaa', {
  kind: 'train',
  params: trainParams('sft'),
  progress: { done: 100, total: 300, rate: 0, etaSeconds: null, message: 'Finished' },
  result: {
    run: 'run-aaa',
    checkpoint: 'c'.repeat(64),
    adapter: 'a'.repeat(64),
    stopReason: 'early-stopping',
    keptStep: 60,
    k: 2,
    acc1: 0.7317073170731707,
    seconds: 0.45903439299999993,
  },
});
const grpoDone = job('job-bbb', {
  kind: 'train',
  params: trainParams('grpo', 'run-aaa'),
  progress: { done: 120, total: 120, rate: 0, etaSeconds: null, message: 'Finished' },
  result: { run: 'run-bbb', stopReason: 'completed', keptStep: 120, k: 2, acc1: 0.8170731707317073 },
});
const grpoCollapse = job('job-ccc', {
  kind: 'train',
  params: trainParams('grpo-care'),
  progress: { done: 50, total: 200, rate: 0, etaSeconds: null, message: 'Finished' },
  result: { run: 'run-ccc', stopReason: 'support-collapse', keptStep: 30 },
});
const importBreast = job('job-ddd', {
  kind: 'import',
  params: { source: 'medmnist', path: '/data/samples/medmnist/breastmnist.npz', task: 'breastmnist', seed: 20260101, contentId: '3'.repeat(64) },
  progress: { done: 780, total: 0, rate: 0, etaSeconds: null, message: 'Finished' },
  createdAt: '2026-12-02T23:03:32.106Z',
  updatedAt: '2026-12-02T23:03:55.363Z',
  result: { dataset: 'ds-359f28215fc0', imported: 780, rejected: 0, quarantined: 0, duplicates: 1, warnings: 0, workerPeakRssMb: 288 },
});
const importBad = job('job-eee', {
  kind: 'import',
  state: 'failed',
  params: { source: 'medmnist', path: '/tmp/bad/breastmnist.npz', task: 'breastmnist', seed: 20260101, contentId: '6'.repeat(64) },
  progress: { done: 1, total: 0, rate: 0, etaSeconds: null, message: 'Stopped: failed' },
  error: {
    code: 'import/zip-not-a-zip',
    message: 'Nothing was imported from /tmp/bad/breastmnist.npz: no end-of-central-directory record (not a zip, or truncated).',
  },
});
const diagnoseBase = job('job-fff', {
  kind: 'diagnose',
  params: { pack: PACK, version: VERSION, split: 'test', ks: [1, 2, 4, 8, 16] },
  progress: { done: 136, total: 136, rate: 0, etaSeconds: null, message: 'Finished' },
  result: { run: 'run-fff', n: 136, acc1: 0.35294117647058826, passAt16: 0.8057106048887605 },
});
const diagnoseAdapter = job('job-ggg', {
  kind: 'diagnose',
  params: { pack: PACK, version: VERSION, split: 'test', adapter: 'run-aaa' },
  progress: { done: 136, total: 136, rate: 0, etaSeconds: null, message: 'Finished' },
  result: { run: 'run-ggg', n: 136, acc1: 0.75, passAt16: 0.9851432515249267 },
});
const verifyCancelled = job('job-hhh', {
  kind: 'verify-blobs',
  state: 'cancelled',
  params: { maxBlobsPerSecond: 10 },
  progress: { done: 12, total: 60, rate: 0, etaSeconds: null, message: 'Stopped: cancelled' },
});
const registerFailed = job('job-iii', {
  kind: 'register-model',
  state: 'failed',
  params: { path: '/packs/broken-pack' },
  error: { code: 'model/hash-mismatch', message: 'The model pack at /packs/broken-pack cannot be used: answer_head.onnx does not match its SHA-256.' },
});
const grpoInterrupted = job('job-jjj', {
  kind: 'train',
  state: 'interrupted',
  params: trainParams('grpo'),
  progress: { done: 40, total: 120, rate: 0, etaSeconds: null, message: 'Stopped: interrupted' },
  error: { code: 'job/worker-crashed', message: 'The worker process stopped unexpectedly (SIGKILL).' },
});

test('kind in words: SFT, GRPO, GRPO-CARE, import of MedMNIST <task>, diagnosis with or without an adapter', () => {
  assert.equal(kindInWords(sftEarly), 'SFT');
  assert.equal(kindInWords(grpoDone), 'GRPO');
  assert.equal(kindInWords(grpoCollapse), 'GRPO-CARE');
  assert.equal(kindInWords(importBreast), 'Import of MedMNIST BreastMNIST');
  assert.equal(kindInWords(job('x', { kind: 'import', params: { source: 'pmc-vqa', path: '/d/pmc.csv', images: '/d/img' } })), 'Import of PMC-VQA');
  assert.equal(kindInWords(job('x', { kind: 'import', params: { source: 'dicom', path: '/d/ct' } })), 'Import of a DICOM folder');
  assert.equal(kindInWords(diagnoseBase), 'Diagnosis');
  assert.equal(kindInWords(diagnoseAdapter), 'Diagnosis of a trained adapter');
  assert.equal(kindInWords(job('x', { kind: 'transfer', params: { algorithm: 'sft' } })), 'Transfer matrix (SFT)');
  assert.equal(kindInWords(registerFailed), 'Model pack registration');
  assert.equal(kindInWords(verifyCancelled), 'Stored-files check');
  // the filter groups both imports under "Import" and both diagnoses under "Diagnosis"
  assert.equal(kindGroup(importBreast), 'Import');
  assert.equal(kindGroup(diagnoseAdapter), 'Diagnosis');
  assert.equal(kindGroup(grpoDone), 'GRPO');
});

test('subject: the version (by name when known) with the split, the dataset or file imported, the pack folder', () => {
  const names = { datasets: { 'ds-359f28215fc0': 'demo sample: breastmnist' }, versions: { [VERSION]: 'demo-200' } };
  assert.equal(subjectOf(sftEarly, names), 'demo-200');
  assert.equal(subjectOf(sftEarly, NO_NAMES), VERSION);
  assert.equal(subjectOf(diagnoseBase, names), 'demo-200 · test split');
  assert.equal(subjectOf(importBreast, names), 'demo sample: breastmnist');
  assert.equal(subjectOf(importBad, names), 'breastmnist.npz');
  assert.equal(subjectOf(job('x', { kind: 'import', params: { source: 'image-folder', path: 'C:\\data\\skin\\' } })), 'skin');
  assert.equal(subjectOf(registerFailed), 'broken-pack');
  assert.equal(
    subjectOf(job('x', { kind: 'transfer', params: { version: VERSION, train: { tasks: ['breastmnist'] } } }), names),
    'demo-200 · trained on breastmnist',
  );
});

test('progress in its unit; a total not known yet shows the count alone', () => {
  assert.equal(progressText(sftEarly), '100 / 300 steps');
  assert.equal(progressText(importBreast), '780 items');
  assert.equal(progressText(importBad), '1 item');
  assert.equal(progressText(verifyCancelled), '12 / 60 files');
  assert.equal(progressText(registerFailed), '—');
  assert.equal(
    progressText(job('x', { kind: 'import', progress: { done: 3166, total: 3166, rate: 0, etaSeconds: null, message: '' } })),
    '3,166 / 3,166 items',
  );
});

test('outcome: done with what it produced, stopped early at step N, the guard, failed with the reason, cancelled at', () => {
  assert.deepEqual(outcomeOf(sftEarly), { key: 'stopped-early', text: 'stopped early at step 100', tone: 'success' });
  assert.deepEqual(outcomeOf(grpoDone), { key: 'done', text: 'done: val Acc@1 81.7%', tone: 'success' });
  assert.deepEqual(outcomeOf(grpoCollapse), { key: 'stopped-early', text: 'stopped by the support guard at step 50', tone: 'warning' });
  // SFT that ran all its steps (as in the demo: 120 steps, its best checkpoint at 70 kept, which the details show)
  const sftBest = job('x', {
    kind: 'train',
    params: trainParams('sft'),
    progress: { done: 120, total: 120, rate: 0, etaSeconds: null, message: '' },
    result: { stopReason: 'completed', keptStep: 70, acc1: 0.7317073170731707 },
  });
  assert.equal(outcomeOf(sftBest).text, 'done: val Acc@1 73.2%');
  assert.deepEqual(outcomeOf(importBreast), { key: 'done', text: 'done: 780 items imported, 0 rejected', tone: 'success' });
  assert.equal(outcomeOf(diagnoseBase).text, 'done: Acc@1 35.3%, Pass@16 80.6%');
  // paths are shortened to their last part in the row (the details keep the whole message)
  assert.deepEqual(outcomeOf(importBad), {
    key: 'failed',
    text: 'failed: Nothing was imported from breastmnist.npz: no end-of-central-directory record (not a zip, or truncated).',
    tone: 'danger',
  });
  assert.equal(outcomeOf(registerFailed).text, 'failed: The model pack at broken-pack cannot be used: answer_head.onnx does not match its SHA-256.');
  assert.equal(shortenPaths('Folder C:\\data\\ct\\ is missing; see /var/log/x.log.'), 'Folder ct is missing; see x.log.');
  assert.deepEqual(outcomeOf(verifyCancelled), { key: 'cancelled', text: 'cancelled at 12 of 60 files', tone: 'warning' });
  assert.deepEqual(outcomeOf(grpoInterrupted), { key: 'interrupted', text: 'interrupted at step 40', tone: 'warning' });
  assert.equal(
    outcomeOf(job('x', { kind: 'verify-blobs', result: { checked: 60, corrupt: ['a'.repeat(64), 'b'.repeat(64)], ok: false } })).text,
    'done: 2 of 60 stored files do not match their hash',
  );
  assert.equal(outcomeOf(job('x', { kind: 'verify-blobs', result: { checked: 60, corrupt: ['a'.repeat(64)], ok: false } })).tone, 'danger');
  assert.equal(
    outcomeOf(
      job('x', { kind: 'train', state: 'running', params: trainParams('grpo'), progress: { done: 40, total: 120, rate: 2, etaSeconds: 40, message: '' } }),
    ).text,
    'running, at step 40, 40 s left',
  );
  assert.equal(
    outcomeOf(job('x', { kind: 'verify-blobs', state: 'running', progress: { done: 7, total: 60, rate: 0, etaSeconds: null, message: '' } })).text,
    'running, at 7 of 60 files',
    'no time left before a rate is known',
  );
  assert.equal(outcomeOf(job('x', { kind: 'train', state: 'running' })).key, 'active');
  assert.equal(
    outcomeOf(job('x', { kind: 'compact-images', result: { imagesRewritten: 781, bytesRemoved: 2_786_184, bytesOfNewFiles: 613_979 } })).text,
    'done: 781 grey images rewritten as grey PNGs, 2.2 MB freed',
  );
  assert.equal(
    outcomeOf(job('x', { kind: 'compact-images', result: { imagesRewritten: 0, bytesRemoved: 0, bytesOfNewFiles: 0 } })).text,
    'done: no image to rewrite: grey images are already stored as grey',
  );
  assert.equal(
    outcomeOf(job('x', { kind: 'compact-images', state: 'running', progress: { done: 1, total: 9, rate: 0, etaSeconds: null, message: '' } })).text,
    'running, at 1 of 9 images',
  );
});

test('duration: start to last change, decimals under 10 s, the clock while running', () => {
  assert.equal(durationSeconds(sftEarly, 0), 15.505);
  assert.equal(formatElapsed(0.45903439299999993), '0.46 s');
  assert.equal(formatElapsed(4.25), '4.3 s');
  assert.equal(formatElapsed(15.505), '16 s');
  assert.equal(formatElapsed(125), '2 min 05 s');
  assert.equal(formatElapsed(null), '—');
  const running = job('x', { state: 'running', createdAt: '2026-12-02T23:00:00.000Z', updatedAt: '2026-12-02T23:00:01.000Z' });
  assert.equal(durationSeconds(running, Date.parse('2026-12-02T23:01:30.000Z')), 90);
});

test('run links: SFT → Bridge, GRPO → Sharpen, a base diagnosis → Diagnose with its pickers, an adapter diagnosis → its training step', () => {
  assert.deepEqual(runLink(sftEarly), { run: 'run-aaa', step: 'bridge', href: '#/bridge', label: 'Bridge' });
  assert.deepEqual(runLink(grpoDone), { run: 'run-bbb', step: 'sharpen', href: '#/sharpen', label: 'Sharpen' });
  assert.deepEqual(runLink(diagnoseBase), {
    run: 'run-fff',
    step: 'diagnose',
    href: `#/diagnose?model=${PACK}&version=${VERSION}&split=test`,
    label: 'Diagnose',
  });
  const steps = new Map([['run-aaa', 'bridge' as const]]);
  assert.equal(runLink(diagnoseAdapter, steps)?.href, '#/bridge');
  assert.equal(runLink(diagnoseAdapter), null, 'no link when the adapter’s training job is not in the list');
  // a run made by a job that has not finished: its id follows from the job id
  assert.equal(runLink(grpoInterrupted)?.run, 'run-jjj');
  assert.equal(runLink(job('job-x', { kind: 'probe', params: { pack: PACK, version: VERSION } }))?.href, `#/diagnose?model=${PACK}&version=${VERSION}`);
  assert.equal(runLink(importBreast), null);
  assert.equal(runLink(verifyCancelled), null);
});

test('rows: Resume where the host would take it; filters by kind group and outcome', () => {
  const jobs = [sftEarly, grpoDone, grpoCollapse, importBreast, importBad, diagnoseBase, diagnoseAdapter, verifyCancelled, registerFailed, grpoInterrupted];
  const rows = jobRows(jobs, NO_NAMES, Date.parse('2026-12-03T00:00:00.000Z'));
  assert.deepEqual(
    rows.filter((r) => r.resumable).map((r) => r.id),
    ['job-hhh', 'job-jjj'],
  );
  assert.match(
    rows.find((r) => r.id === 'job-eee')?.resumeRefusal ?? '',
    /failed on its input \(import\/zip-not-a-zip\).*Fix the source and import it again\./,
  );
  assert.match(rows.find((r) => r.id === 'job-iii')?.resumeRefusal ?? '', /register it again/);
  assert.equal(rows.find((r) => r.id === 'job-ggg')?.run?.href, '#/bridge', 'the adapter diagnosis links to the SFT run in the same list');
  assert.equal(rows.find((r) => r.id === 'job-aaa')?.duration, '16 s');

  const opts = filterOptions(rows);
  assert.deepEqual(
    opts.kinds.map((k) => `${k.label} ${k.count}`),
    ['SFT 1', 'GRPO 2', 'GRPO-CARE 1', 'Import 2', 'Diagnosis 2', 'Stored-files check 1', 'Model pack registration 1'],
  );
  assert.deepEqual(
    opts.outcomes.map((o) => `${o.label} ${o.count}`),
    ['Done 4', 'Stopped early 2', 'Failed 2', 'Cancelled 1', 'Interrupted 1'],
  );
  assert.deepEqual(
    filterRows(rows, { kind: 'GRPO', outcome: null }).map((r) => r.id),
    ['job-bbb', 'job-jjj'],
  );
  assert.deepEqual(
    filterRows(rows, { kind: null, outcome: 'failed' }).map((r) => r.id),
    ['job-eee', 'job-iii'],
  );
  assert.deepEqual(
    filterRows(rows, { kind: 'Import', outcome: 'done' }).map((r) => r.id),
    ['job-ddd'],
  );
  assert.deepEqual(filterRows(rows, { kind: 'SFT', outcome: 'failed' }), []);
});

test('details: numbers by what they are, hashes marked, nested config as dotted keys', () => {
  assert.equal(formatDetailNumber('seconds', 0.45903439299999993), '0.46 s');
  assert.equal(formatDetailNumber('acc1', 0.7317073170731707), '0.732');
  assert.equal(formatDetailNumber('bytes', 534_197), '0.5 MB');
  assert.equal(formatDetailNumber('workerPeakRssMb', 288), '288 MB');
  assert.equal(formatDetailNumber('imported', 31660), '31,660');
  assert.equal(formatDetailNumber('seed', 20260101), '20260101');
  const entries = detailEntries(sftEarly.result);
  assert.deepEqual(
    entries.find((e) => e.key === 'checkpoint'),
    { key: 'checkpoint', kind: 'hash', value: 'c'.repeat(64) },
  );
  assert.deepEqual(
    entries.find((e) => e.key === 'seconds'),
    { key: 'seconds', kind: 'text', value: '0.46 s' },
  );
  assert.deepEqual(
    entries.find((e) => e.key === 'stopReason'),
    { key: 'stopReason', kind: 'text', value: 'early-stopping' },
  );
  const params = detailEntries(sftEarly.params);
  assert.deepEqual(
    params.find((e) => e.key === 'config.steps'),
    { key: 'config.steps', kind: 'text', value: '300' },
  );
  assert.deepEqual(
    params.find((e) => e.key === 'init'),
    { key: 'init', kind: 'text', value: '—' },
  );
  assert.deepEqual(
    detailEntries(diagnoseBase.params).find((e) => e.key === 'ks'),
    { key: 'ks', kind: 'text', value: '1, 2, 4, 8, 16' },
  );
  assert.deepEqual(detailEntries({ a: { b: { c: { d: 1 } } } }), [{ key: 'a.b.c', kind: 'text', value: '1 fields' }]);
  assert.deepEqual(detailEntries(null), []);
});
