// Runs every test file (tests/**/*.test.ts) with Node's built-in test runner, in two lanes side by side (one per core
// of a 2-core CI machine), and ends with one summary line: "N passed, N failed, N skipped".
//   Lane "browser+models": tests/e2e, tests/integration/{models,reports,build} — Chromium, PyTorch references, the
//     renderer and Electron bundles (kept in one lane: the e2e harness rebuilds renderer/dist, the build tests read it).
//   Lane "rest": everything else.
// Each lane runs its files one after another (--test-concurrency=1). The first lane streams its output; the second's
// is printed when it ends. MEDBRIDGE_TEST_LANES=1 runs everything in one lane.
// Usage: node tests/run.js [substring filters...]   (with filters: one lane, unless MEDBRIDGE_TEST_LANES=2)
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

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

const FIRST_LANE = ['tests/e2e/', 'tests/integration/models/', 'tests/integration/reports/', 'tests/integration/build/'];
const oneLane = process.env.MEDBRIDGE_TEST_LANES === '1' || (filters.length > 0 && process.env.MEDBRIDGE_TEST_LANES !== '2');
const lanes = oneLane
  ? [{ name: 'all', files }]
  : [
      { name: 'browser+models', files: files.filter((f) => FIRST_LANE.some((p) => f.startsWith(p))) },
      { name: 'rest', files: files.filter((f) => !FIRST_LANE.some((p) => f.startsWith(p))) },
    ].filter((l) => l.files.length > 0);

// Tests never touch the user's real config folder (audit signing key, anchor logs): a fresh one per run, which every
// spawned CLI, server and worker inherits through the environment.
const configDir = process.env.MEDBRIDGE_CONFIG_DIR ? null : mkdtempSync(join(tmpdir(), 'medbridge-test-config-'));
const env = { ...process.env, ...(configDir ? { MEDBRIDGE_CONFIG_DIR: configDir } : {}) };

/** Runs one lane; resolves with its exit code and its output (streamed live for the first lane). */
function runLane(lane, stream) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...lane.files], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (target) => (chunk) => {
      const text = chunk.toString();
      out += text;
      if (stream) target.write(text);
    };
    child.stdout.on('data', take(process.stdout));
    child.stderr.on('data', take(process.stderr));
    child.on('close', (code, signal) => resolve({ lane, code: code ?? 1, signal, out }));
  });
}

/** The spec reporter's closing counts ("ℹ pass N", …). */
function counts(out) {
  const n = (label) => Number(out.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  return { pass: n('pass'), fail: n('fail'), skipped: n('skipped'), cancelled: n('cancelled') };
}

const started = Date.now();
const results = await Promise.all(lanes.map((lane, i) => runLane(lane, i === 0)));
for (const r of results.slice(1)) {
  process.stdout.write(`\n──────── lane "${r.lane.name}" (${r.lane.files.length} files) ────────\n${r.out}`);
}
if (configDir) rmSync(configDir, { recursive: true, force: true });
const total = { pass: 0, fail: 0, skipped: 0 };
let failedLane = false;
for (const r of results) {
  const c = counts(r.out);
  total.pass += c.pass;
  total.fail += c.fail + c.cancelled;
  total.skipped += c.skipped;
  if (r.code !== 0) failedLane = true;
  process.stdout.write(`lane "${r.lane.name}": ${r.lane.files.length} files, ${c.pass} passed, ${c.fail + c.cancelled} failed, ${c.skipped} skipped, exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n`);
}
// A lane that crashed without failing a test still fails the run.
if (failedLane && total.fail === 0) total.fail = 1;
process.stdout.write(`${Math.round((Date.now() - started) / 1000)} s\n${total.pass} passed, ${total.fail} failed, ${total.skipped} skipped\n`);
process.exit(failedLane || total.fail > 0 ? 1 : 0);
