// The headless door: the built renderer plus the contract over HTTP (POST /api/call/<name>, JSON) and
// Server-Sent Events (/api/events), bound to 127.0.0.1 only and guarded by a per-session token.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { userInfo } from 'node:os';
import { httpStatusFor, type Result } from '../../shared/errors.ts';
import type { Core } from '../core/core.ts';
import { hostHeaderAllowed, originAllowed, TOKEN_COOKIE, tokenFromRequest, tokenMatches } from './auth.ts';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.ts';
import { capErrorEcho } from '../../shared/error-echo.ts';
import { REPORT_FILES_PATH, REPORT_FILE_MEDIA_TYPES, parseReportFilePath } from '../../shared/report-files.ts';
import { reportFileOnDisk } from '../reports/report-file.ts';
import { REPORTS_FOLDER } from '../services/reports-service.ts';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const SSE_KEEPALIVE_MS = 15_000;
const LOOPBACK = '127.0.0.1';

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface HeadlessServerOptions {
  core: Core;
  token: string;
  port: number;
  staticDir: string;
}

export interface HeadlessServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const { core, token } = options;
  const staticRoot = resolve(options.staticDir);
  const actor = `ui:${safeUsername()}`;
  const sseClients = new Set<ServerResponse>();
  let port = options.port;

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      process.stderr.write(`[medbridge] request failed: ${(e as Error).stack ?? String(e)}\n`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error; see the host log.' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!hostHeaderAllowed(req.headers.host, port)) {
      sendJson(res, 403, {
        ok: false,
        error: { code: 'auth/forbidden-origin', message: 'This MedBridge host only answers requests addressed to 127.0.0.1 or localhost.' },
      });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(token, tokenFromRequest(req.headers))) {
        sendJson(res, 401, {
          ok: false,
          error: { code: 'auth/unauthorised', message: 'Missing or wrong access token. Open the URL printed by `medbridge serve` (it carries the token).' },
        });
        return;
      }
      if (!originAllowed(req.headers.origin, port)) {
        sendJson(res, 403, { ok: false, error: { code: 'auth/forbidden-origin', message: 'Requests from other web pages are refused.' } });
        return;
      }
      await handleApi(req, res, url);
      return;
    }
    // The first page URL carries ?token=…: exchange it for an HttpOnly cookie and drop it from the address bar.
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokenMatches(token, given)) {
        sendJson(res, 401, { ok: false, error: { code: 'auth/unauthorised', message: 'Wrong access token.' } });
        return;
      }
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(302, { Location: url.pathname });
      res.end();
      return;
    }
    if (url.pathname.startsWith(REPORT_FILES_PATH)) {
      serveReportFile(req, url, res);
      return;
    }
    serveStatic(url.pathname, res);
  }

  /** A report's HTML, PDF or manifest from the workspace's report folder, for the session only; nothing else. */
  function serveReportFile(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (!tokenMatches(token, tokenFromRequest(req.headers))) {
      sendJson(res, 401, {
        ok: false,
        error: { code: 'auth/unauthorised', message: 'Missing or wrong access token. Open the URL printed by `medbridge serve` (it carries the token).' },
      });
      return;
    }
    const asked = req.method === 'GET' ? parseReportFilePath(url.pathname) : null;
    const file = asked ? reportFileOnDisk(join(core.ws.dir, REPORTS_FOLDER), asked.report, asked.file) : null;
    if (!asked || !file) {
      sendJson(res, 404, { ok: false, error: { code: 'not-found', message: "There is no such report file in this workspace's report folder." } });
      return;
    }
    res.writeHead(200, {
      'Content-Type': REPORT_FILE_MEDIA_TYPES[asked.file],
      // the report page is self-contained: no script, nothing fetched, and it cannot reach the app (sandbox)
      'Content-Security-Policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      'Content-Disposition': `${url.searchParams.has('download') ? 'attachment' : 'inline'}; filename="${asked.report}-${asked.file}"`,
      'Cache-Control': 'no-store',
    });
    res.end(readFileSync(file));
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET' && url.pathname === '/api/health') {
      sendJson(res, 200, { ok: true, app: 'medbridge', schemaVersion: core.ws.schemaVersion(), workspace: core.ws.dir });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    const match = /^\/api\/call\/([a-z-]+:[a-z-]+)$/.exec(url.pathname);
    if (!match || !match[1]) {
      sendJson(res, 404, { ok: false, error: capErrorEcho({ code: 'request/unknown-call', message: `No API route ${req.method} ${url.pathname}.` }) });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendJson(res, 405, { ok: false, error: { code: 'request/invalid-input', message: 'Calls are made with POST and a JSON body.' } });
      return;
    }
    // JSON only: a form or text/plain POST is what another page could send without a CORS preflight, so even with
    // the cookie it is refused before anything runs.
    if (!isJsonContentType(req.headers['content-type'])) {
      sendJson(res, 415, {
        ok: false,
        error: { code: 'request/unsupported-media-type', message: 'Calls must be sent as JSON (Content-Type: application/json).' },
      });
      return;
    }
    const body = await readBody(req);
    if (body === 'too-large') {
      sendJson(res, 413, { ok: false, error: { code: 'request/too-large', message: `Request body is larger than ${MAX_BODY_BYTES} bytes.` } });
      return;
    }
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        sendJson(res, 400, { ok: false, error: { code: 'request/invalid-json', message: 'The request body is not valid JSON.' } });
        return;
      }
    }
    const result = await core.dispatch(match[1], input, { actor });
    sendJson(res, result.ok ? 200 : httpStatusFor(result.error.code), result);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const decoded = decodePath(pathname);
    if (decoded === null) {
      sendJson(res, 400, { ok: false, error: { code: 'request/invalid-path', message: 'The address contains an invalid percent-encoding.' } });
      return;
    }
    const rel = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = normalize(join(staticRoot, rel));
    if (!file.startsWith(staticRoot + sep)) {
      sendJson(res, 404, { ok: false, error: { code: 'not-found', message: 'Not found.' } });
      return;
    }
    const target = existsSync(file) && statSync(file).isFile() ? file : join(staticRoot, 'index.html');
    if (!existsSync(target)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The MedBridge interface has not been built yet. Run: npm run build:renderer');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MEDIA_TYPES[extname(target)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': target.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    });
    res.end(readFileSync(target));
  }

  const unsubscribe = core.onEvent((e) => {
    const line = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of sseClients) c.write(line);
  });
  const keepAlive = setInterval(() => {
    for (const c of sseClients) c.write(': keep-alive\n\n');
  }, SSE_KEEPALIVE_MS);

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolvePromise());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        clearInterval(keepAlive);
        unsubscribe();
        for (const c of sseClients) c.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

/** The path with %XX escapes decoded, or null when they are not valid UTF-8 (`%c0%ae`, a cut `%E0%A4%A`). */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown> | Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
