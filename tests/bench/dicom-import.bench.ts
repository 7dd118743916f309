// Data import benchmarks: (1) DICOM import throughput (parse, de-identify, decode, window, PNG + thumbnail, commit)
// as a ratio to pydicom reading and decoding the same files in the same run; (2) peak memory while importing 20,000
// generated images (budget: under 1 GB for the host and for the worker).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { Core } from '../../electron/core/core.ts';
import { forkWorkerLauncher } from '../../electron/jobs/worker-launcher.ts';
import { createRng } from '../../shared/random.ts';
import type { Benchmark, BenchRow } from './harness.ts';
import { npyBytes } from '../unit/formats/helpers.ts';
import { ENGINE_PYTHON } from '../helpers/engine-python.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const DICOM_DIR = join(ROOT, 'tests', 'fixtures', 'dicom');
const GENERATED_IMAGES = 20_000;
const MEMORY_BUDGET_MB = 1024;

const PYDICOM_TIMER = `
import sys, time, pydicom
files = sys.argv[1:]
ok = 0
t0 = time.perf_counter()
for f in files:
    try:
        ds = pydicom.dcmread(f)
        ds.pixel_array
        ok += 1
    except Exception:
        pass
print(time.perf_counter() - t0, ok)
`;

function walk(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.dcm') ? [join(d, e.name)] : []));
}

async function importOnce(dir: string, params: Parameters<Core['datasets']['import']>[0]) {
  const core = new Core({ workspaceDir: join(dir, `W${Math.random().toString(36).slice(2)}`), mode: 'cli', actor: 'bench', launcher: forkWorkerLauncher, init: true });
  try {
    const t0 = process.hrtime.bigint();
    const { job } = await core.datasets.import(params, 'bench');
    const done = await core.jobs.waitFor(job.id);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { seconds, result: done.result ?? {} };
  } finally {
    core.close();
  }
}

export const dicomImportBench: Benchmark = {
  name: 'data-import',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'medbridge-bench-import-'));
    try {
      const files = walk(DICOM_DIR);
      const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
      const ours = await importOnce(dir, { source: 'dicom', path: DICOM_DIR, dates: 'remove', seed: 1 });
      const py = spawnSync(ENGINE_PYTHON, ['-c', PYDICOM_TIMER, ...files], { encoding: 'utf8' });
      const [pySeconds, pyOk] = py.status === 0 ? py.stdout.trim().split(' ').map(Number) : [NaN, 0];
      const rows: BenchRow[] = [
        { name: `DICOM import, ${files.length} files (${(bytes / 1e6).toFixed(1)} MB)`, value: files.length / ours.seconds, unit: 'files/s', baseline: files.length / (pySeconds as number), baselineName: `pydicom read+decode (${pyOk} decodable)`, ratio: (pySeconds as number) / ours.seconds },
        { name: 'DICOM import throughput', value: bytes / 1e6 / ours.seconds, unit: 'MB/s', baseline: bytes / 1e6 / (pySeconds as number), baselineName: 'pydicom read+decode', ratio: (pySeconds as number) / ours.seconds },
      ];
      // 20,000 generated 28×28 images in one MedMNIST-layout npz.
      const rng = createRng(3);
      const n = GENERATED_IMAGES;
      const images = new Uint8Array(n * 28 * 28);
      for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
      const labels = Uint8Array.from({ length: n }, (_, i) => i % 2);
      const npzFile = join(dir, 'breastmnist.npz');
      writeFileSync(npzFile, zipSync({ 'train_images.npy': npyBytes('|u1', [n, 28, 28], images), 'train_labels.npy': npyBytes('|u1', [n, 1], labels), 'val_images.npy': npyBytes('|u1', [0, 28, 28], new Uint8Array()), 'val_labels.npy': npyBytes('|u1', [0, 1], new Uint8Array()), 'test_images.npy': npyBytes('|u1', [0, 28, 28], new Uint8Array()), 'test_labels.npy': npyBytes('|u1', [0, 1], new Uint8Array()) }));
      const big = await importOnce(dir, { source: 'medmnist', path: npzFile, seed: 1 });
      const hostPeakMb = Math.round(process.resourceUsage().maxRSS / 1024);
      const workerPeakMb = Number(big.result.workerPeakRssMb ?? NaN);
      rows.push(
        { name: `import of ${n} generated images: items/s`, value: n / big.seconds, unit: 'items/s', baseline: files.length / ours.seconds, baselineName: 'DICOM files/s above', ratio: n / big.seconds / (files.length / ours.seconds) },
        { name: 'peak RSS, import worker', value: workerPeakMb, unit: 'MB', baseline: MEMORY_BUDGET_MB, baselineName: 'budget', ratio: MEMORY_BUDGET_MB / workerPeakMb, target: '< 1024 MB' },
        { name: 'peak RSS, host (this process)', value: hostPeakMb, unit: 'MB', baseline: MEMORY_BUDGET_MB, baselineName: 'budget', ratio: MEMORY_BUDGET_MB / hostPeakMb, target: '< 1024 MB' },
      );
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
