// Data import benchmarks: (1) DICOM import throughput (parse, de-identify, decode, window, PNG + thumbnail, commit) on
// a generated corpus (tests/helpers/dicom-corpus.ts: distinct UIDs per file, series of slices, pixel noise), as ratios
// to a Python script doing the same per-file work (tests/bench/dicom_same_work.py: pydicom 3 + pylibjpeg, numpy
// windowing, Pillow PNG + thumbnail, sha256, content-addressed writes; single process) and to pydicom reading and
// decoding the same files, all measured in the same run; (2) peak memory while importing 20,000 generated images
// (budget: under 1 GB for the host and for the worker).
//
// Corpus size: BENCH_DICOM_FILES (default 2,000), e.g. BENCH_DICOM_FILES=100000 npm run bench data-import for the
// hospital-scale run (about 190 kB a file on average: 100,000 files take about 19 GB of temporary disk).
// Timing: ours from the import call to the job's end (worker start, listing, content id, every file, checkpoints);
// the scripts' from their folder walk to their last file (interpreter start and imports excluded, which favours them).
// Both read the corpus from the page cache (it was just written), and both run at nice 10 (the import worker's
// priority). Files made from one compressed template decode to the same pixels (see dicom-corpus.ts), so their PNGs
// deduplicate on both sides alike (content-addressed writes).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { Core } from '../../electron/core/core.ts';
import { WORKER_NICE, forkWorkerLauncher } from '../../electron/jobs/worker-launcher.ts';
import { createRng } from '../../shared/random.ts';
import type { Benchmark, BenchRow } from './harness.ts';
import { npyBytes } from '../unit/formats/helpers.ts';
import { ENGINE_PYTHON } from '../helpers/engine-python.ts';
import { writeDicomCorpus } from '../helpers/dicom-corpus.ts';

const SAME_WORK_SCRIPT = new URL('./dicom_same_work.py', import.meta.url).pathname;
const DEFAULT_DICOM_FILES = 2_000;
const SAME_WORK_TARGET = 1.5;
const GENERATED_IMAGES = 20_000;
const MEMORY_BUDGET_MB = 1024;

function corpusSize(): number {
  const raw = process.env.BENCH_DICOM_FILES;
  if (raw === undefined || raw === '') return DEFAULT_DICOM_FILES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_DICOM_FILES must be a positive integer (got "${raw}")`);
  return n;
}

interface ScriptRun {
  files: number;
  ok: number;
  failed: number;
  seconds: number;
}

/**
 * Runs tests/bench/dicom_same_work.py in the project's Python environment, at the CPU priority of an import worker
 * (nice 10) so that other load on the machine slows both sides alike; throws with its stderr when it fails.
 */
function runScript(args: string[]): ScriptRun {
  const run = spawnSync('nice', ['-n', String(WORKER_NICE), ENGINE_PYTHON, SAME_WORK_SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${SAME_WORK_SCRIPT} ${args[0]} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr.slice(-2000)}`);
  if (run.stderr.trim()) process.stderr.write(`${args[0]}: ${run.stderr.trim().split('\n').slice(-5).join('\n')}\n`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as ScriptRun;
}

async function importOnce(dir: string, params: Parameters<Core['datasets']['import']>[0]) {
  const core = new Core({
    workspaceDir: join(dir, `W${Math.random().toString(36).slice(2)}`),
    mode: 'cli',
    actor: 'bench',
    launcher: forkWorkerLauncher,
    init: true,
  });
  try {
    const t0 = process.hrtime.bigint();
    const { job, dataset } = await core.datasets.import(params, 'bench');
    const done = await core.jobs.waitFor(job.id);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const summary = core.datasets.get(dataset, 5);
    return {
      seconds,
      result: done.result ?? {},
      imported: summary.imported,
      rejected: summary.rejected,
      quarantined: summary.quarantined,
      rejections: summary.rejections,
    };
  } finally {
    core.close();
  }
}

