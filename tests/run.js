// Runs every test file (tests/**/*.test.ts) with Node's built-in test runner; its summary lines are the CI contract.
// Usage: node tests/run.js [substring filters...]
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = collect(join(root, 'tests'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));

// Tests never touch the user's real config folder (audit signing key, anchor logs): a fresh one per run, which every
// spawned CLI, server and worker inherits through the environment.
const configDir = process.env.MEDBRIDGE_CONFIG_DIR ? null : mkdtempSync(join(tmpdir(), 'medbridge-test-config-'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, ...(configDir ? { MEDBRIDGE_CONFIG_DIR: configDir } : {}) } },
);
if (configDir) rmSync(configDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
