// Runs every test file (tests/**/*.test.ts) with Node's built-in test runner and ends with one summary line:
// "N passed, N failed, N skipped".
//
// Before the tests it builds, once per run, what many test files would otherwise build again and again:
//   - the renderer (renderer/dist), when a browser or build test is selected and it is older than its sources;
//   - a bundle of the CLI and of the job worker from the same sources (esbuild, node_modules left external), named to
//     the tests by MEDBRIDGE_CLI_BUNDLE / MEDBRIDGE_WORKER_BUNDLE: a `medbridge` process then starts in about 0.8 s
//     instead of 2 s compiling TypeScript, and the suite starts well over a thousand of them.
// Files run in SLOTS parallel slots (default 2, one per core of the CI machine; MEDBRIDGE_TEST_SLOTS overrides),
// longest first by tests/durations.json so the slots end together. Each file's output is printed whole when it ends.
// Usage: node tests/run.js [substring filters...] [--write-durations]
//   --write-durations  after the run, rewrite tests/durations.json with the seconds each file took (every run also
//                      writes them to test-artifacts/test-durations.json).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { buildRendererIfStale } from './helpers/renderer-build.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const writeDurations = args.includes('--write-durations');
const filters = args.filter((a) => !a.startsWith('--'));
const SLOTS = Math.max(1, Number(process.env.MEDBRIDGE_TEST_SLOTS ?? 2));
const DURATIONS_FILE = join(root, 'tests', 'durations.json');
/** Seconds assumed for a file tests/durations.json does not know yet: early enough not to end the run alone. */
const UNKNOWN_FILE_SECONDS = 60;

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

const known = existsSync(DURATIONS_FILE) ? JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) : {};
const expected = (f) => known[f] ?? UNKNOWN_FILE_SECONDS;
const queue = [...files].sort((a, b) => expected(b) - expected(a) || a.localeCompare(b));

/**
 * The CLI, worker and pool-thread bundles, in a folder of their own two levels below the repository (dist/test-cli-PID/), so the
 * paths the sources compute from their own location (`../../resources`, `../../renderer/dist`) still land in the
 * repository.
 */
async function buildCliBundles() {
  const { build } = await import('esbuild');
  mkdirSync(join(root, 'dist'), { recursive: true });
  const outdir = mkdtempSync(join(root, 'dist', 'test-cli-'));
  await build({
    absWorkingDir: root,
    entryPoints: { cli: 'electron/cli/main.ts', 'worker-main': 'electron/jobs/worker-main.ts', 'pool-thread': 'electron/jobs/pool-thread.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'inline',
    keepNames: true,
    logLevel: 'warning',
  });
  return { outdir, cli: join(outdir, 'cli.mjs'), worker: join(outdir, 'worker-main.mjs') };
}

const needsRenderer = files.some((f) => f.startsWith('tests/e2e/') || f.startsWith('tests/integration/build/'));
// renderer/dist, built once here so no two browser tests running side by side rebuild it under each other.
if (needsRenderer) buildRendererIfStale(root);
const bundles = await buildCliBundles();

// Tests never touch the user's real config folder (audit signing key, anchor logs): a fresh one per run, which every
// spawned CLI, server and worker inherits through the environment.
const configDir = process.env.MEDBRIDGE_CONFIG_DIR ? null : mkdtempSync(join(tmpdir(), 'medbridge-test-config-'));
const env = {
  ...process.env,
  ...(configDir ? { MEDBRIDGE_CONFIG_DIR: configDir } : {}),
  // Every call's output is checked against its schema, and a call marked `mutates: false` may not commit a change
  // (electron/core/dispatch.ts): each integration and browser test checks the contract of the calls it makes.
  MEDBRIDGE_CONTRACT_CHECKS: '1',
  MEDBRIDGE_CLI_BUNDLE: bundles.cli,
  MEDBRIDGE_WORKER_BUNDLE: bundles.worker,
};

/** The spec reporter's closing counts ("ℹ pass N", …). */
function counts(out) {
  const n = (label) => Number(out.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  return { pass: n('pass'), fail: n('fail'), skipped: n('skipped'), cancelled: n('cancelled') };
}

/**
 * Seconds a file may run before it is stopped and counted as failed: a file that never ends (a server or child process
 * left open keeps `node --test` waiting) would otherwise hold the whole run until CI's own limit, with no word of which
 * file it was. Three times its known duration, never under five minutes. Such a file is run once more: the second
 * run decides, and the run's last lines name the file and what its processes were doing when it was stopped.
 */
const fileLimitSeconds = (f) => Math.max(300, 3 * expected(f));
/** Every this many seconds the run says which files are still running and for how long. */
const HEARTBEAT_SECONDS = 300;
/** Files running now, with the time each started. */
const running = new Map();

/**
 * The processes a test file started: those of its process group and, down the parent links, their children in groups
 * of their own (a served host and its job workers). One "pid, seconds running, command line" each.
 */
function processesOf(pid) {
  const r = spawnSync('ps', ['-eo', 'pid=,ppid=,pgid=,etimes=,args='], { encoding: 'utf8' });
  const rows = (r.stdout ?? '')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 5)
    .map((f) => ({ pid: Number(f[0]), ppid: Number(f[1]), pgid: Number(f[2]), seconds: f[3], args: f.slice(4).join(' ').slice(0, 300) }));
  const found = new Map(rows.filter((p) => p.pgid === pid).map((p) => [p.pid, p]));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of rows)
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.set(p.pid, p);
        grew = true;
      }
  }
  return [...found.values()];
}

