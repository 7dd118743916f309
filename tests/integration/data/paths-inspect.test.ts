// paths:inspect (the host call forms use to check a path before a job starts) on the fixture folders and files: what
// each one is, judged from a bounded read-only sample with the import readers' own sniffers, and what the Data step's
// fields make of it (shared/path-fit.ts). Through the served host as the renderer calls it: a relative path is refused
// by the contract, a FIFO is reported without being opened, and nothing is written to the workspace or its audit log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathProblem } from '../../../shared/path-fit.ts';
import { REPO_ROOT, api, runCli, startServe, tempDir, type Served } from '../../helpers/cli.ts';

const FX = join(REPO_ROOT, 'tests', 'fixtures');
const DICOM = join(FX, 'dicom');
const BLOOD = join(FX, 'formats', 'images', 'blood-cell-pbc');
const BREAST = join(FX, 'formats', 'medmnist', 'BreastMNIST.npz');
const PACK = join(REPO_ROOT, 'resources', 'models', 'reference-v1');

let tmp: { dir: string; cleanup: () => void };
let served: Served;

before(async () => {
  tmp = tempDir('paths-inspect');
  const ws = join(tmp.dir, 'ws');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  served = await startServe(ws);
});
after(async () => {
  await served?.stop();
  tmp?.cleanup();
});

async function inspect(path: string): Promise<any> {
  const r = await api(served, 'paths:inspect', { path });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.ok, true);
  return r.body.value;
}

test('the DICOM fixture folder is a DICOM folder; as an image folder it is refused with the switch to DICOM offered', async () => {
  const i = await inspect(DICOM);
  assert.equal(i.kind, 'folder');
  assert.equal(i.content, 'dicom-folder');
  // MANIFEST.md is the one non-DICOM file at the root; no file of the sample is taken for an image (a TIFF preamble
  // in a DICOM file is still DICOM).
  assert.equal(i.images, 0);
  assert.ok(i.dicom >= 10 && i.other === 1, JSON.stringify(i));
  const p = pathProblem(i, 'class-image-folder');
  assert.equal(p?.code, 'path/dicom-folder');
  assert.equal(p?.suggest, 'dicom');
  assert.match(p?.message ?? '', /holds DICOM files .* import it as a DICOM folder\?/);
  assert.equal(pathProblem(i, 'dicom-folder'), null);
});

test('the blood-cell folder is a class-image folder with its 8 classes; as a DICOM folder or a model pack it is refused', async () => {
  const i = await inspect(BLOOD);
  assert.equal(i.content, 'class-image-folder');
  assert.deepEqual(i.classFolders, ['basophil', 'eosinophil', 'erythroblast', 'ig', 'lymphocyte', 'monocyte', 'neutrophil', 'platelet']);
  assert.equal(i.dicom, 0);
  assert.equal(pathProblem(i, 'class-image-folder'), null);
  assert.equal(pathProblem(i, 'dicom-folder')?.suggest, 'image-folder');
  assert.equal(pathProblem(i, 'model-pack')?.code, 'path/not-a-model-pack');
  // One class folder alone holds its images directly: not an image-folder import (it needs two classes).
  const one = await inspect(join(BLOOD, 'basophil'));
  assert.equal(one.content, 'flat-image-folder');
  assert.equal(pathProblem(one, 'class-image-folder')?.code, 'path/not-an-image-folder');
});

test('files: the MedMNIST .npz, a DICOM file with a TIFF preamble, CSV and JSON; a file where a folder is expected', async () => {
  const npz = await inspect(BREAST);
  assert.deepEqual([npz.kind, npz.content], ['file', 'npz']);
  assert.equal(pathProblem(npz, 'medmnist-file'), null);
  assert.equal(pathProblem(npz, 'class-image-folder')?.code, 'path/not-a-folder');
  assert.equal(pathProblem(npz, 'class-image-folder')?.suggest, 'medmnist');
  assert.equal((await inspect(join(DICOM, 'pydicom', 'CT_small.dcm'))).content, 'dicom-file');
  assert.equal((await inspect(join(FX, 'formats', 'pmc-vqa', 'train.csv'))).content, 'csv');
  assert.equal((await inspect(join(FX, 'formats', 'pmc-vqa', 'images.zip'))).content, 'zip');
  const json = await inspect(join(FX, 'formats', 'vqa-rad', 'testset.json'));
  assert.equal(json.content, 'json');
  assert.equal(pathProblem(json, 'medmnist-file')?.code, 'path/not-npz');
  assert.equal(pathProblem(json, 'vqa-file'), null);
});

test('the reference model pack is a model pack; a folder given where a file is expected is named as a folder', async () => {
  const i = await inspect(PACK);
  assert.equal(i.content, 'model-pack');
  assert.equal(pathProblem(i, 'model-pack'), null);
  assert.equal(pathProblem(i, 'medmnist-file')?.code, 'path/not-a-file');
});

test('a misspelt path is missing; an empty folder is empty; a FIFO is reported, not opened; a relative path is refused', async () => {
  const missing = await inspect(join(BLOOD + 'x', 'nope'));
  assert.equal(missing.kind, 'missing');
  assert.equal(pathProblem(missing, 'class-image-folder')?.code, 'path/not-found');
  const empty = join(tmp.dir, 'empty');
  mkdirSync(empty);
  assert.equal((await inspect(empty)).content, 'empty-folder');
  const fifo = join(tmp.dir, 'pipe');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  // Opening a FIFO with nothing writing to it would hang the call; the answer comes back.
  const special = await inspect(fifo);
  assert.equal(special.kind, 'special');
  assert.equal(pathProblem(special, 'medmnist-file')?.code, 'path/not-a-regular-file');
  // A FIFO inside a folder is not opened either (folder-walk refuses it), and the folder is still judged.
  const withFifo = join(tmp.dir, 'with-fifo');
  mkdirSync(join(withFifo, 'a'), { recursive: true });
  assert.equal(spawnSync('mkfifo', [join(withFifo, 'a', 'pipe')]).status, 0);
  writeFileSync(join(withFifo, 'a', 'note.txt'), 'text');
  assert.equal((await inspect(withFifo)).content, 'other-folder');
  const relative = await api(served, 'paths:inspect', { path: 'tests/fixtures/dicom' });
  assert.equal(relative.body.ok, false);
  assert.match(relative.body.error.message, /absolute/);
});

test('inspecting writes nothing: no job, no dataset, no audit entry', async () => {
  const jobs = await api(served, 'jobs:list', {});
  assert.deepEqual(jobs.body.value, []);
  const datasets = await api(served, 'datasets:list', {});
  assert.deepEqual(datasets.body.value, []);
  const audit = await api(served, 'audit:list', { limit: 1000 });
  assert.ok(
    (audit.body.value as Array<{ action: string }>).every((e) => !e.action.startsWith('paths')),
    'no paths:* audit entry',
  );
});
