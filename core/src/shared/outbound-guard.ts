import { type LookupAddress, type LookupOptions, lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import type { buildConnector as BuildConnector } from 'undici';
import { refusedAddress } from './public-host.ts';

/*
 * The call-time half of the outbound-host rule (shared/public-host.ts checks a tenant's URL when it
 * is saved): every HTTP request this process makes through `fetch` connects only to public
 * addresses, checked on the addresses it actually connects to. A name that passed the check when
 * saved and was re-pointed since at 169.254.169.254 or 10.x (DNS rebinding) is refused at the
 * connect, before a byte is sent. Private hosts stay allowed where `privateHostsAllowed()` says
 * so, read at each connect (development and test, or EXPEDIO_ALLOW_PRIVATE_HOSTS=1). SMTP, which
 * is not fetch, resolves and checks its host the same way (`publicConnectHost`, public-host.ts).
 */

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup, refusing the name when any address it has is not public (while private hosts are not allowed). */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
    if (err) return callback(err, options.all ? [] : '', 0);
    const refused = refusedAddress(hostname, addresses.map((a) => a.address));
    if (refused) return callback(Object.assign(refused, { errno: 0, syscall: 'lookup' }), options.all ? [] : '', 0);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
}

/** An undici connector that refuses non-public IP literals and resolves names through `publicOnlyLookup`. */
function publicOnlyConnector(buildConnector: typeof BuildConnector): BuildConnector.connector {
  const connect = buildConnector({ lookup: publicOnlyLookup as never });
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    const refused = isIP(host) ? refusedAddress(host, [host]) : null;
    return refused ? callback(refused, null) : connect(opts, callback);
  };
}

let installed = false;

/**
 * Makes `fetch` of this process connect to public addresses only (idempotent). Called by every
 * process that calls out on a tenant's behalf: the core, the worker's job threads, `npm start`.
 * undici (a second copy beside Node's own, ~25 MiB) is loaded by the first fetch, not at start:
 * an idle core that never calls out does not pay for it.
 */
export function installOutboundGuard(): void {
  if (installed) return;
  installed = true;
  const nativeFetch = globalThis.fetch;
  let ready: Promise<void> | null = null;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    ready ??= import('undici').then(({ Agent, buildConnector, setGlobalDispatcher }) => {
      setGlobalDispatcher(new Agent({ connect: publicOnlyConnector(buildConnector) }));
    });
    await ready;
    return nativeFetch(input, init);
  }) as typeof fetch;
}