/** Runs one test file in its own `node --test`; resolves with its counts, exit code, output and seconds. */
function runFile(file) {
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so a file that does not end is stopped with every process it started.
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.set(file, started);
    let out = '';
    /** Why the file was stopped, when it was. */
    let stopped = null;
    let settled = false;
    const finish = (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      running.delete(file);
      if (stopped) out += `\n✖ ${stopped}\n`;
      resolve({ file, code: stopped ? 1 : (code ?? 1), signal, out, seconds: (Date.now() - started) / 1000, ...counts(out), stopped });
    };
    const stopFile = (why) => {
      const left = processesOf(child.pid);
      stopped = `${why}${left.length > 0 ? `; its processes then:\n${left.map((p) => `  pid ${p.pid}, ${p.seconds} s: ${p.args}`).join('\n')}` : ''}`;
      for (const target of [-child.pid, ...left.map((p) => p.pid)]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      // A process outside the group could still hold the pipes: do not wait for it.
      setTimeout(() => finish(null, 'SIGKILL'), 5000).unref();
    };
    const limit = setTimeout(
      () => stopFile(`stopped by tests/run.js after ${fileLimitSeconds(file)} s: the file did not end (its output so far is above)`),
      fileLimitSeconds(file) * 1000,
    );
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

const started = Date.now();
const results = [];
/** Files that did not end the first time, with why they were stopped (tests/run.js ran them again). */
const ranAgain = [];
async function slot() {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    let r = await runFile(file);
    report(file, r);
    if (r.stopped) {
      ranAgain.push({ file, stopped: r.stopped });
      process.stdout.write(`\n── ${file} did not end: running it once more\n`);
      r = await runFile(file);
      report(file, r);
    }
    results.push(r);
  }
}
function report(file, r) {
  const verdict =
    r.code === 0 ? 'ok' : r.stopped ? `FAILED (did not end within ${fileLimitSeconds(file)} s)` : `FAILED (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})`;
  process.stdout.write(`\n──────── ${file}: ${verdict}, ${r.seconds.toFixed(1)} s ────────\n${r.out}`);
}
const heartbeat = setInterval(() => {
  const now = Date.now();
  const list = [...running].map(([f, t]) => `${f} ${Math.round((now - t) / 1000)} s`).join(', ');
  process.stdout.write(`\n── ${results.length}/${files.length} files done after ${Math.round((now - started) / 1000)} s; running: ${list}\n`);
}, HEARTBEAT_SECONDS * 1000);
await Promise.all(Array.from({ length: Math.min(SLOTS, files.length) }, slot));
clearInterval(heartbeat);

rmSync(bundles.outdir, { recursive: true, force: true });
if (configDir) rmSync(configDir, { recursive: true, force: true });
// This run's seconds per file, merged over the known ones: always to test-artifacts/ (so a CI or clean-clone run can
// be copied back), and to tests/durations.json with --write-durations.
{
  const merged = { ...known };
  for (const r of results) merged[r.file] = Math.round(r.seconds);
  const sorted = Object.fromEntries(
    Object.keys(merged)
      .filter((f) => existsSync(join(root, f)))
      .sort()
      .map((f) => [f, merged[f]]),
  );
  const text = `${JSON.stringify(sorted, null, 1)}\n`;
  mkdirSync(join(root, 'test-artifacts'), { recursive: true });
  writeFileSync(join(root, 'test-artifacts', 'test-durations.json'), text);
  if (writeDurations) writeFileSync(DURATIONS_FILE, text);
}

const total = { pass: 0, fail: 0, skipped: 0 };
const failedFiles = [];
for (const r of results) {
  total.pass += r.pass;
  total.fail += r.fail + r.cancelled;
  total.skipped += r.skipped;
  // A file that crashed without failing a test still fails the run.
  if (r.code !== 0) {
    failedFiles.push(r.file);
    if (r.fail + r.cancelled === 0) total.fail += 1;
  }
}
// What each failed file's reporter said about its failures (the spec reporter's closing "✖ failing tests:" list, with
// the assertion and stack), repeated here at the end so a log that keeps only its tail still says why.
const FAILURE_EXCERPT_LINES = 60;
for (const r of results.filter((x) => x.code !== 0)) {
  const at = r.out.lastIndexOf('✖ failing tests:');
  const lines = (at === -1 ? r.out : r.out.slice(at)).split('\n').filter((l) => !/\(node:|at node:/.test(l));
  const excerpt = at === -1 ? lines.slice(-FAILURE_EXCERPT_LINES) : lines.slice(0, FAILURE_EXCERPT_LINES);
  process.stdout.write(`\n──────── why ${r.file} failed ────────\n${excerpt.join('\n')}\n`);
}
const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 8);
process.stdout.write(`\nslowest files: ${slowest.map((r) => `${r.file} ${Math.round(r.seconds)} s`).join(', ')}\n`);
for (const a of ranAgain) process.stdout.write(`did not end the first time, so run again: ${a.file} (${a.stopped.replace(/\n/g, '; ')})\n`);
if (failedFiles.length > 0) process.stdout.write(`failed files: ${failedFiles.join(', ')}\n`);
process.stdout.write(
  `${files.length} files in ${SLOTS} slots, ${Math.round((Date.now() - started) / 1000)} s\n${total.pass} passed, ${total.fail} failed, ${total.skipped} skipped\n`,
);
process.exit(failedFiles.length > 0 || total.fail > 0 ? 1 : 0);
