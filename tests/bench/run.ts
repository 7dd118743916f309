// `npm run bench [name…]`: runs each benchmark and prints value, baseline (measured in the same run) and ratio.
import { formatRows, type Benchmark } from './harness.ts';
import { auditAppendBench } from './audit-append.bench.ts';
import { diagnoseBench } from './diagnose.bench.ts';
import { dicomImportBench } from './dicom-import.bench.ts';
import { dicomScaleBench } from './dicom-scale.bench.ts';
import { responsivenessBench } from './responsiveness.bench.ts';
import { passAtKSamplingBench } from './pass-at-k-sampling.bench.ts';
import { reportBench } from './report.bench.ts';
import { trainingBench } from './training.bench.ts';
import { vlmBatchBench } from './vlm-batch.bench.ts';

const BENCHMARKS: Benchmark[] = [
  responsivenessBench,
  auditAppendBench,
  dicomImportBench,
  dicomScaleBench,
  diagnoseBench,
  passAtKSamplingBench,
  reportBench,
  trainingBench,
  vlmBatchBench,
];

const wanted = process.argv.slice(2);
const selected = BENCHMARKS.filter((b) => (wanted.length === 0 ? !b.onlyWhenNamed : wanted.includes(b.name)));
const all = [];
for (const b of selected) {
  process.stdout.write(`\n== ${b.name}\n`);
  const rows = await b.run();
  all.push(...rows);
  process.stdout.write(`${formatRows(rows)}\n`);
}
if (process.env.BENCH_JSON) process.stdout.write(`${JSON.stringify(all)}\n`);
