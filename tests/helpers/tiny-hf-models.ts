// Tiny random-weight Hugging Face VLMs (tests/fixtures/models/hf/make_tiny_hf_vlm.py, seeded) and their converted
// packs (resources/python/medbridge_convert), built once per family and reused by the test files of a run: kept
// under the system temp folder, keyed by a hash of the scripts and the lock file that make them.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.ts';
import { ENGINE_PYTHON, PYTHON_TIMEOUT_MS } from './engine-python.ts';

export const TINY_FAMILIES = ['llava', 'qwen2_vl', 'qwen2_5_vl', 'gemma3'] as const;
export type TinyFamily = (typeof TINY_FAMILIES)[number];
export const MAKE_TINY = join(REPO_ROOT, 'tests/fixtures/models/hf/make_tiny_hf_vlm.py');
const CONVERTER = join(REPO_ROOT, 'resources/python/medbridge_convert');

function sourcesHash(): string {
  const h = createHash('sha256');
  h.update(readFileSync(MAKE_TINY));
  h.update(readFileSync(join(REPO_ROOT, 'resources/python/requirements.lock')));
  for (const f of readdirSync(CONVERTER)
    .filter((n) => n.endsWith('.py'))
    .sort())
    h.update(f).update(readFileSync(join(CONVERTER, f)));
  return h.digest('hex').slice(0, 16);
}

function run(args: string[], cwd = REPO_ROOT): void {
  const r = spawnSync(ENGINE_PYTHON, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: PYTHON_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    env: { ...process.env, HF_HUB_OFFLINE: '1', PYTHONPATH: join(REPO_ROOT, 'resources/python') },
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-3000)}`);
}

/** The HF folder and the converted pack folder (no manifest: hashed as found) of a family's tiny model. */
export function tinyHfModel(family: TinyFamily, seed = 1234): { hf: string; pack: string } {
  const root = join(tmpdir(), 'medbridge-tiny-hf', `${sourcesHash()}-${seed}`);
  const hf = join(root, `hf-${family}`);
  const pack = join(root, `pack-${family}`);
  if (!existsSync(join(hf, 'config.json'))) {
    mkdirSync(root, { recursive: true });
    const tmp = `${hf}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    run([MAKE_TINY, '--family', family, '--out', tmp, '--seed', String(seed)]);
    settle(tmp, hf);
  }
  if (!existsSync(join(pack, 'config.json'))) {
    const tmp = `${pack}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    run(['-m', 'medbridge_convert', '--src', hf, '--out', tmp]);
    settle(tmp, pack);
  }
  return { hf, pack };
}

/** Moves a finished build into place; if another test process (the other lane of tests/run.js) got there first, its copy is kept. */
function settle(tmp: string, target: string): void {
  try {
    renameSync(tmp, target);
  } catch (e) {
    if (!existsSync(join(target, 'config.json'))) throw e;
    rmSync(tmp, { recursive: true, force: true });
  }
}
