// Which MedMNIST task a file holds, when the name does not say: --task, else the file name, else the published split
// sizes of its arrays; a 3D file, an unknown name or an undecidable file is a coded error before any job.
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
  await assert.rejects(resolveMedMnistTask(anon, 'nodulemnist3d'), { code: 'import/medmnist-3d' });
  await assert.rejects(resolveMedMnistTask(anon, 'brainmnist'), { code: 'import/medmnist-unknown-task' });
  const volume = join(dir, 'breastmnist.npz');
  writeFileSync(volume, npzBytes({ train_images: npyBytes('|u1', [1, 2, 2, 2], new Uint8Array(8)), train_labels: npyBytes('|u1', [1], new Uint8Array(1)) }));
  await assert.rejects(resolveMedMnistTask(volume, undefined), { code: 'import/medmnist-3d' });
  await assert.rejects(resolveMedMnistTask(volume, 'breastmnist'), { code: 'import/medmnist-3d' });
});
