// Attack suite for imports (issue 16, acceptance 4): every unusable input, run through the real CLI, exits non-zero
// with its coded error — before the job for bad paths and options, from the failed job for whole-file problems — and
// leaves no ready dataset. Symlinks leaving the import root are refused and listed; inside the root they are followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli, runCliAsync, tempDir, type CliResult } from '../../helpers/cli.ts';
import { buildZip, npyBytes, npzBytes } from '../../unit/formats/helpers.ts';

const FX = join(REPO_ROOT, 'tests', 'fixtures', 'formats');
const BREAST = join(FX, 'medmnist', 'BreastMNIST.npz');
const PMC_IMAGES = join(FX, 'pmc-vqa', 'images');
const BLOOD = join(FX, 'images', 'blood-cell-pbc');
const DICOM_FILE = join(REPO_ROOT, 'tests', 'fixtures', 'dicom', 'pydicom', 'image_dfl.dcm');
const PMC_HEADER = 'Figure_path,Question,Answer,Choice A,Choice B,Choice C,Choice D,Answer_label';

interface Case {
  name: string;
  args: string[];
  /** The error code the CLI must report. */
  code: string;
  /** A rejection code the failed import must also list. */
  rejection?: string;
}

interface ImportJson {
  ok?: false;
  error?: { code: string; message: string };
  state?: string;
  rejected?: Array<{ file: string; code: string; reason: string }>;
}

const u8 = (n: number, f: (i: number) => number) => Uint8Array.from({ length: n }, (_, i) => f(i));
const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

/** A breastmnist-shaped npz with the given arrays replacing the valid ones. */
function npz(over: Record<string, Uint8Array | null>): Uint8Array {
  const arrays: Record<string, Uint8Array> = {};
  for (const split of ['train', 'val', 'test']) {
    arrays[`${split}_images`] = npyBytes(
      '|u1',
      [2, 28, 28],
      u8(2 * 28 * 28, (i) => i % 251),
    );
    arrays[`${split}_labels`] = npyBytes(
      '|u1',
      [2, 1],
      u8(2, (i) => i % 2),
    );
  }
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete arrays[k];
    else arrays[k] = v;
  }
  return npzBytes(arrays);
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

