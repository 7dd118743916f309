// Hospital-scale DICOM import (issue 14, scale): BENCH_SCALE_FILES generated files (default 100,000; small templates,
// series of 200 slices, two series per patient) imported by a serving host (`medbridge serve`, reader threads on),
// measured against the same import of 2,000 files in the same run:
//   - throughput (files/s), so a slowdown with size shows as a ratio under 1;
//   - `workspace:status` latency over HTTP while the import runs (p50/p99, target p99 < 50 ms), against an idle host;
//   - the item browser's first page (`items:list`, 50 items, no filter and with a modality filter) and its facets on
//     the large dataset (target < 200 ms), against the same calls on the small one;
//   - peak resident memory of the host (VmHWM) and of the import worker (its own report), against the 1 GB budget.
// Disk: about 15 kB a file for the corpus, and the workspace's PNGs (100,000 files: about 1.5 GB + 1 GB).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, runCli, startServe } from '../helpers/cli.ts';
import { SMALL_CORPUS_TEMPLATES, writeDicomCorpus } from '../helpers/dicom-corpus.ts';
import type { Benchmark, BenchRow } from './harness.ts';

const DEFAULT_FILES = 100_000;
const SMALL_FILES = 2_000;
const STATUS_EVERY_MS = 50;
const IDLE_CALLS = 200;
const MEMORY_BUDGET_MB = 1024;
const P99_TARGET_MS = 50;
const PAGE_TARGET_MS = 200;

function filesWanted(): number {
  const raw = process.env.BENCH_SCALE_FILES;
  if (raw === undefined || raw === '') return DEFAULT_FILES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < SMALL_FILES) throw new Error(`BENCH_SCALE_FILES must be an integer ≥ ${SMALL_FILES} (got "${raw}")`);
  return n;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Median milliseconds of five calls. */
async function medianMs(fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < 5; i++) t.push(await timed(fn));
  return t.sort((a, b) => a - b)[2] as number;
}

