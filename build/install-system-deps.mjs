// Installs the Debian packages the tests and the demo use, when they are missing (needs root or sudo; apt only):
// chromium (browser e2e + PDF), sqlite3 (tamper tests), poppler-utils (PDF → PNG checks), strace (zero-egress test).
// Nothing goes into the system's Python: every Python the tests run — the converter, engine jobs, and the independent
// references (PyTorch, numpy, pydicom + pylibjpeg, onnx) — is the project's own environment, build/python/setup-python.mjs.
import { spawnSync } from 'node:child_process';

const CHECKS = [
  { pkg: 'chromium', ok: () => has('chromium') },
  { pkg: 'sqlite3', ok: () => has('sqlite3') },
  { pkg: 'poppler-utils', ok: () => has('pdftoppm') },
  // the zero-egress test traces the demo and the PDF printer's network calls
  { pkg: 'strace', ok: () => has('strace') },
];

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const missing = CHECKS.filter((c) => !c.ok()).map((c) => c.pkg);
if (missing.length === 0) {
  console.log('system packages: all present');
  process.exit(0);
}
if (!has('apt-get')) {
  console.warn(`system packages missing (${missing.join(', ')}) and apt-get is not available: tests needing them will skip and say why.`);
  process.exit(0);
}
const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
console.log(`installing: ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const run = (args) => spawnSync(asRoot.length ? asRoot[0] : args[0], asRoot.length ? args : args.slice(1), { stdio: 'inherit', env }).status;
if (run(['apt-get', 'update', '-qq']) !== 0 || run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]) !== 0) {
  console.error('apt-get failed: install the packages above by hand.');
  process.exit(1);
}
