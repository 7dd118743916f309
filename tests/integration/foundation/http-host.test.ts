// Acceptance: serve answers /api/health with 401 without the token and 200 with it, listens on 127.0.0.1 only,
// and every malformed request gets a 4xx with a clear message, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { api, rawRequest, runCli, startServe, tempDir } from '../../helpers/cli.ts';
import { LATEST_SCHEMA_VERSION } from '../../../electron/storage/migrations/index.ts';

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

test('headless host: token, loopback only, schema-validated input', async (t) => {
  const { dir, cleanup } = tempDir('http');
  t.after(cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const s = await startServe(ws);
  t.after(() => s.stop());

  // Health: 401 without token, 200 with Bearer token, and with the cookie exchanged from the first URL.
  const noToken = await fetch(`${s.base}/api/health`);
  assert.equal(noToken.status, 401);
  const wrong = await fetch(`${s.base}/api/health`, { headers: { Authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  const health = await fetch(`${s.base}/api/health`, { headers: { Authorization: `Bearer ${s.token}` } });
  assert.equal(health.status, 200);
  const h = (await health.json()) as { ok: boolean; schemaVersion: number };
  assert.equal(h.ok, true);
  assert.equal(h.schemaVersion, LATEST_SCHEMA_VERSION);
  const first = await fetch(s.url, { redirect: 'manual' });
  assert.equal(first.status, 302);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
  assert.match(first.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
  assert.equal((await fetch(`${s.base}/api/health`, { headers: { Cookie: cookie } })).status, 200);

  // Loopback only: the port is not reachable on any other interface address of this machine.
  assert.equal(await canConnect('127.0.0.1', s.port), true);
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);
  for (const addr of others) assert.equal(await canConnect(addr, s.port), false, `reachable on ${addr}`);

  // DNS-rebinding guard: a foreign Host header is refused even with the token.
  const rebind = await rawRequest(s.port, { method: 'GET', path: '/api/health', headers: { Host: 'evil.example:80', Authorization: `Bearer ${s.token}` } });
  assert.equal(rebind.status, 403);
  // A page on another origin cannot call the API.
  const cross = await fetch(`${s.base}/api/call/workspace:status`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${s.token}`, Origin: 'http://evil.example' },
    body: '{}',
  });
  assert.equal(cross.status, 403);

  // Malformed input: each a 4xx with a code and a message that says what is wrong.
  const bad = async (path: string, body: string | Buffer, status: number, code: string, message: RegExp) => {
    const r = await rawRequest(s.port, {
      method: 'POST',
      path,
      headers: { Host: `127.0.0.1:${s.port}`, Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
      body,
    });
    assert.equal(r.status, status, `${path} ${String(body).slice(0, 40)} → ${r.body}`);
    const parsed = JSON.parse(r.body) as { ok: boolean; error: { code: string; message: string } };
    assert.equal(parsed.ok, false);
    assert.equal(parsed.error.code, code);
    assert.match(parsed.error.message, message);
  };
  await bad('/api/call/workspace:status', '{not json', 400, 'request/invalid-json', /not valid JSON/);
  await bad('/api/call/nothing:here', '{}', 404, 'request/unknown-call', /no operation called "nothing:here"/);
  await bad('/api/call/jobs:get', '{}', 400, 'request/invalid-input', /jobs:get.*id/);
  await bad('/api/call/jobs:get', '{"id": 5}', 400, 'request/invalid-input', /id: .*string/);
  await bad('/api/call/jobs:get', '{"id":"x","extra":1}', 400, 'request/invalid-input', /extra/);
  await bad('/api/call/jobs:start', '{"kind":"format-disk"}', 400, 'request/invalid-input', /kind/);
  await bad('/api/call/jobs:start', '{"kind":"verify-blobs","params":{"maxBlobsPerSecond":-1}}', 400, 'request/invalid-input', /maxBlobsPerSecond/);
  await bad('/api/call/jobs:list', '[1,2]', 400, 'request/invalid-input', /jobs:list/);
  await bad('/api/call/jobs:list', 'null', 400, 'request/invalid-input', /jobs:list/);
  await bad('/api/call/jobs:get', '{"id":"job-none"}', 404, 'job/not-found', /no job job-none/);
  await bad('/api/call/jobs:resume', '{"id":"job-none"}', 404, 'job/not-found', /no job/);
  await bad('/api/call/blobs:add', '{"paths":["/definitely/not/here"]}', 404, 'not-found', /no such file/);
  await bad('/api/call/workspace:status', Buffer.alloc(11 * 1024 * 1024, 32), 413, 'request/too-large', /larger than/);
  const get = await rawRequest(s.port, {
    method: 'GET',
    path: '/api/call/workspace:status',
    headers: { Host: `127.0.0.1:${s.port}`, Authorization: `Bearer ${s.token}` },
  });
  assert.equal(get.status, 405);

  // The host is still alive and answering after all of that.
  const status = await api(s, 'workspace:status');
  assert.equal(status.status, 200);
  assert.equal(status.body.value.integrity, 'ok');
  assert.equal(s.proc.exitCode, null);
});

test('a second host on the same workspace is refused; the CLI talks to the running host instead', async (t) => {
  const { dir, cleanup } = tempDir('lock');
  t.after(cleanup);
  const ws = join(dir, 'W');
  runCli(['init', '--workspace', ws]);
  const s = await startServe(ws);
  t.after(() => s.stop());
  const second = runCli(['serve', '--workspace', ws]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /already being served|open in another MedBridge process/);
  // status through the running host (its URL is advertised in workspace.lock)
  const status = runCli(['status', '--workspace', ws, '--json']);
  assert.equal(status.code, 0, status.stderr);
  assert.equal((status.json as { host: { mode: string } }).host.mode, 'headless');
});
