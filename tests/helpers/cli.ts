// Test helpers that drive MedBridge the way a user or script does: the real CLI in a child process, and `serve`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killGroup, removeQuietly, settlesWithin } from './processes.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The `medbridge` command as installed (TypeScript sources through tsx). */
export const BIN_ENTRY = join(REPO_ROOT, 'bin', 'medbridge.js');
/**
 * What tests run as `medbridge`: the CLI bundle tests/run.js builds from the same sources once per run (named by
 * MEDBRIDGE_CLI_BUNDLE; it starts in about 0.8 s instead of 2 s), else the installed command.
 */
export const CLI_ENTRY = process.env.MEDBRIDGE_CLI_BUNDLE ?? BIN_ENTRY;
const BIN = CLI_ENTRY;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

const CLI_TIMEOUT_MS = 120_000;
/** How long the output of a CLI that has exited may stay open (held by a process it left running). */
const OUTPUT_GRACE_MS = 5_000;

function cliResult(args: string[], status: number | null, stdout: string, stderr: string): CliResult {
  let json: unknown = undefined;
  const lastLine = stdout.trim().split('\n').at(-1);
  if (args.includes('--json') && lastLine) {
    try {
      json = JSON.parse(lastLine);
    } catch {
      json = undefined;
    }
  }
  return { code: status ?? -1, stdout, stderr, json };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = CLI_TIMEOUT_MS): CliResult {
  // SIGKILL at the limit: a CLI busy printing or waiting could outlive a SIGTERM and hold the test.
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return cliResult(args, r.status, r.stdout, r.stderr);
}

/** runCli without blocking this process, so that independent CLI runs (in separate workspaces) can overlap. */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      timeout: CLI_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    proc.once('error', reject);
    // Its output ends with it, unless a job worker it left behind still holds the pipes: then stop waiting for them.
    const closed = new Promise<void>((done) => proc.once('close', () => done()));
    proc.once('exit', async (code) => {
      if (!(await settlesWithin(closed, OUTPUT_GRACE_MS))) {
        proc.stdout.destroy();
        proc.stderr.destroy();
      }
      resolve(cliResult(args, code, stdout, stderr));
    });
  });
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `medbridge-${prefix}-`));
  return { dir, cleanup: () => removeQuietly(dir) };
}

export interface Served {
  proc: ChildProcess;
  url: string;
  base: string;
  token: string;
  port: number;
  stop(): Promise<void>;
}

const SERVE_READY_TIMEOUT_MS = 30_000;
/** How long a served host may take to stop after SIGTERM before its process group is killed. */
const SERVE_STOP_GRACE_MS = 10_000;

/**
 * Starts `medbridge serve` in a child process of its own process group and waits for its URL line. Whatever happens
 * (the host never prints its URL, a test kills it), `stop()` leaves no process of that group behind: one left running
 * would hold this test file's output open and keep the file from ending.
 */
export function startServe(workspace: string, extra: string[] = []): Promise<Served> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--workspace', workspace, '--json', ...extra], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const stopped = await settlesWithin(exited, SERVE_STOP_GRACE_MS);
      if (!stopped) {
        killGroup(proc.pid);
        await exited;
        throw new Error(`medbridge serve did not stop within ${SERVE_STOP_GRACE_MS} ms of SIGTERM (killed)`);
      }
    }
    // Its job workers too, also when a test killed the host itself.
    killGroup(proc.pid);
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let ready = false;
    const timer = setTimeout(() => {
      killGroup(proc.pid);
      reject(new Error(`serve printed no URL within ${SERVE_READY_TIMEOUT_MS} ms: ${out} ${err}`));
    }, SERVE_READY_TIMEOUT_MS);
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n', out.indexOf(line))) {
        clearTimeout(timer);
        ready = true;
        const info = JSON.parse(line) as { url: string; port: number; token: string };
        resolve({ proc, url: info.url, base: `http://127.0.0.1:${info.port}`, token: info.token, port: info.port, stop });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      // Before its URL only: a test that kills a running host may be checking that its workers then end on their own.
      if (ready) return;
      killGroup(proc.pid);
      reject(new Error(`serve exited early (${code}): ${err}`));
    });
  });
}

export async function api(s: Pick<Served, 'base' | 'token'>, name: string, input: unknown = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.base}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * One request to the served host as given, for what fetch() would not send or would rewrite: a foreign Host header,
 * bad percent-encoding, a POST without Content-Type. Node sends `Host: 127.0.0.1:PORT` unless the headers name one.
 */
export function rawRequest(
  port: number,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method, path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

export async function waitUntil<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  stepMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