function buildCases(dir: string): Case[] {
  mkdirSync(dir, { recursive: true });
  const p = (...parts: string[]) => join(dir, ...parts);
  const write = (rel: string, data: string | Uint8Array) => {
    mkdirSync(join(p(rel), '..'), { recursive: true });
    writeFileSync(p(rel), data);
    return p(rel);
  };
  const valid = readFileSync(BREAST);
  const noImages = ['--images', PMC_IMAGES];
  const onlyOneImage = (rel: string) => {
    const folder = p(rel);
    mkdirSync(folder, { recursive: true });
    return folder;
  };

  // ---- MedMNIST .npz
  mkdirSync(p('dir-as.npz'));
  mkfifo(p('fifo-breastmnist.npz'));
  const medmnist: Case[] = [
    { name: 'missing npz', args: ['medmnist', p('missing-breastmnist.npz')], code: 'import/file-not-found' },
    { name: 'a directory as npz', args: ['medmnist', p('dir-as.npz'), '--task', 'breastmnist'], code: 'import/not-a-file' },
    { name: '/dev/null as npz', args: ['medmnist', '/dev/null', '--task', 'breastmnist'], code: 'import/not-a-regular-file' },
    { name: 'a FIFO as npz', args: ['medmnist', p('fifo-breastmnist.npz')], code: 'import/not-a-regular-file' },
    { name: 'empty npz', args: ['medmnist', write('empty/breastmnist.npz', '')], code: 'import/zip-not-a-zip', rejection: 'zip-not-a-zip' },
    {
      name: 'truncated npz',
      args: ['medmnist', write('trunc/breastmnist.npz', valid.subarray(0, Math.floor(valid.length / 3)))],
      code: 'import/zip-not-a-zip',
    },
    { name: 'not a zip', args: ['medmnist', write('text/breastmnist.npz', 'this is a text file, not a zip\n'.repeat(20))], code: 'import/zip-not-a-zip' },
    {
      name: 'zip bomb (small compressed, huge declared size)',
      args: [
        'medmnist',
        write(
          'bomb/breastmnist.npz',
          buildZip([
            { name: 'train_images.npy', data: new Uint8Array(4096), deflate: true, declaredSize: 3_000_000_000 },
            {
              name: 'train_labels.npy',
              data: npyBytes(
                '|u1',
                [2, 1],
                u8(2, () => 0),
              ),
            },
          ]),
        ),
      ],
      code: 'import/zip-ratio-too-high',
      rejection: 'zip-ratio-too-high',
    },
    {
      name: '../ entry in the npz',
      args: ['medmnist', write('slip/breastmnist.npz', buildZip([{ name: '../train_images.npy', data: npyBytes('|u1', [1, 28, 28], new Uint8Array(784)) }]))],
      code: 'import/zip-unsafe-path',
      rejection: 'zip-unsafe-path',
    },
    {
      name: 'pickled object array',
      args: [
        'medmnist',
        write(
          'pickle/breastmnist.npz',
          npz({
            train_images: npyBytes('|O', [2], new Uint8Array(16)),
            val_images: npyBytes('|O', [2], new Uint8Array(16)),
            test_images: npyBytes('|O', [2], new Uint8Array(16)),
          }),
        ),
      ],
      code: 'import/npy-unsupported-dtype',
    },
    {
      name: 'NaN images (float array)',
      args: [
        'medmnist',
        write(
          'nan-img/breastmnist.npz',
          npz({
            train_images: npyBytes('<f4', [2, 2, 2], f32(Array(8).fill(Number.NaN))),
            val_images: null,
            val_labels: null,
            test_images: null,
            test_labels: null,
          }),
        ),
      ],
      code: 'import/medmnist-bad-images',
    },
    {
      name: 'NaN labels (float array)',
      args: [
        'medmnist',
        write(
          'nan-lab/breastmnist.npz',
          npz({ train_labels: npyBytes('<f4', [2, 1], f32([Number.NaN, 1])), val_images: null, val_labels: null, test_images: null, test_labels: null }),
        ),
      ],
      code: 'import/medmnist-bad-labels',
    },
    {
      name: 'labels out of range',
      args: [
        'medmnist',
        write(
          'badlab/breastmnist.npz',
          npz({
            train_labels: npyBytes(
              '|u1',
              [2, 1],
              u8(2, () => 7),
            ),
            val_images: null,
            val_labels: null,
            test_images: null,
            test_labels: null,
          }),
        ),
      ],
      code: 'import/label-out-of-range',
    },
    {
      name: 'negative labels',
      args: [
        'medmnist',
        write(
          'neglab/breastmnist.npz',
          npz({
            train_labels: npyBytes(
              '|i1',
              [2, 1],
              u8(2, () => 0xff),
            ),
            val_images: null,
            val_labels: null,
            test_images: null,
            test_labels: null,
          }),
        ),
      ],
      code: 'import/label-out-of-range',
    },
    {
      name: 'labels but no images',
      args: ['medmnist', write('noimg/breastmnist.npz', npz({ train_images: null, val_images: null, test_images: null }))],
      code: 'import/npz-missing-array',
    },
    {
      name: 'images and labels disagree in count',
      args: [
        'medmnist',
        write(
          'count/breastmnist.npz',
          npz({
            train_labels: npyBytes(
              '|u1',
              [3, 1],
              u8(3, () => 0),
            ),
            val_images: null,
            val_labels: null,
            test_images: null,
            test_labels: null,
          }),
        ),
      ],
      code: 'import/npz-shape-mismatch',
    },
    {
      name: 'an npz with no MedMNIST arrays',
      args: [
        'medmnist',
        write(
          'other/breastmnist.npz',
          npzBytes({
            x: npyBytes(
              '|u1',
              [1],
              u8(1, () => 0),
            ),
          }),
        ),
      ],
      code: 'import/npz-missing-array',
    },
    // MedMNIST 3D: volumes must be (N, S, S, S) with S = 28 or 64; the task's dimensions must be the arrays'.
    {
      name: 'MedMNIST 3D file whose volumes are not cubes',
      args: [
        'medmnist',
        write(
          '3d/organmnist3d.npz',
          npz(Object.fromEntries(['train', 'val', 'test'].map((s) => [`${s}_images`, npyBytes('|u1', [2, 28, 28, 27], new Uint8Array(2 * 28 * 28 * 27))]))),
        ),
      ],
      code: 'import/medmnist-bad-volume',
      rejection: 'medmnist-bad-volume',
    },
    {
      name: 'MedMNIST 3D file of an unpublished side (32³)',
      args: [
        'medmnist',
        write(
          '3d-32/nodulemnist3d.npz',
          npz(Object.fromEntries(['train', 'val', 'test'].map((s) => [`${s}_images`, npyBytes('|u1', [2, 32, 32, 32], new Uint8Array(2 * 32 ** 3))]))),
        ),
      ],
      code: 'import/medmnist-bad-volume',
    },
    {
      name: 'MedMNIST 3D content under a 2D name',
      args: ['medmnist', write('3d-renamed/breastmnist.npz', npz({ train_images: npyBytes('|u1', [2, 28, 28, 28], new Uint8Array(2 * 28 ** 3)) }))],
      code: 'import/medmnist-dimensions',
    },
    { name: 'MedMNIST 3D task named for a 2D file', args: ['medmnist', BREAST, '--task', 'adrenalmnist3d'], code: 'import/medmnist-dimensions' },
    { name: 'a volume mode for a 2D MedMNIST file', args: ['medmnist', BREAST, '--volume', 'middle-slice'], code: 'import/volume-mode-2d' },
    { name: 'unknown task name', args: ['medmnist', BREAST, '--task', 'notamnist'], code: 'import/medmnist-unknown-task' },
    { name: 'renamed npz, task not told by name or content', args: ['medmnist', write('renamed/data.npz', npz({}))], code: 'import/medmnist-task-ambiguous' },
  ];

  // ---- PMC-VQA CSV
  const pmc: Case[] = [
    { name: 'missing CSV', args: ['pmcvqa', p('missing.csv'), ...noImages], code: 'import/file-not-found' },
    {
      name: 'missing --images folder (PMC-VQA)',
      args: ['pmcvqa', join(FX, 'pmc-vqa', 'train.csv'), '--images', p('no-such-images')],
      code: 'import/images-not-found',
    },
    { name: 'empty CSV', args: ['pmcvqa', write('csv/empty.csv', ''), ...noImages], code: 'import/csv-empty' },
    {
      name: 'binary CSV',
      args: [
        'pmcvqa',
        write(
          'csv/binary.csv',
          u8(4096, (i) => (i * 131 + 7) % 256),
        ),
        ...noImages,
      ],
      code: 'import/csv-invalid-utf8',
    },
    {
      name: 'non-UTF-8 CSV',
      args: [
        'pmcvqa',
        write('csv/latin1.csv', Buffer.from(`${PMC_HEADER}\nx.jpg,Qu'est-ce qu'on voit ici? \xe9t\xe9,a,A:un,B:deux,C:trois,D:quatre,A\n`, 'latin1')),
        ...noImages,
      ],
      code: 'import/csv-invalid-utf8',
    },
    {
      name: 'CSV missing columns',
      args: ['pmcvqa', write('csv/cols.csv', 'Figure_path,Question\nx.jpg,What?\n'), ...noImages],
      code: 'import/missing-columns',
    },
    {
      name: 'CSV unterminated quote',
      args: ['pmcvqa', write('csv/quote.csv', `${PMC_HEADER}\nx.jpg,"What is this,a,A:one,B:two,C:three,D:four,A\n`), ...noImages],
      code: 'import/csv-unterminated-quote',
    },
    { name: 'CSV header only', args: ['pmcvqa', write('csv/header.csv', `${PMC_HEADER}\n`), ...noImages], code: 'import/no-items' },
    {
      name: 'question over the text cap',
      args: [
        'pmcvqa',
        write(
          'csv/long.csv',
          `${PMC_HEADER}\n${readFileSync(join(FX, 'pmc-vqa', 'train.csv'), 'utf8')
            .split('\n')[1]
            ?.replace(/^([^,]*),([^,]*),/, (_m, f) => `${f},${'Why? '.repeat(1000)},`)}\n`,
        ),
        ...noImages,
      ],
      code: 'import/text-too-long',
    },
  ];

  // ---- VQA-RAD and SLAKE JSON
  const vqa: Case[] = [
    { name: 'VQA-RAD invalid JSON', args: ['vqa-rad', write('rad/bad.json', '[{"qid": 1,')], code: 'import/json-invalid' },
    {
      name: 'VQA-RAD non-UTF-8 JSON',
      args: ['vqa-rad', write('rad/latin1.json', Buffer.from('[{"question": "\xe9"}]', 'latin1'))],
      code: 'import/json-invalid',
    },
    { name: 'VQA-RAD JSON not a list', args: ['vqa-rad', write('rad/object.json', '{"qid": 1}')], code: 'import/json-shape' },
    { name: 'VQA-RAD empty list', args: ['vqa-rad', write('rad/empty.json', '[]')], code: 'import/no-items' },
    { name: 'VQA-RAD rows all invalid', args: ['vqa-rad', write('rad/rows.json', '[{"qid": 1}, {"question": "x"}]')], code: 'import/row-invalid' },
    {
      name: 'VQA-RAD missing --images',
      args: ['vqa-rad', join(FX, 'vqa-rad', 'testset.json'), '--images', p('no-such-images')],
      code: 'import/images-not-found',
    },
    { name: 'SLAKE invalid JSON', args: ['slake', write('slake/test.json', '{not json')], code: 'import/json-invalid' },
    { name: 'SLAKE empty CSV', args: ['slake', write('slake/test_close.csv', '')], code: 'import/csv-empty' },
    {
      name: 'SLAKE missing --images (2,094 items used to import without images)',
      args: ['slake', join(FX, 'slake', 'test.json'), '--images', p('no-such-imgs')],
      code: 'import/images-not-found',
    },
    { name: 'SLAKE a directory as the annotation file', args: ['slake', onlyOneImage('slake-dir.json')], code: 'import/not-a-file' },
  ];

  // ---- DICOM folders
  mkdirSync(p('dicom-empty'));
  write('dicom-junk/a.dcm', 'not a dicom file at all');
  // a folder whose only image carries BurnedInAnnotation (0028,0301) = YES: quarantined, so nothing is usable
  const mr = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'dicom', 'pydicom', 'MR_small.dcm'));
  const pixelTag = mr.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
  const burned = Buffer.concat([Buffer.from([0x28, 0x00, 0x01, 0x03]), Buffer.from('CS'), Buffer.from([4, 0]), Buffer.from('YES ')]);
  write('dicom-burned/burned_in.dcm', Buffer.concat([mr.subarray(0, pixelTag), burned, mr.subarray(pixelTag)]));
  const dicom: Case[] = [
    { name: 'missing DICOM folder', args: ['dicom', p('no-such-dicom')], code: 'import/folder-not-found' },
    { name: 'empty DICOM folder', args: ['dicom', p('dicom-empty')], code: 'import/no-items' },
    { name: 'a file as the DICOM folder', args: ['dicom', DICOM_FILE], code: 'import/not-a-folder' },
    { name: 'DICOM folder of non-DICOM files', args: ['dicom', p('dicom-junk')], code: 'import/dicom-not-dicom' },
    { name: 'DICOM folder whose only image is burned-in', args: ['dicom', p('dicom-burned')], code: 'import/all-quarantined' },
    { name: 'missing labels CSV', args: ['dicom', p('dicom-junk'), '--labels', p('no-labels.csv')], code: 'import/labels-not-found' },
  ];

  // ---- Image folders and symlinks leaving the root
  mkdirSync(p('img-empty'));
  mkdirSync(p('img-one', 'only'), { recursive: true });
  copyFileSync(join(BLOOD, 'basophil', 'BA_100102.jpg'), p('img-one', 'only', 'a.jpg'));
  // a class folder that is a link to a folder outside the root
  mkdirSync(p('outside-class'));
  copyFileSync(join(BLOOD, 'basophil', 'BA_101381.jpg'), p('outside-class', 'b.jpg'));
  mkdirSync(p('img-linkclass', 'real'), { recursive: true });
  copyFileSync(join(BLOOD, 'basophil', 'BA_100102.jpg'), p('img-linkclass', 'real', 'a.jpg'));
  symlinkSync(p('outside-class'), p('img-linkclass', 'linked'));
  // image files that are links to /etc/passwd
  for (const cls of ['one', 'two']) {
    mkdirSync(p('img-passwd', cls), { recursive: true });
    symlinkSync('/etc/passwd', p('img-passwd', cls, 'passwd.jpg'));
  }
  // a FIFO inside a class folder, and one as the folder
  for (const cls of ['one', 'two']) {
    mkdirSync(p('img-fifo', cls), { recursive: true });
    mkfifo(p('img-fifo', cls, 'pipe.jpg'));
  }
  mkfifo(p('fifo-folder'));
  // VQA image folder whose image is a link outside it; DICOM folder whose only file is a link outside it
  mkdirSync(p('rad-images'));
  symlinkSync('/etc/passwd', p('rad-images', 'synpic1.jpg'));
  const radRow = { qid: 1, image_name: 'synpic1.jpg', answer: 'yes', answer_type: 'CLOSED', question_type: 'PRES', question: 'Is there a fracture?' };
  mkdirSync(p('dicom-link'));
  symlinkSync(DICOM_FILE, p('dicom-link', 'outside.dcm'));
  const folders: Case[] = [
    { name: 'image folder missing', args: ['image-folder', p('no-such-folder'), '--modality', 'microscopy', '--task', 't'], code: 'import/folder-not-found' },
    { name: 'image folder a FIFO', args: ['image-folder', p('fifo-folder'), '--modality', 'microscopy', '--task', 't'], code: 'import/not-a-folder' },
    { name: 'image folder empty', args: ['image-folder', p('img-empty'), '--modality', 'microscopy', '--task', 't'], code: 'import/too-few-classes' },
    { name: 'image folder with one class', args: ['image-folder', p('img-one'), '--modality', 'microscopy', '--task', 't'], code: 'import/too-few-classes' },
    {
      name: 'class folder linked outside the root',
      args: ['image-folder', p('img-linkclass'), '--modality', 'microscopy', '--task', 't'],
      code: 'import/symlink-outside-root',
      rejection: 'too-few-classes',
    },
    {
      name: 'passwd.jpg → /etc/passwd',
      args: ['image-folder', p('img-passwd'), '--modality', 'microscopy', '--task', 't'],
      code: 'import/symlink-outside-root',
      rejection: 'symlink-outside-root',
    },
    {
      name: 'FIFO inside a class folder',
      args: ['image-folder', p('img-fifo'), '--modality', 'microscopy', '--task', 't'],
      code: 'import/not-a-regular-file',
      rejection: 'not-a-regular-file',
    },
    {
      name: 'VQA image linked outside its folder',
      args: ['vqa-rad', write('rad-link/testset.json', JSON.stringify([radRow])), '--images', p('rad-images')],
      code: 'import/symlink-outside-root',
      rejection: 'symlink-outside-root',
    },
    { name: 'DICOM file linked outside the folder', args: ['dicom', p('dicom-link')], code: 'import/symlink-outside-root', rejection: 'symlink-outside-root' },
  ];
  return [...medmnist, ...pmc, ...vqa, ...dicom, ...folders];
}

