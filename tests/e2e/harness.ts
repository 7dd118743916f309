// Shared pieces for browser e2e tests: a fresh renderer build, a temporary workspace served by the headless host
// (`medbridge serve` as a child process), and Debian's Chromium driven by playwright-core with every request recorded.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CLI_ENTRY } from '../helpers/cli.ts';
import { killGroup, removeQuietly, settlesWithin } from '../helpers/processes.ts';
import { buildRendererIfStale } from '../helpers/renderer-build.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const CLI = CLI_ENTRY;

/** Why browser tests cannot run here, or null when they can. */
export function chromiumMissingReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is missing (install it with: apt-get install -y chromium)`;
}

/** Builds renderer/dist when it is missing or older than any of its inputs. */
export function ensureRendererBuilt(): void {
  buildRendererIfStale(ROOT);
}

/** The longest a preparing CLI step (import, training, diagnosis) may take. */
const CLI_STEP_TIMEOUT_MS = 600_000;

/** Runs the CLI to completion; throws with its output when it fails. */
export function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: CLI_STEP_TIMEOUT_MS, killSignal: 'SIGKILL' });
  if (r.status !== 0) throw new Error(`medbridge ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface TempWorkspace {
  dir: string;
  workspace: string;
  remove(): void;
}

export function makeTempWorkspace(prefix = 'medbridge-e2e-'): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const workspace = join(dir, 'workspace');
  try {
    cli(['init', '--workspace', workspace]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, workspace, remove: () => removeQuietly(dir) };
}

