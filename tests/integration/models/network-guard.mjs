// Preload (node --import) that makes every outbound network attempt to a non-loopback address throw,
// and appends one JSON line per attempt to the file named by MEDBRIDGE_NETWORK_GUARD_LOG.
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { syncBuiltinESMExports } from 'node:module';

const LOG = process.env.MEDBRIDGE_NETWORK_GUARD_LOG;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // unix sockets, defaults resolved below
  const h = String(host).toLowerCase();
  return LOOPBACK.has(h) || h.startsWith('127.');
}

function refuse(api, target) {
  if (LOG) appendFileSync(LOG, JSON.stringify({ api, target: String(target) }) + '\n');
  throw new Error(`network access blocked by test guard: ${api} ${target}`);
}

function hostOf(args) {
  const [a, b] = args;
  if (typeof a === 'string' || a instanceof URL) {
    try {
      return new URL(String(a)).hostname;
    } catch {
      return typeof b === 'string' ? b : 'localhost';
    }
  }
  if (typeof a === 'number') return typeof b === 'string' ? b : 'localhost';
  if (a && typeof a === 'object') {
    if (a.path && !a.host && !a.hostname) return 'localhost';
    return a.hostname ?? a.host ?? 'localhost';
  }
  return 'localhost';
}

const realFetch = globalThis.fetch;
globalThis.fetch = function guardedFetch(input, init) {
  const url = typeof input === 'string' || input instanceof URL ? new URL(String(input)) : new URL(input.url);
  if (!isLoopback(url.hostname)) refuse('fetch', url.href);
  return realFetch.call(this, input, init);
};

for (const [name, mod] of [
  ['http', http],
  ['https', https],
]) {
  for (const fn of ['request', 'get']) {
    const real = mod[fn];
    mod[fn] = function guarded(...args) {
      const host = hostOf(args);
      if (!isLoopback(host)) refuse(`${name}.${fn}`, host);
      return real.apply(this, args);
    };
  }
}
for (const [name, mod] of [
  ['net', net],
  ['tls', tls],
]) {
  for (const fn of ['connect', 'createConnection']) {
    const real = mod[fn];
    if (typeof real !== 'function') continue;
    mod[fn] = function guarded(...args) {
      const host = hostOf(args);
      if (!isLoopback(host)) refuse(`${name}.${fn}`, host);
      return real.apply(this, args);
    };
  }
}
const realSocketConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const host = hostOf(Array.isArray(args[0]) ? args[0] : args);
  if (!isLoopback(host)) refuse('net.Socket.connect', host);
  return realSocketConnect.apply(this, args);
};
syncBuiltinESMExports();
