// npm run setup:engines — creates the project-local Python environment (.medbridge-python/) from
// resources/python/requirements.lock (pinned, hashed; pip --require-hashes). Never touches the system Python.
//   node build/python/setup-python.mjs                     install from the package index (networked machine)
//   node build/python/setup-python.mjs --download DIR      fill a wheelhouse DIR with every locked file (networked machine)
//   node build/python/setup-python.mjs --wheelhouse DIR    install offline from DIR (behind the firewall)
// Re-running with an unchanged lock file does nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCK_FILE, VENV_DIR, VENV_PYTHON, basePython } from './python-paths.mjs';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? resolve(args[i + 1] ?? '') : null;
};
const STAMP = join(VENV_DIR, 'medbridge-lock.sha256');
const lockHash = createHash('sha256').update(readFileSync(LOCK_FILE)).digest('hex');

function run(cmd, argv) {
  console.log(`$ ${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { stdio: 'inherit', env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
  if (r.error) throw new Error(`${cmd} could not be started: ${r.error.message}`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function checkBase(python) {
  const r = spawnSync(python, ['-c', 'import sys, platform; print(f"{sys.version_info[0]}.{sys.version_info[1]} {platform.system()} {platform.machine()}")'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(`Python 3.11 is needed to create the environment and "${python}" did not run. Install Python 3.11 or set MEDBRIDGE_BASE_PYTHON.`);
    process.exit(1);
  }
  const [version, system, machine] = r.stdout.trim().split(' ');
  if (version !== '3.11' || system !== 'Linux' || machine !== 'x86_64') {
    console.error(
      `requirements.lock is for CPython 3.11 on Linux x86_64; "${python}" is ${version} on ${system} ${machine}. Use Python 3.11 (MEDBRIDGE_BASE_PYTHON) or regenerate the lock on this platform (node build/python/lock-python.mjs).`,
    );
    process.exit(1);
  }
}

const download = flag('--download');
const wheelhouse = flag('--wheelhouse');
const base = basePython();
checkBase(base);
if (download) {
  run(base, ['-m', 'pip', 'download', '--require-hashes', '--no-deps', '-r', LOCK_FILE, '-d', download]);
  console.log(`wheelhouse ready: ${download} (copy it behind the firewall, then: npm run setup:engines -- --wheelhouse DIR)`);
  process.exit(0);
}
if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === lockHash && existsSync(VENV_PYTHON)) {
  console.log(`Python environment up to date: ${VENV_DIR}`);
  process.exit(0);
}
rmSync(VENV_DIR, { recursive: true, force: true });
run(base, ['-m', 'venv', VENV_DIR]);
const source = wheelhouse ? ['--no-index', '--find-links', wheelhouse] : [];
run(VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', '--require-hashes', '--no-deps', ...source, '-r', LOCK_FILE]);
writeFileSync(STAMP, `${lockHash}\n`);
console.log(`Python environment ready: ${VENV_DIR}`);
