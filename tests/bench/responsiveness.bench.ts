// The host stays responsive while heavy work runs: p50/p99 latency of `workspace:status` over HTTP while a training
// job runs in its worker, against the same calls on an idle host (target p99 < 50 ms under load).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { api, startServe } from '../helpers/cli.ts';
import type { Benchmark, BenchRow } from './harness.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const CALLS = 300;
const BATCH = 25;
const P99_TARGET_MS = 50;

function cli(args: string[]): any {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'medbridge.js'), ...args, '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

async function latencies(s: { base: string; token: string }, n = CALLS): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await api(s, 'workspace:status');
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;

export const responsivenessBench: Benchmark = {
  name: 'responsiveness',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(join(tmpdir(), 'medbridge-bench-resp-'));
    try {
      const ws = join(dir, 'W');
      cli(['init', '--workspace', ws]);
      const ds = cli(['import', 'medmnist', join(ROOT, 'resources', 'samples', 'medmnist', 'pneumoniamnist.npz'), '--workspace', ws]).dataset as string;
      const version = cli(['balance', '--datasets', ds, '--total', '2000', '--split', 'source', '--workspace', ws]).id as string;
      const pack = cli(['models', 'add', join(ROOT, 'resources', 'models', 'reference-v1'), '--workspace', ws]).id as string;
      const s = await startServe(ws);
      try {
        const idle = await latencies(s);
        const started = await api(s, 'training:start', { model: pack, version, algorithm: 'grpo', seed: 1, config: { steps: 20_000, evalEvery: 500, guard: { enabled: false } } });
        if (started.status !== 200) throw new Error(JSON.stringify(started.body));
        const job = started.body.value.job.id as string;
        // Sample only while the job is running (its state is checked between batches of calls).
        const busy: number[] = [];
        for (;;) {
          const j = await api(s, 'jobs:get', { id: job });
          if (j.body.value.state !== 'running' && j.body.value.state !== 'queued') break;
          busy.push(...(await latencies(s, BATCH)));
          if (busy.length >= CALLS) break;
        }
        busy.sort((a, b) => a - b);
        if (busy.length === 0) throw new Error('the training job ended before any call was measured');
        const during = { body: { value: { state: `${busy.length} calls while running` } } };
        await api(s, 'jobs:cancel', { id: job }).catch(() => undefined);
        return [
          { name: `workspace:status p50 during training (${during.body.value.state})`, value: pct(busy, 0.5), unit: 'ms', baseline: pct(idle, 0.5), baselineName: 'idle p50', ratio: pct(idle, 0.5) / pct(busy, 0.5) },
          { name: 'workspace:status p99 during training', value: pct(busy, 0.99), unit: 'ms', baseline: pct(idle, 0.99), baselineName: 'idle p99', ratio: pct(idle, 0.99) / pct(busy, 0.99), target: `< ${P99_TARGET_MS} ms` },
        ];
      } finally {
        await s.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