test('bad-input table: each unusable import exits non-zero with its coded error and leaves no ready dataset', { timeout: 900_000 }, async (t) => {
  const { dir, cleanup } = tempDir('bad-inputs');
  t.after(cleanup);
  // The cases are independent and each is mostly a CLI start-up: two lanes, each in its own workspace, run side by side.
  const workspaces = [join(dir, 'W1'), join(dir, 'W2')];
  for (const ws of workspaces) assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const cases = buildCases(join(dir, 'in'));
  assert.ok(cases.length >= 50, `${cases.length} cases`);
  const results: CliResult[] = [];
  await Promise.all(
    workspaces.map(async (ws, lane) => {
      for (let i = lane; i < cases.length; i += workspaces.length)
        results[i] = await runCliAsync(['import', ...(cases[i] as Case).args, '--workspace', ws, '--json']);
    }),
  );
  const verdicts: string[] = [];
  const wrong: string[] = [];
  for (const [i, c] of cases.entries()) {
    const r = results[i] as CliResult;
    const out = r.json as ImportJson | undefined;
    const got = out?.error?.code;
    verdicts.push(`${c.name}: exit ${r.code}, ${got}`);
    // Every case is checked and all mismatches reported together.
    const problems = [
      r.code === 0 ? `exit code 0` : null,
      got !== c.code ? `code ${got}, expected ${c.code} (${out?.error?.message ?? r.stderr.slice(0, 300)})` : null,
      (out?.error?.message.length ?? 0) <= 20 ? 'no message saying what and where' : null,
      out?.state !== undefined && out.state !== 'failed' ? `job ${out.state}` : null,
      c.rejection && !out?.rejected?.some((x) => x.code === c.rejection) ? `no ${c.rejection} rejection in ${JSON.stringify(out?.rejected)}` : null,
    ].filter((x) => x !== null);
    if (problems.length > 0) wrong.push(`${c.name}: ${problems.join('; ')}`);
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
  t.diagnostic(verdicts.join('\n'));
  for (const ws of workspaces) {
    const list = runCli(['datasets', 'list', '--workspace', ws, '--json']);
    assert.equal(list.code, 0);
    const datasets = list.json as Array<{ id: string; state: string; imported: number }>;
    assert.deepEqual(
      datasets.filter((d) => d.state === 'ready'),
      [],
      'no ready dataset',
    );
    assert.ok(
      datasets.every((d) => d.state === 'failed' && d.imported === 0),
      JSON.stringify(datasets),
    );
  }
});

test('symlinks inside the import root are followed, files and folders alike', { timeout: 120_000 }, (t) => {
  const { dir, cleanup } = tempDir('links-inside');
  t.after(cleanup);
  // inside/basophil/a.jpg is a link to a file in inside/.store; inside/eosinophil is a link to the folder inside/.store/eo
  const inside = join(dir, 'inside');
  mkdirSync(join(inside, '.store', 'eo'), { recursive: true });
  mkdirSync(join(inside, 'basophil'));
  copyFileSync(join(BLOOD, 'basophil', 'BA_100102.jpg'), join(inside, '.store', 'a.jpg'));
  copyFileSync(join(BLOOD, 'basophil', 'BA_101381.jpg'), join(inside, '.store', 'eo', 'e.jpg'));
  symlinkSync(join(inside, '.store', 'a.jpg'), join(inside, 'basophil', 'a.jpg'));
  symlinkSync(join(inside, '.store', 'eo'), join(inside, 'eosinophil'));
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const ok = runCli(['import', 'image-folder', inside, '--modality', 'microscopy', '--task', 'cells', '--workspace', ws, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  const out = ok.json as { imported: number; rejected: Array<{ code: string }> };
  assert.equal(out.imported, 2, 'the linked file and the file in the linked class folder are both imported');
  assert.deepEqual(
    out.rejected.map((x) => x.code),
    [],
  );
});
