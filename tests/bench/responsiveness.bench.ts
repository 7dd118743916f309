// The host stays responsive while heavy work runs: p50/p99 latency of `workspace:status` over HTTP while a training
// job runs in its worker, and while a large model pack (4 GB, sparse) is registered (every byte hashed in the
// register-model job's worker), against the same calls on an idle host (target p99 < 50 ms under load).
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { api, startServe } from '../helpers/cli.ts';
import { sha256File } from '../../electron/models/index.ts';
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

/** A copy of the reference pack with one extra 4 GB sparse weights file listed in its manifest. */
async function largePack(dir: string): Promise<string> {
  const pack = join(dir, 'large-pack');
  cpSync(join(ROOT, 'resources', 'models', 'reference-v1'), pack, { recursive: true });
  mkdirSync(join(pack, 'weights'));
  const file = join(pack, 'weights', 'extra.bin');
  const bytes = LARGE_PACK_GB * 1024 ** 3;
  const fd = openSync(file, 'w');
  writeSync(fd, Buffer.from('end'), 0, 3, bytes - 3);
  closeSync(fd);
  const m = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')) as { files: Array<{ path: string; sha256: string; bytes: number }> };
  m.files.push({ path: 'weights/extra.bin', sha256: await sha256File(file), bytes });
  writeFileSync(join(pack, 'manifest.json'), JSON.stringify(m));
  return pack;
}

const LARGE_PACK_GB = 4;

/** Calls measured only while the job is running (its state is checked between batches of calls). */
async function latenciesWhileRunning(s: { base: string; token: string }, job: string): Promise<number[]> {
  const busy: number[] = [];
  for (;;) {
    const j = await api(s, 'jobs:get', { id: job });
    if (j.body.value.state !== 'running' && j.body.value.state !== 'queued') break;
    busy.push(...(await latencies(s, BATCH)));
    if (busy.length >= CALLS) break;
  }
  return busy.sort((a, b) => a - b);
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
        const started = await api(s, 'training:start', {
          model: pack,
          version,
          algorithm: 'grpo',
          seed: 1,
          config: { steps: 20_000, evalEvery: 500, guard: { enabled: false } },
        });
        if (started.status !== 200) throw new Error(JSON.stringify(started.body));
        const job = started.body.value.job.id as string;
        const busy = await latenciesWhileRunning(s, job);
        if (busy.length === 0) throw new Error('the training job ended before any call was measured');
        await api(s, 'jobs:cancel', { id: job }).catch(() => undefined);
        const packDir = await largePack(dir);
        const reg = await api(s, 'models:register', { path: packDir });
        if (reg.status !== 200) throw new Error(JSON.stringify(reg.body));
        const hashing = await latenciesWhileRunning(s, reg.body.value.id as string);
        if (hashing.length === 0) throw new Error('the registration ended before any call was measured');
        return [
          {
            name: `workspace:status p50 during training (${busy.length} calls while running)`,
            value: pct(busy, 0.5),
            unit: 'ms',
            baseline: pct(idle, 0.5),
            baselineName: 'idle p50',
            ratio: pct(idle, 0.5) / pct(busy, 0.5),
          },
          {
            name: 'workspace:status p99 during training',
            value: pct(busy, 0.99),
            unit: 'ms',
            baseline: pct(idle, 0.99),
            baselineName: 'idle p99',
            ratio: pct(idle, 0.99) / pct(busy, 0.99),
            target: `< ${P99_TARGET_MS} ms`,
          },
          {
            name: `workspace:status p99 while a ${LARGE_PACK_GB} GB pack is registered (${hashing.length} calls)`,
            value: pct(hashing, 0.99),
            unit: 'ms',
            baseline: pct(idle, 0.99),
            baselineName: 'idle p99',
            ratio: pct(idle, 0.99) / pct(hashing, 0.99),
            target: `< ${P99_TARGET_MS} ms`,
          },
        ];
      } finally {
        await s.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