/** Peak resident set of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

interface Measured {
  seconds: number;
  files: number;
  imported: number;
  statusMs: number[];
  workerPeakMb: number;
  hostPeakMb: number;
  page: number;
  pageFiltered: number;
  facets: number;
}

async function importAndMeasure(dir: string, name: string, files: number): Promise<Measured> {
  const corpus = writeDicomCorpus(join(dir, `${name}-src`), { files, seed: 21, templates: SMALL_CORPUS_TEMPLATES, slicesPerSeries: 200, seriesPerPatient: 2 });
  const ws = join(dir, `${name}-ws`);
  if (runCli(['init', '--workspace', ws]).code !== 0) throw new Error('init failed');
  const s = await startServe(ws);
  try {
    const t0 = process.hrtime.bigint();
    const started = await api(s, 'datasets:import', { source: 'dicom', path: corpus.root, dates: 'remove', seed: 1 });
    if (started.status !== 200) throw new Error(`import refused: ${JSON.stringify(started.body)}`);
    const id = started.body.value.job.id as string;
    const dataset = started.body.value.dataset as string;
    const statusMs: number[] = [];
    let job: { state: string; result: Record<string, unknown> | null; error: unknown } | undefined;
    for (;;) {
      statusMs.push(await timed(() => api(s, 'workspace:status')));
      job = (await api(s, 'jobs:get', { id })).body.value;
      if (job && ['done', 'failed', 'cancelled', 'interrupted'].includes(job.state)) break;
      await new Promise((r) => setTimeout(r, STATUS_EVERY_MS));
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (job?.state !== 'done') throw new Error(`the import ended ${job?.state}: ${JSON.stringify(job?.error)}`);
    const summary = (await api(s, 'datasets:get', { id: dataset, rejectionsLimit: 5 })).body.value as { imported: number };
    const page = await medianMs(() => api(s, 'items:list', { datasetId: dataset, limit: 50 }));
    const pageFiltered = await medianMs(() => api(s, 'items:list', { datasetId: dataset, modality: 'mri', limit: 50 }));
    const facets = await medianMs(() => api(s, 'items:facets', { datasetId: dataset }));
    const hostPeakMb = peakRssMb(s.proc.pid as number);
    rmSync(corpus.root, { recursive: true, force: true });
    return {
      seconds,
      files,
      imported: summary.imported,
      statusMs: statusMs.sort((a, b) => a - b),
      workerPeakMb: Number(job.result?.workerPeakRssMb ?? NaN),
      hostPeakMb,
      page,
      pageFiltered,
      facets,
    };
  } finally {
    await s.stop();
  }
}

async function idleStatus(dir: string): Promise<number[]> {
  const ws = join(dir, 'idle-ws');
  runCli(['init', '--workspace', ws]);
  const s = await startServe(ws);
  try {
    const out: number[] = [];
    for (let i = 0; i < IDLE_CALLS; i++) out.push(await timed(() => api(s, 'workspace:status')));
    return out.sort((a, b) => a - b);
  } finally {
    await s.stop();
  }
}

export const dicomScaleBench: Benchmark = {
  name: 'data-scale',
  onlyWhenNamed: true,
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'medbridge-bench-scale-'));
    try {
      const n = filesWanted();
      const idle = await idleStatus(dir);
      const small = await importAndMeasure(dir, 'small', SMALL_FILES);
      const large = await importAndMeasure(dir, 'large', n);
      const rate = (m: Measured) => m.files / m.seconds;
      const label = `${n.toLocaleString('en')} files`;
      process.stderr.write(
        `data-scale: ${label} imported ${large.imported} items in ${large.seconds.toFixed(0)} s; ${large.statusMs.length} status calls during the import\n`,
      );
      return [
        {
          name: `DICOM import, ${label}`,
          value: rate(large),
          unit: 'files/s',
          baseline: rate(small),
          baselineName: `${SMALL_FILES} files`,
          ratio: rate(large) / rate(small),
        },
        {
          name: `workspace:status p50 during the ${label} import`,
          value: percentile(large.statusMs, 50),
          unit: 'ms',
          baseline: percentile(idle, 50),
          baselineName: 'idle host',
          ratio: percentile(idle, 50) / percentile(large.statusMs, 50),
        },
        {
          name: `workspace:status p99 during the ${label} import`,
          value: percentile(large.statusMs, 99),
          unit: 'ms',
          baseline: percentile(idle, 99),
          baselineName: 'idle host',
          ratio: percentile(idle, 99) / percentile(large.statusMs, 99),
          target: `< ${P99_TARGET_MS} ms`,
        },
        {
          name: `items:list first page (50) of ${large.imported} items`,
          value: large.page,
          unit: 'ms',
          baseline: small.page,
          baselineName: `${small.imported} items`,
          ratio: small.page / large.page,
          target: `< ${PAGE_TARGET_MS} ms`,
        },
        {
          name: `items:list first page, modality filter, ${large.imported} items`,
          value: large.pageFiltered,
          unit: 'ms',
          baseline: small.pageFiltered,
          baselineName: `${small.imported} items`,
          ratio: small.pageFiltered / large.pageFiltered,
          target: `< ${PAGE_TARGET_MS} ms`,
        },
        {
          name: `items:facets of ${large.imported} items`,
          value: large.facets,
          unit: 'ms',
          baseline: small.facets,
          baselineName: `${small.imported} items`,
          ratio: small.facets / large.facets,
          target: `< ${PAGE_TARGET_MS} ms`,
        },
        {
          name: `peak RSS, import worker (${label})`,
          value: large.workerPeakMb,
          unit: 'MB',
          baseline: MEMORY_BUDGET_MB,
          baselineName: 'budget',
          ratio: MEMORY_BUDGET_MB / large.workerPeakMb,
          target: `< ${MEMORY_BUDGET_MB} MB`,
        },
        {
          name: `peak RSS, host (${label})`,
          value: large.hostPeakMb,
          unit: 'MB',
          baseline: MEMORY_BUDGET_MB,
          baselineName: 'budget',
          ratio: MEMORY_BUDGET_MB / large.hostPeakMb,
          target: `< ${MEMORY_BUDGET_MB} MB`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
