// Benchmarks report ratios against a baseline measured in the same run, so numbers compare across machines.
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  baselineName: string;
  /** value / baseline for throughputs (higher is better), baseline / value for times. */
  ratio: number;
  target?: string;
}

export interface Benchmark {
  readonly name: string;
  /** Runs only when named (`npm run bench NAME`): hours-long or disk-hungry benches. */
  readonly onlyWhenNamed?: boolean;
  run(): Promise<BenchRow[]>;
}

/** Runs fn `repeat` times and returns the median seconds. */
export async function medianSeconds(fn: () => unknown | Promise<unknown>, repeat = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export function formatRows(rows: BenchRow[]): string {
  const lines = rows.map(
    (r) =>
      `${r.name.padEnd(58)} ${fmt(r.value).padStart(12)} ${r.unit.padEnd(10)} vs ${r.baselineName}: ${fmt(r.baseline)}  ratio ${r.ratio.toFixed(3)}${r.target ? `  (target ${r.target})` : ''}`,
  );
  return lines.join('\n');
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3);
}
