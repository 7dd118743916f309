// Which MedMNIST task a file holds, when the name does not say: --task, else the file name, else the published split
// sizes of its arrays; arrays of the other dimensions than the task's, an unknown name or an undecidable file is a
// coded error before any job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveMedMnistTask } from '../../../electron/importers/import-preflight.ts';
import { tempDir } from '../../helpers/cli.ts';
import { fixture, npyBytes, npzBytes } from './helpers.ts';

test('MedMNIST task: named, from the file name, from the published split sizes, or a coded error', async (t) => {
  const { dir, cleanup } = tempDir('mm-task');
  t.after(cleanup);
  const renamed = join(dir, 'study-data.npz');
  copyFileSync(fixture('medmnist/BreastMNIST.npz'), renamed);
  assert.equal((await resolveMedMnistTask(renamed, undefined)).id, 'breastmnist', 'BreastMNIST split sizes 546/78/156 identify it');
  assert.equal((await resolveMedMnistTask(renamed, 'BreastMNIST')).id, 'breastmnist');
  const small = join(dir, 'pneumoniamnist_small.npz');
  writeFileSync(small, npzBytes({ train_images: npyBytes('|u1', [1, 2, 2], new Uint8Array(4)), train_labels: npyBytes('|u1', [1], new Uint8Array(1)) }));
  assert.equal((await resolveMedMnistTask(small, undefined)).id, 'pneumoniamnist', 'the name decides when it names one task');
  const anon = join(dir, 'x.npz');
  copyFileSync(small, anon);
  await assert.rejects(resolveMedMnistTask(anon, undefined), { code: 'import/medmnist-task-ambiguous' });
  await assert.rejects(resolveMedMnistTask(anon, 'nodulemnist3d'), { code: 'import/medmnist-dimensions' }, '2D arrays under a 3D task');
  await assert.rejects(resolveMedMnistTask(anon, 'brainmnist'), { code: 'import/medmnist-unknown-task' });
  const volume = join(dir, 'breastmnist.npz');
  writeFileSync(volume, npzBytes({ train_images: npyBytes('|u1', [1, 2, 2, 2], new Uint8Array(8)), train_labels: npyBytes('|u1', [1], new Uint8Array(1)) }));
  await assert.rejects(resolveMedMnistTask(volume, undefined), { code: 'import/medmnist-dimensions' }, 'volumes under a 2D name');
  await assert.rejects(resolveMedMnistTask(volume, 'breastmnist'), { code: 'import/medmnist-dimensions' });
  assert.equal((await resolveMedMnistTask(volume, 'organmnist3d')).id, 'organmnist3d', 'volumes under a 3D task');
  // A 3D file whose name says nothing: its published split sizes (AdrenalMNIST3D 1188/98/298, volumes — here of 2³) identify it.
  const adrenal = join(dir, 'volumes.npz');
  const splits = { train: 1188, val: 98, test: 298 };
  writeFileSync(
    adrenal,
    npzBytes(
      Object.fromEntries(
        Object.entries(splits).flatMap(([s, n]) => [
          [`${s}_images`, npyBytes('|u1', [n, 2, 2, 2], new Uint8Array(n * 8))],
          [`${s}_labels`, npyBytes('|u1', [n, 1], new Uint8Array(n))],
        ]),
      ),
    ),
  );
  assert.equal((await resolveMedMnistTask(adrenal, undefined)).id, 'adrenalmnist3d');
});
