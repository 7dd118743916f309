// Where the project-local Python environment lives and which interpreter creates it (shared by the set-up scripts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const PYTHON_DIR = join(ROOT, 'resources', 'python');
export const LOCK_FILE = join(PYTHON_DIR, 'requirements.lock');
/** The project-local virtual environment (git-ignored); the app finds it here unless MEDBRIDGE_PYTHON says otherwise. */
export const VENV_DIR = join(ROOT, '.medbridge-python');
export const VENV_PYTHON = join(VENV_DIR, 'bin', 'python');

/** The interpreter that creates the environment: MEDBRIDGE_BASE_PYTHON, else python3.11, else python3. */
export function basePython() {
  if (process.env.MEDBRIDGE_BASE_PYTHON) return process.env.MEDBRIDGE_BASE_PYTHON;
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'python3.11'))) return 'python3.11';
  return 'python3';
}
