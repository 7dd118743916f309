// Acceptance: ≥1,000 seeded mutations of the sample DICOM, npz and CSV files imported through the real import job
// (host path: checkpoints, commits, audit): zero crashes, zero integrity errors, every case accounted for
// (items imported, or a failed job with a coded import error and its rejections, or a coded refusal before the job). Jobs run in-process here so a thousand of them fit in a test run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { createRng, type Rng } from '../../shared/random.ts';
import { Core } from '../../electron/core/core.ts';
import { inProcessLauncher } from '../../electron/jobs/in-process-launcher.ts';
import { REPO_ROOT, tempDir } from '../helpers/cli.ts';

const CASES = { dicom: 450, npz: 300, csv: 300 };
const SEED = 20261125;

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  const b = new Uint8Array(src);
  switch (rng.int(5)) {
    case 0: // bit flips
      for (let i = 0, n = 1 + rng.int(8); i < n; i++) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      return b;
    case 1: // truncation
      return b.subarray(0, rng.int(b.length));
    case 2: {
      // a run of random bytes
      const at = rng.int(b.length);
      for (let i = at; i < Math.min(b.length, at + 1 + rng.int(64)); i++) b[i] = rng.int(256);
      return b;
    }
    case 3: {
      // a length-like field set to a huge value
      const at = rng.int(Math.max(1, b.length - 4));
      b[at] = 0xff;
      b[at + 1] = 0xff;
      b[at + 2] = 0xff;
      b[at + 3] = 0x7f;
      return b;
    }
    default: {
      // a slice duplicated in the middle
      const at = rng.int(b.length);
      const len = rng.int(Math.min(512, b.length - at));
      return new Uint8Array([...b.subarray(0, at), ...b.subarray(at, at + len), ...b.subarray(at)]);
    }
  }
}

/** A small valid MedMNIST-style npz (breastmnist layout, 28×28 grey, 4/2/2 images) built here. */
function smallNpz(): Uint8Array {
  const npy = (shape: number[], data: Uint8Array) => {
    const header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
    const padded = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, ' ') + '\n';
    const head = new Uint8Array(10 + padded.length);
    head.set([0x93, ...Buffer.from('NUMPY'), 1, 0, padded.length & 0xff, padded.length >> 8], 0);
    head.set(Buffer.from(padded, 'latin1'), 10);
    return new Uint8Array([...head, ...data]);
  };
  const rng = createRng(5);
  const images = (n: number) => Uint8Array.from({ length: n * 28 * 28 }, () => rng.int(256));
  const files: Record<string, Uint8Array> = {};
  for (const [split, n] of [
    ['train', 4],
    ['val', 2],
    ['test', 2],
  ] as const) {
    files[`${split}_images.npy`] = npy([n, 28, 28], images(n));
    files[`${split}_labels.npy`] = npy(
      [n, 1],
      Uint8Array.from({ length: n }, (_, i) => i % 2),
    );
  }
  return zipSync(files);
}

test('import fuzz: 1,050 mutated DICOM, npz and CSV files; no crash, integrity ok, every case accounted for', { timeout: 900_000 }, async (t) => {
  const { dir, cleanup } = tempDir('fuzz');
  t.after(cleanup);
  const core = new Core({ workspaceDir: join(dir, 'W'), mode: 'cli', actor: 'fuzz', launcher: inProcessLauncher, init: true });
  t.after(() => core.close());
  const rng = createRng(SEED);
  const dicomSources = (function walk(d: string): string[] {
    return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.dcm') ? [join(d, e.name)] : []));
  })(join(REPO_ROOT, 'tests', 'fixtures', 'dicom'))
    .map((f) => readFileSync(f))
    .filter((b) => b.length < 300_000);
  const npz = smallNpz();
  const csv = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'formats', 'pmc-vqa', 'train.csv'));
  const images = join(REPO_ROOT, 'tests', 'fixtures', 'formats', 'pmc-vqa', 'images');

  let cases = 0;
  const outcomes = { imported: 0, rejectedOnly: 0, refused: 0 };
  const run = async (params: Parameters<Core['datasets']['import']>[0]) => {
    let started: Awaited<ReturnType<Core['datasets']['import']>>;
    try {
      started = await core.datasets.import(params, 'fuzz');
    } catch (e) {
      // refused before any job (e.g. a mutated npz whose task cannot be told): a coded error, nothing left behind
      assert.match((e as { code?: string }).code ?? '', /^import\//, `case ${cases}: ${String(e)}`);
      outcomes.refused++;
      cases++;
      return;
    }
    const { dataset, job } = started;
    const finished = await core.jobs.waitFor(job.id);
    const d = core.datasets.get(dataset, 10_000);
    // A source that gave no item fails with a coded import error and no ready dataset; one that gave items is done.
    if (finished.state === 'failed') {
      assert.match(finished.error?.code ?? '', /^import\//, `case ${cases} (${params.source}): ${JSON.stringify(finished.error)}`);
      assert.equal(d.imported, 0);
      assert.equal(d.state, 'failed');
    } else {
      assert.equal(finished.state, 'done', `case ${cases} (${params.source}) ended ${finished.state}: ${JSON.stringify(finished.error)}`);
      assert.ok(d.imported > 0);
    }
    assert.ok(d.imported + d.rejections.length + d.quarantine.length + d.warnings >= 1, `case ${cases}: nothing accounted for`);
    assert.ok(
      d.rejections.every((r) => r.reason.length > 0 && r.code !== 'internal-error'),
      `case ${cases}: ${JSON.stringify(d.rejections)}`,
    );
    if (d.imported > 0) outcomes.imported++;
    else outcomes.rejectedOnly++;
    cases++;
  };
  for (let i = 0; i < CASES.dicom; i++) {
    const caseDir = join(dir, 'dicom', String(i));
    mkdirSync(caseDir, { recursive: true });
    writeFileSync(join(caseDir, 'case.dcm'), mutate(dicomSources[rng.int(dicomSources.length)] as Uint8Array, rng));
    await run({ source: 'dicom', path: caseDir, dates: 'remove', seed: 1 });
  }
  for (let i = 0; i < CASES.npz; i++) {
    const file = join(dir, `breastmnist-${i}.npz`);
    writeFileSync(file, mutate(npz, rng));
    await run({ source: 'medmnist', path: file, seed: 1 });
  }
  for (let i = 0; i < CASES.csv; i++) {
    const file = join(dir, `train-${i}.csv`);
    writeFileSync(file, mutate(csv, rng));
    await run({ source: 'pmc-vqa', path: file, images });
  }
  assert.equal(cases, CASES.dicom + CASES.npz + CASES.csv);
  assert.ok(cases >= 1000);
  assert.equal(core.ws.integrityCheck(), 'ok');
  assert.equal(core.ws.audit.verify().ok, true);
  assert.ok(outcomes.imported > 0 && outcomes.rejectedOnly > 0, `both outcomes occur: ${JSON.stringify(outcomes)}`);
  t.diagnostic(`outcomes: ${JSON.stringify(outcomes)}`);
});
