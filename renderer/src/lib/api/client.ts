// The renderer's one door to the host: every call and every pushed event goes through here, typed by the contract
// in shared/api. In the Electron shell the preload exposes `window.medbridge` (IPC); in a browser against the
// headless host we use same-origin fetch (the session cookie authenticates) and Server-Sent Events.
// Nothing in this file needs DOM typings, so unit tests can drive it with fakes under plain Node.
import type { CallInput, CallName, CallOutput } from '../../../../shared/api/index.ts';
import type { AppErrorShape, Result } from '../../../../shared/errors.ts';
import type { AppEvent } from '../../../../shared/events.ts';

/** What the Electron preload exposes (verbs only, never ipcRenderer). */
export interface MedbridgeBridge {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** Whether pushed events are flowing: 'live' once the stream is open, 'reconnecting' while it is being re-established. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export type Transport = 'ipc' | 'http';

export interface ApiClient {
  readonly transport: Transport;
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>>;
  /** Subscribe to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Subscribe to connection changes (called at once with the current state). A change to 'live' after a gap means events may have been missed: reload what you show. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  dispose(): void;
}

/** The parts of EventSource this client uses (structural, so tests can pass a fake). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => unknown) | null;
  onmessage: ((ev: { data: unknown }) => unknown) | null;
  onerror: ((ev: unknown) => unknown) | null;
  close(): void;
}

type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; credentials: 'same-origin' },
) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

export interface ClientEnvironment {
  bridge?: MedbridgeBridge | undefined;
  fetch?: FetchLike;
  createEventSource?: (url: string) => EventSourceLike;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export const CALL_PATH = '/api/call/';
export const EVENTS_PATH = '/api/events';
/** EventSource.CLOSED: the browser gave up and will not retry on its own. */
const EVENT_SOURCE_CLOSED = 2;
/** Back-off for re-opening a stream the browser gave up on: 1 s, 2 s, 4 s … capped at 15 s. */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_MAX_MS = 15_000;

export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt));
}

/** The preload's object, if this page runs inside the Electron shell and it looks like ours. */
export function findBridge(scope: unknown = globalThis): MedbridgeBridge | undefined {
  const candidate = (scope as { medbridge?: unknown }).medbridge;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const b = candidate as Partial<MedbridgeBridge>;
  return typeof b.call === 'function' && typeof b.onEvent === 'function' ? (b as MedbridgeBridge) : undefined;
}

function clientError(code: string, message: string, detail?: Record<string, unknown>): { ok: false; error: AppErrorShape } {
  return { ok: false, error: detail ? { code, message, detail } : { code, message } };
}

/** A body is a Result if it says ok:true with a value, or ok:false with an error carrying code and message. */
export function asResult(body: unknown): Result<unknown> | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as { ok?: unknown; value?: unknown; error?: unknown };
  if (b.ok === true && 'value' in b) return { ok: true, value: b.value };
  if (b.ok === false && typeof b.error === 'object' && b.error !== null) {
    const e = b.error as { code?: unknown; message?: unknown; detail?: unknown };
    if (typeof e.code === 'string' && typeof e.message === 'string') {
      const detail = typeof e.detail === 'object' && e.detail !== null ? (e.detail as Record<string, unknown>) : undefined;
      return clientError(e.code, e.message, detail);
    }
  }
  return null;
}

/** Parses one SSE `data:` payload; anything that is not an AppEvent is dropped. */
export function parseEvent(data: unknown): AppEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const e = JSON.parse(data) as { type?: unknown };
    if (e && (e.type === 'job-updated' || e.type === 'audit-appended')) return e as AppEvent;
  } catch {
    // A malformed line is a host bug; ignoring it keeps the UI alive and the next full reload corrects the view.
  }
  return null;
}

class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();
  add(fn: (value: T) => void): () => void {
    this.#set.add(fn);
    return () => this.#set.delete(fn);
  }
  emit(value: T): void {
    for (const fn of [...this.#set]) {
      try {
        fn(value);
      } catch (e) {
        console.warn('A MedBridge event listener failed', e);
      }
    }
  }
  get size(): number {
    return this.#set.size;
  }
  clear(): void {
    this.#set.clear();
  }
}

class IpcClient implements ApiClient {
  readonly transport = 'ipc' as const;
  readonly #bridge: MedbridgeBridge;
  readonly #events = new Listeners<AppEvent>();
  #unsubscribe: (() => void) | null = null;

