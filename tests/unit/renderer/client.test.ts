import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppEvent } from '../../../shared/events.ts';
import {
  asResult,
  createClient,
  findBridge,
  parseEvent,
  reconnectDelay,
  type ConnectionState,
  type EventSourceLike,
  type MedbridgeBridge,
} from '../../../renderer/src/lib/api/client.ts';

class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((ev: unknown) => unknown) | null = null;
  onmessage: ((ev: { data: unknown }) => unknown) | null = null;
  onerror: ((ev: unknown) => unknown) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  send(data: string): void {
    this.onmessage?.({ data });
  }
  fail(closed: boolean): void {
    this.readyState = closed ? 2 : 0;
    this.onerror?.({});
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
}

function httpHarness(answer: (url: string, body: string) => { status: number; body: unknown } | Error) {
  const sources: FakeEventSource[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const fetched: Array<{ url: string; body: string; credentials: string }> = [];
  const client = createClient({
    bridge: undefined,
    fetch: async (url, init) => {
      fetched.push({ url, body: init.body, credentials: init.credentials });
      const a = answer(url, init.body);
      if (a instanceof Error) throw a;
      return { status: a.status, json: async () => (typeof a.body === 'string' ? JSON.parse(a.body) : a.body) };
    },
    createEventSource: (url) => {
      const s = new FakeEventSource(url);
      sources.push(s);
      return s;
    },
    setTimeout: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimeout: () => {},
  });
  return { client, sources, timers, fetched };
}

test('HTTP calls POST JSON to /api/call/<name> with same-origin credentials and return the Result', async () => {
  const { client, fetched } = httpHarness(() => ({ status: 200, body: { ok: true, value: [{ id: 'job-1' }] } }));
  assert.equal(client.transport, 'http');
  const r = await client.call('jobs:list', { limit: 5 });
  assert.deepEqual(r, { ok: true, value: [{ id: 'job-1' }] });
  assert.deepEqual(fetched, [{ url: '/api/call/jobs:list', body: '{"limit":5}', credentials: 'same-origin' }]);
});

test('HTTP error answers keep the host’s code, message and detail', async () => {
  const error = { code: 'job/not-found', message: 'There is no job x in this workspace.', detail: { id: 'x' } };
  const { client } = httpHarness(() => ({ status: 404, body: { ok: false, error } }));
  assert.deepEqual(await client.call('jobs:resume', { id: 'x' }), { ok: false, error });
});

test('an unreachable host or an unreadable answer becomes a coded error, never a throw', async () => {
  const down = httpHarness(() => new TypeError('Failed to fetch'));
  const r1 = await down.client.call('workspace:status', {});
  assert.equal(r1.ok, false);
  if (!r1.ok) assert.equal(r1.error.code, 'client/unreachable');
  const garbled = httpHarness(() => ({ status: 502, body: '"<html>"' }));
  const r2 = await garbled.client.call('workspace:status', {});
  assert.equal(r2.ok, false);
  if (!r2.ok) {
    assert.equal(r2.error.code, 'client/bad-response');
    assert.match(r2.error.message, /HTTP 502/);
  }
});

test('events arrive from /api/events; the connection state follows the stream', () => {
  const { client, sources } = httpHarness(() => ({ status: 200, body: { ok: true, value: null } }));
  const events: AppEvent[] = [];
  const states: ConnectionState[] = [];
  client.onConnection((s) => states.push(s));
  client.onEvent((e) => events.push(e));
  assert.equal(sources.length, 1, 'one stream for all listeners');
  const s = sources[0] as FakeEventSource;
  assert.equal(s.url, '/api/events');
  s.open();
  s.send(JSON.stringify({ type: 'audit-appended', seq: 3, action: 'job:start', subject: 'verify-blobs' }));
  s.send('not json');
  s.send(JSON.stringify({ type: 'something-else' }));
  assert.deepEqual(events, [{ type: 'audit-appended', seq: 3, action: 'job:start', subject: 'verify-blobs' }]);
  assert.deepEqual(states, ['connecting', 'live']);
  client.dispose();
  assert.equal(s.closed, true);
});

test('a stream the browser gave up on is reopened after a growing back-off', () => {
  const { client, sources, timers } = httpHarness(() => ({ status: 200, body: { ok: true, value: null } }));
  const states: ConnectionState[] = [];
  client.onConnection((s) => states.push(s));
  const first = sources[0] as FakeEventSource;
  first.open();
  first.fail(false); // the browser retries by itself while CONNECTING
  assert.equal(timers.length, 0);
  first.fail(true); // CLOSED: ours to retry
  assert.equal(first.closed, true);
  assert.deepEqual(
    timers.map((t) => t.ms),
    [1000],
  );
  timers[0]?.fn();
  assert.equal(sources.length, 2);
  (sources[1] as FakeEventSource).fail(true);
  assert.deepEqual(
    timers.map((t) => t.ms),
    [1000, 2000],
  );
  timers[1]?.fn();
  (sources[2] as FakeEventSource).open();
  assert.deepEqual(states, ['connecting', 'live', 'reconnecting', 'live']);
  assert.equal(reconnectDelay(0), 1000);
  assert.equal(reconnectDelay(10), 15_000);
  client.dispose();
});

test('with a preload bridge the client uses IPC for calls and events', async () => {
  const seen: Array<[string, unknown]> = [];
  let push: ((e: AppEvent) => void) | null = null;
  let unsubscribed = 0;
  const bridge: MedbridgeBridge = {
    call: async (name, input) => {
      seen.push([name, input]);
      return { ok: true, value: { name } };
    },
    onEvent: (listener) => {
      push = listener;
      return () => unsubscribed++;
    },
  };
  assert.equal(findBridge({ medbridge: bridge }), bridge);
  assert.equal(findBridge({ medbridge: { call: 1 } }), undefined);
  assert.equal(findBridge({}), undefined);

  const client = createClient({ bridge, fetch: () => assert.fail('fetch must not be used with IPC') });
  assert.equal(client.transport, 'ipc');
  assert.deepEqual(await client.call('audit:verify', {}), { ok: true, value: { name: 'audit:verify' } });
  assert.deepEqual(seen, [['audit:verify', {}]]);
  const events: AppEvent[] = [];
  const states: ConnectionState[] = [];
  client.onConnection((s) => states.push(s));
  client.onEvent((e) => events.push(e));
  (push as ((e: AppEvent) => void) | null)?.({ type: 'audit-appended', seq: 1, action: 'a', subject: 's' });
  assert.equal(events.length, 1);
  assert.deepEqual(states, ['live']);
  client.dispose();
  assert.equal(unsubscribed, 1);
});

test('IPC failures become coded errors', async () => {
  const client = createClient({
    bridge: {
      call: async () => {
        throw new Error('channel closed');
      },
      onEvent: () => () => {},
    },
  });
  const r = await client.call('workspace:status', {});
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'client/ipc-failed');
});

test('asResult and parseEvent accept only the contract’s shapes', () => {
  assert.equal(asResult(null), null);
  assert.equal(asResult({ ok: true }), null, 'ok:true without value');
  assert.equal(asResult({ ok: false, error: { code: 1, message: 'x' } }), null);
  assert.deepEqual(asResult({ ok: false, error: { code: 'internal', message: 'x', stack: 'hidden' } }), {
    ok: false,
    error: { code: 'internal', message: 'x' },
  });
  assert.equal(parseEvent(42), null);
  assert.equal(parseEvent('null'), null);
});