export interface ServedHost {
  url: string;
  origin: string;
  child: ChildProcess;
  /** Everything the host wrote to stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

const SERVE_READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

/** Starts `medbridge serve` in its own process group (so its job workers go with it) and waits for its URL. */
export async function serve(workspace: string, options: { port?: number; token?: string } = {}): Promise<ServedHost> {
  const args = [CLI, 'serve', '--workspace', workspace, '--port', String(options.port ?? 0), '--json'];
  // The token goes through the environment, as a user should pass it (a --token flag shows in ps).
  const env = options.token ? { ...process.env, MEDBRIDGE_TOKEN: options.token } : process.env;
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running: it would keep this test file from ending.
      killGroup(child.pid);
      reject(new Error(`medbridge serve printed no URL in ${SERVE_READY_TIMEOUT_MS} ms:\n${out}\n${err}`));
    }, SERVE_READY_TIMEOUT_MS);
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /MedBridge is serving (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`medbridge serve exited ${code} before it was ready:\n${out}\n${err}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.pid === undefined) return;
    // A host a test killed itself may have left workers in its group.
    if (child.exitCode !== null || child.signalCode !== null) return killGroup(child.pid);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // The host first, so it can stop its workers itself; then the whole group, so none outlives the test.
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    if (!(await settlesWithin(exited, STOP_GRACE_MS))) {
      killGroup(child.pid);
      await exited;
    }
    killGroup(child.pid);
  };
  return { url, origin: new URL(url).origin, child, stderr: () => err, stop };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL the page (or its workers) requested. */
  requests: string[];
  /** Console errors and uncaught page errors. */
  consoleErrors: string[];
  close(): Promise<void>;
}

export const VIEWPORT = { width: 1280, height: 800 };

/** How long closing the browser may take before its processes are killed. */
const BROWSER_CLOSE_MS = 15_000;
/** The longest a browser test file's setup (build, workspace, prepare steps, host, browser) may take. */
const SETUP_TIMEOUT_MS = 900_000;

export async function openBrowser(): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  let context: BrowserContext;
  let page: Page;
  try {
    context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    context.on('request', (r) => requests.push(r.url()));
    page = await context.newPage();
  } catch (e) {
    // A browser nobody holds would keep this test file from ending.
    await closeBrowser(browser);
    throw e;
  }
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  return {
    browser,
    context,
    page,
    requests,
    consoleErrors,
    close: async () => {
      await settlesWithin(context.close(), BROWSER_CLOSE_MS);
      await closeBrowser(browser);
    },
  };
}

/**
 * Closes Chromium; one that does not close within BROWSER_CLOSE_MS is killed with its process group (Playwright starts
 * it in a group of its own, as a child of this process, with --remote-debugging-pipe).
 */
async function closeBrowser(browser: Browser): Promise<void> {
  if (await settlesWithin(browser.close(), BROWSER_CLOSE_MS)) return;
  const found = spawnSync('pgrep', ['-P', String(process.pid), '-f', 'remote-debugging-pipe'], { encoding: 'utf8' });
  for (const pid of found.stdout.split('\n').filter(Boolean)) killGroup(Number(pid));
}

/** Requests that left the machine: anything with a network host other than the loopback interface. */
export function nonLoopbackRequests(urls: readonly string[]): string[] {
  return urls.filter((u) => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      return true;
    }
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Polls `read` until `ok` holds, or fails naming what was awaited and the last value seen. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await delay(everyMs);
  }
}

/** The digits of a shown number ("1,234 items" → 1234). */
export function num(s: string): number {
  return Number(s.replace(/[^\d]/g, ''));
}

/** The trimmed text of the first element with this test id. */
export async function textOf(page: Page, testid: string): Promise<string> {
  return ((await page.getByTestId(testid).first().textContent()) ?? '').trim();
}

/** Calls the contract from inside the page (same origin, so the page's own session is used); fails on `{ok:false}`. */
export async function callApi<T>(page: Page, name: string, input: unknown): Promise<T> {
  const body = (await page.evaluate(
    async ([n, i]) => {
      const r = await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(i) });
      return r.json();
    },
    [name, input] as const,
  )) as { ok: boolean; value: T };
  assert.ok(body.ok, `${name}: ${JSON.stringify(body)}`);
  return body.value;
}

/** Scrolls the main pane (not the window, which keeps the header in view) so the element is at its top. */
export async function scrollMainTo(page: Page, testid: string): Promise<void> {
  await page.evaluate((id) => {
    const main = document.getElementById('main');
    const el = document.querySelector(`[data-testid="${id}"]`);
    if (main && el) main.scrollTo(0, el.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16);
  }, testid);
}

export interface ServedApp {
  /** The browser tab. Usable from the describe body: it forwards to the real page once the `before` hook ran. */
  readonly page: Page;
  /** The temporary workspace, the host serving it (replaceable, for restart tests) and the browser session. */
  readonly ws: TempWorkspace;
  host: ServedHost;
  readonly session: BrowserSession;
  /** textOf / callApi / scrollMainTo bound to this app's page. */
  text(testid: string): Promise<string>;
  api<T>(name: string, input: unknown): Promise<T>;
  scrollTo(testid: string): Promise<void>;
}

export interface ServedAppOptions {
  /** Runs on the fresh workspace before the host starts (CLI imports, stored files, …). */
  prepare?: (ws: TempWorkspace) => void | Promise<void>;
  /** Runs last in `after`, for anything `prepare` made outside the workspace folder. */
  cleanup?: () => void | Promise<void>;
}

/**
 * The set-up every browser e2e file shares, registered as `before`/`after` hooks of the calling describe block: a
 * fresh renderer build, a temporary workspace (optionally prepared), `medbridge serve` on it and Chromium; after the
 * tests the browser is closed, the host stopped (with its workers) and the workspace removed. Call it from the
 * describe body.
 */
export function useServedApp(options: ServedAppOptions = {}): ServedApp {
  let ws: TempWorkspace | undefined;
  let host: ServedHost | undefined;
  let session: BrowserSession | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: useServedApp's before hook has not run (or failed)`);
    return value;
  };
  const page = new Proxy({} as Page, {
    get(_target, key) {
      const real = need(session, 'the browser page').page;
      const value: unknown = Reflect.get(real, key, real);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
    },
  });

  // A describe's timeout does not cover its before hook: this one has its own.
  before(
    async () => {
      ensureRendererBuilt();
      ws = makeTempWorkspace();
      await options.prepare?.(ws);
      host = await serve(ws.workspace);
      session = await openBrowser();
    },
    { timeout: SETUP_TIMEOUT_MS },
  );

  after(async () => {
    try {
      await session?.close();
    } finally {
      await host?.stop();
      ws?.remove();
      await options.cleanup?.();
    }
  });

  return {
    page,
    get ws() {
      return need(ws, 'the workspace');
    },
    get host() {
      return need(host, 'the host');
    },
    set host(next: ServedHost) {
      host = next;
    },
    get session() {
      return need(session, 'the browser session');
    },
    text: (testid) => textOf(page, testid),
    api: (name, input) => callApi(page, name, input),
    scrollTo: (testid) => scrollMainTo(page, testid),
  };
}
