import net from 'node:net';

/**
 * Setup file of every test file: nothing in the suite may leave this machine. A connection to any
 * host but the loopback (fetch, or a raw socket: SMTP, Postgres) fails at once, as a network error
 * the code under test handles like any other, and is reported on stderr with the host, so a test
 * that would have called a real courier, store or ANAF shows up even when the failure is retried.
 * Names are refused before any DNS lookup.
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export const NETWORK_GUARD_MARK = '[test network guard]';

function refuse(what: string): Error {
  const e = new Error(`${NETWORK_GUARD_MARK} refused a connection to ${what}: tests talk to fakes on 127.0.0.1 only`);
  process.stderr.write(`${e.message}\n${new Error().stack?.split('\n').slice(2, 8).join('\n') ?? ''}\n`);
  return e;
}

const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !LOOPBACK.has(url.hostname)) {
    throw new TypeError('fetch failed', { cause: refuse(url.origin) });
  }
  return realFetch(input, init);
};

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
const realConnect = net.Socket.prototype.connect as unknown as Connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const [first, second] = args;
  const opts = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string } | number | string | undefined;
  const host = typeof opts === 'object' && opts !== null ? (opts.path ? null : (opts.host ?? 'localhost')) : typeof opts === 'number' ? (typeof second === 'string' ? second : 'localhost') : null;
  if (host !== null && !LOOPBACK.has(host)) {
    const e = refuse(host);
    process.nextTick(() => this.destroy(e));
    return this;
  }
  return realConnect.apply(this, args);
} as typeof net.Socket.prototype.connect;
