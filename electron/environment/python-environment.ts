// Finds the Python environment MedBridge uses for converting models and for engine jobs (never for its main job):
// MEDBRIDGE_PYTHON (an interpreter the user points to), else the project-local environment that
// `npm run setup:engines` creates. Checks that every package it needs is installed and says exactly what is missing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import { PROJECT_ROOT } from './project-root.ts';

export const SETUP_COMMAND = 'npm run setup:engines';
/** The project-local environment created by build/python/setup-python.mjs. */
export const PROJECT_PYTHON = join(PROJECT_ROOT, '.medbridge-python', 'bin', 'python');
/** Folder of the Python code MedBridge ships (converter, environment check). */
export const PYTHON_CODE_DIR = join(PROJECT_ROOT, 'resources', 'python');

export interface PythonEnvironment {
  python: string;
  source: 'MEDBRIDGE_PYTHON' | 'project';
  pythonVersion: string;
  /** Distribution name -> installed version. */
  versions: Record<string, string>;
}

interface ProbeOutput {
  python: string;
  versions: Record<string, string>;
  missing: string[];
}

function runProbe(python: string): Promise<{ ok: true; out: ProbeOutput } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, [join(PYTHON_CODE_DIR, 'check_environment.py')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ ok: false, reason: e.message }));
    child.on('close', (code) => {
      if (code !== 0) return resolve({ ok: false, reason: stderr.trim().split('\n').at(-1) || `exit code ${code}` });
      try {
        resolve({ ok: true, out: JSON.parse(stdout) as ProbeOutput });
      } catch {
        resolve({ ok: false, reason: 'the environment check printed no result' });
      }
    });
  });
}

/**
 * The environment to use, checked. Throws `python/missing-environment` (no interpreter) or `python/missing-package`
 * (names each missing package), both with the set-up command.
 */
export async function findPythonEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<PythonEnvironment> {
  const chosen = env.MEDBRIDGE_PYTHON
    ? { python: env.MEDBRIDGE_PYTHON, source: 'MEDBRIDGE_PYTHON' as const }
    : { python: PROJECT_PYTHON, source: 'project' as const };
  if (chosen.source === 'project' && !existsSync(chosen.python)) {
    throw new AppError(
      'python/missing-environment',
      `The Python environment for converting models is not set up (${chosen.python} does not exist). Run "${SETUP_COMMAND}", or set MEDBRIDGE_PYTHON to a Python 3.11 interpreter that has the packages of resources/python/requirements.lock.`,
      { python: chosen.python, setup: SETUP_COMMAND },
    );
  }
  const probe = await runProbe(chosen.python);
  if (!probe.ok) {
    throw new AppError(
      'python/missing-environment',
      `The Python interpreter ${chosen.python} (${chosen.source}) could not be run: ${probe.reason}. Run "${SETUP_COMMAND}" or point MEDBRIDGE_PYTHON to a working interpreter.`,
      { python: chosen.python, setup: SETUP_COMMAND },
    );
  }
  if (probe.out.missing.length > 0) {
    throw new AppError(
      'python/missing-package',
      `The Python environment ${chosen.python} lacks ${probe.out.missing.join(', ')}. Run "${SETUP_COMMAND}" (it installs the pinned versions of resources/python/requirements.lock).`,
      { python: chosen.python, missing: probe.out.missing, setup: SETUP_COMMAND },
    );
  }
  return { python: chosen.python, source: chosen.source, pythonVersion: probe.out.python, versions: probe.out.versions };
}