export const dicomImportBench: Benchmark = {
  name: 'data-import',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'medbridge-bench-import-'));
    try {
      const n = corpusSize();
      const corpus = writeDicomCorpus(join(dir, 'corpus'), { files: n, seed: 1 });
      const mb = corpus.bytes / 1e6;
      const ours = await importOnce(dir, { source: 'dicom', path: corpus.root, dates: 'remove', seed: 1 });
      if (ours.imported !== n) {
        process.stderr.write(
          `DICOM import: ${ours.imported} of ${n} files imported (${ours.rejected} rejected, ${ours.quarantined} quarantined): ${JSON.stringify(ours.rejections)}\n`,
        );
      }
      const sameWork = runScript(['same-work', corpus.root, join(dir, 'same-work-out')]);
      const decodeOnly = runScript(['decode-only', corpus.root]);
      const oursRate = n / ours.seconds;
      const sameWorkRate = sameWork.files / sameWork.seconds;
      const decodeRate = decodeOnly.files / decodeOnly.seconds;
      const described = `${n} generated files, ${mb.toFixed(0)} MB, ${corpus.series} series`;
      const failures = (r: ScriptRun) => (r.failed ? `, ${r.failed} failed` : '');
      const rows: BenchRow[] = [
        {
          name: `DICOM import (${described}): ${ours.imported} items`,
          value: oursRate,
          unit: 'files/s',
          baseline: sameWorkRate,
          baselineName: `same-work Python script (${sameWork.ok} ok${failures(sameWork)})`,
          ratio: oursRate / sameWorkRate,
          target: `≥ ${SAME_WORK_TARGET}`,
        },
        {
          name: 'DICOM import vs pydicom read + decode (first frame)',
          value: oursRate,
          unit: 'files/s',
          baseline: decodeRate,
          baselineName: `pydicom read+decode (${decodeOnly.ok} ok${failures(decodeOnly)})`,
          ratio: oursRate / decodeRate,
        },
        {
          name: 'DICOM import throughput',
          value: mb / ours.seconds,
          unit: 'MB/s',
          baseline: mb / sameWork.seconds,
          baselineName: 'same-work Python script',
          ratio: sameWork.seconds / ours.seconds,
        },
        {
          name: `peak RSS, DICOM import worker (${Number(ours.result.threads ?? 0)} reader threads)`,
          value: Number(ours.result.workerPeakRssMb ?? NaN),
          unit: 'MB',
          baseline: MEMORY_BUDGET_MB,
          baselineName: 'budget',
          ratio: MEMORY_BUDGET_MB / Number(ours.result.workerPeakRssMb ?? NaN),
          target: `< ${MEMORY_BUDGET_MB} MB`,
        },
      ];
      rmSync(join(dir, 'corpus'), { recursive: true, force: true });
      rmSync(join(dir, 'same-work-out'), { recursive: true, force: true });
      // 20,000 generated 28×28 images in one MedMNIST-layout npz.
      const rng = createRng(3);
      const count = GENERATED_IMAGES;
      const images = new Uint8Array(count * 28 * 28);
      for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
      const labels = Uint8Array.from({ length: count }, (_, i) => i % 2);
      const npzFile = join(dir, 'breastmnist.npz');
      writeFileSync(
        npzFile,
        zipSync({
          'train_images.npy': npyBytes('|u1', [count, 28, 28], images),
          'train_labels.npy': npyBytes('|u1', [count, 1], labels),
          'val_images.npy': npyBytes('|u1', [0, 28, 28], new Uint8Array()),
          'val_labels.npy': npyBytes('|u1', [0, 1], new Uint8Array()),
          'test_images.npy': npyBytes('|u1', [0, 28, 28], new Uint8Array()),
          'test_labels.npy': npyBytes('|u1', [0, 1], new Uint8Array()),
        }),
      );
      const big = await importOnce(dir, { source: 'medmnist', path: npzFile, seed: 1 });
      const hostPeakMb = Math.round(process.resourceUsage().maxRSS / 1024);
      const workerPeakMb = Number(big.result.workerPeakRssMb ?? NaN);
      rows.push(
        {
          name: `import of ${count} generated images: items/s`,
          value: count / big.seconds,
          unit: 'items/s',
          baseline: oursRate,
          baselineName: 'DICOM files/s above',
          ratio: count / big.seconds / oursRate,
        },
        {
          name: 'peak RSS, import worker (generated images)',
          value: workerPeakMb,
          unit: 'MB',
          baseline: MEMORY_BUDGET_MB,
          baselineName: 'budget',
          ratio: MEMORY_BUDGET_MB / workerPeakMb,
          target: '< 1024 MB',
        },
        {
          name: 'peak RSS, host (this process)',
          value: hostPeakMb,
          unit: 'MB',
          baseline: MEMORY_BUDGET_MB,
          baselineName: 'budget',
          ratio: MEMORY_BUDGET_MB / hostPeakMb,
          target: '< 1024 MB',
        },
      );
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