  constructor(bridge: MedbridgeBridge) {
    this.#bridge = bridge;
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>> {
    try {
      const result = asResult(await this.#bridge.call(name, input));
      return (result ?? clientError('client/bad-response', `The app returned an unreadable answer to ${name}.`)) as Result<CallOutput<N>>;
    } catch (e) {
      return clientError('client/ipc-failed', `The call ${name} could not reach the app: ${(e as Error).message}`);
    }
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    const off = this.#events.add(listener);
    this.#unsubscribe ??= this.#bridge.onEvent((e) => this.#events.emit(e));
    return off;
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    // IPC is live for as long as the window exists.
    listener('live');
    return () => {};
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#events.clear();
  }
}

class HttpClient implements ApiClient {
  readonly transport = 'http' as const;
  readonly #fetch: FetchLike;
  readonly #createEventSource: (url: string) => EventSourceLike;
  readonly #setTimeout: (fn: () => void, ms: number) => unknown;
  readonly #clearTimeout: (handle: unknown) => void;
  readonly #events = new Listeners<AppEvent>();
  readonly #connection = new Listeners<ConnectionState>();
  #state: ConnectionState = 'connecting';
  #source: EventSourceLike | null = null;
  #retryTimer: unknown = null;
  #attempt = 0;
  #disposed = false;

  constructor(env: Required<Omit<ClientEnvironment, 'bridge'>>) {
    this.#fetch = env.fetch;
    this.#createEventSource = env.createEventSource;
    this.#setTimeout = env.setTimeout;
    this.#clearTimeout = env.clearTimeout;
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>> {
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await this.#fetch(`${CALL_PATH}${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      return clientError('client/unreachable', 'The MedBridge host is not answering. Is `medbridge serve` still running?', { call: name });
    }
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // handled below: not JSON
    }
    const result = asResult(body);
    if (result) return result as Result<CallOutput<N>>;
    return clientError('client/bad-response', `The host answered ${name} with HTTP ${response.status} and no readable result.`, {
      call: name,
      status: response.status,
    });
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    const off = this.#events.add(listener);
    this.#open();
    return off;
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    const off = this.#connection.add(listener);
    listener(this.#state);
    this.#open();
    return off;
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#retryTimer !== null) this.#clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#source?.close();
    this.#source = null;
    this.#events.clear();
    this.#connection.clear();
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#connection.emit(state);
  }

  #open(): void {
    if (this.#source || this.#disposed || this.#retryTimer !== null) return;
    const source = this.#createEventSource(EVENTS_PATH);
    this.#source = source;
    source.onopen = () => {
      this.#attempt = 0;
      this.#setState('live');
    };
    source.onmessage = (ev) => {
      const event = parseEvent(ev.data);
      if (event) this.#events.emit(event);
    };
    source.onerror = () => {
      if (this.#disposed) return;
      this.#setState('reconnecting');
      // While CONNECTING the browser retries by itself; once CLOSED (e.g. a 401 or the host restarted on another
      // answer) it never will, so we open a fresh stream after a back-off.
      if (source.readyState === EVENT_SOURCE_CLOSED) {
        source.close();
        this.#source = null;
        const delay = reconnectDelay(this.#attempt++);
        this.#retryTimer = this.#setTimeout(() => {
          this.#retryTimer = null;
          this.#open();
        }, delay);
      }
    };
  }
}

/** Picks the transport: the preload's IPC bridge when present, else HTTP + SSE against the page's own origin. */
export function createClient(env: ClientEnvironment = {}): ApiClient {
  const bridge = 'bridge' in env ? env.bridge : findBridge();
  if (bridge) return new IpcClient(bridge);
  const g = globalThis as unknown as {
    fetch: FetchLike;
    EventSource?: new (url: string) => EventSourceLike;
    setTimeout: (fn: () => void, ms: number) => unknown;
    clearTimeout: (handle: unknown) => void;
  };
  return new HttpClient({
    fetch: env.fetch ?? ((url, init) => g.fetch(url, init)),
    createEventSource:
      env.createEventSource ??
      ((url) => {
        if (!g.EventSource) throw new Error('This browser has no EventSource; live updates are unavailable.');
        return new g.EventSource(url);
      }),
    setTimeout: env.setTimeout ?? ((fn, ms) => g.setTimeout(fn, ms)),
    clearTimeout: env.clearTimeout ?? ((h) => g.clearTimeout(h)),
  });
}
