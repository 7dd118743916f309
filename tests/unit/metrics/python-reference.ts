// Runs the numpy reference scripts in tests/reference/ from tests; tells why when it cannot.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENGINE_PYTHON } from '../../helpers/engine-python.ts';

/** The project's Python environment (MEDBRIDGE_PYTHON overrides it), never the system's. */
const CANDIDATES = [ENGINE_PYTHON];

let cached: { python: string | null; reason: string } | undefined;

/** The first python3 that imports numpy, or null with the reason. */
export function findNumpyPython(): { python: string | null; reason: string } {
  if (cached) return cached;
  const reasons: string[] = [];
  for (const python of CANDIDATES) {
    const r = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
    if (r.status === 0) return (cached = { python, reason: '' });
    reasons.push(`${python}: ${r.error ? r.error.message : (r.stderr || '').trim().split('\n').pop()}`);
  }
  return (cached = { python: null, reason: `python3 with numpy not available (${reasons.join('; ')})` });
}

/** Absolute path of a script in tests/reference/. */
export function referenceScript(name: string): string {
  return fileURLToPath(new URL(`../../reference/${name}`, import.meta.url));
}

/** Runs a reference script with JSON on stdin and parses its JSON stdout. */
export function runReference<T>(python: string, script: string, input: unknown): T {
  const r = spawnSync(python, [referenceScript(script)], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The project's own environment (.medbridge-python, which has numpy) when it is set up, else findNumpyPython's answer. */
export function findProjectNumpyPython(): { python: string | null; reason: string } {
  const project = fileURLToPath(new URL('../../../.medbridge-python/bin/python', import.meta.url));
  if (!process.env.MEDBRIDGE_PYTHON && spawnSync(project, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0) return { python: project, reason: '' };
  return findNumpyPython();
}
