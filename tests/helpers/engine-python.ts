// The project's Python environment (npm run setup:engines) for tests that run the converter or a PyTorch reference.
// Outside CI a test may skip when it is absent, saying why; under CI=true its absence is a failure.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.ts';

export const ENGINE_PYTHON = process.env.MEDBRIDGE_PYTHON ?? join(REPO_ROOT, '.medbridge-python', 'bin', 'python');

/** The longest a reference or fixture-building Python run may take before it is killed (the test then fails). */
export const PYTHON_TIMEOUT_MS = 900_000;

/** null when the environment is there; otherwise the reason to skip (throws under CI=true). */
export function enginePythonMissing(): string | null {
  if (existsSync(ENGINE_PYTHON)) return null;
  const reason = `the Python environment is not set up (${ENGINE_PYTHON}); run "npm run setup:engines"`;
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  return reason;
}
