import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DomainError } from './domain-error.ts';

/**
 * Addresses a tenant-set URL must never reach (a server-side request forgery into our own
 * network): loopback, private (RFC 1918, IPv6 ULA), link-local (which holds the cloud metadata
 * service 169.254.169.254 and fd00:ec2::254 sits in the ULA range), CGNAT, "this network",
 * documentation, benchmarking, multicast and reserved ranges.
 */
const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const)
  NON_PUBLIC.addSubnet(net, bits, 'ipv6');

/** An IPv4 address carried inside IPv6 (mapped ::ffff:a.b.c.d, or NAT64 64:ff9b::/96). */
function embeddedIpv4(ip: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = Number.parseInt(m[2]!, 16);
  const lo = Number.parseInt(m[3]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export function isPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return false;
  if (family === 6) {
    const v4 = embeddedIpv4(bare.toLowerCase());
    if (v4) return !NON_PUBLIC.check(v4, 'ipv4');
    return !NON_PUBLIC.check(bare, 'ipv6');
  }
  return !NON_PUBLIC.check(bare, 'ipv4');
}

/** Names that are never public whatever DNS says: single labels, localhost, mDNS, internal zones. */
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|lan|intranet|corp)$/i;

/**
 * Private hosts are allowed where the fakes live on 127.0.0.1: NODE_ENV development or test, or
 * EXPEDIO_ALLOW_PRIVATE_HOSTS=1 (an on-premise install whose SMTP or courier proxy is on the LAN);
 * EXPEDIO_ALLOW_PRIVATE_HOSTS=0 refuses them even there.
 */
export function privateHostsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.EXPEDIO_ALLOW_PRIVATE_HOSTS === '1') return true;
  if (env.EXPEDIO_ALLOW_PRIVATE_HOSTS === '0') return false;
  return env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
}

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface HostCheck {
  /** Default: privateHostsAllowed(). */
  allowPrivate?: boolean;
  /** Default: the system resolver (getaddrinfo), the same one the HTTP and SMTP clients use. */
  resolve?: Resolve;
}

/**
 * Refuses a host (a name or an IP literal) that is, or resolves to, a non-public address, with a
 * VALIDATION error naming `field`. DNS: the name is resolved when it is saved and every address it
 * has must be public; a name that does not resolve is refused too (it cannot be checked). This is
 * a check at save time: a name re-pointed later (DNS rebinding) is not caught here. Never call it
 * inside a transaction: it is a network call.
 */
export async function assertPublicHost(host: string, field: string, o: HostCheck = {}): Promise<void> {
  if (o.allowPrivate ?? privateHostsAllowed()) return;
  const bare = host.trim().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const refuse = (reason: string): never => {
    throw new DomainError('VALIDATION', `${field} must be a public host: ${host} ${reason}.`, [{ path: field, reason: `${reason} (only public hosts are allowed)` }]);
  };
  if (!bare) refuse('is empty');
  if (isIP(bare)) {
    if (!isPublicAddress(bare)) refuse('is a loopback, private, link-local or reserved address');
    return;
  }
  if (!bare.includes('.') || PRIVATE_NAME.test(bare)) refuse('is a local or internal name');
  // Numeric forms getaddrinfo reads as IPv4 (2130706433, 0x7f.1, 127.1) are not names.
  if (/^[0-9.]+$|^0x/i.test(bare)) refuse('is a numeric address form');
  let addresses: string[];
  try {
    addresses = await (o.resolve ?? resolveAll)(bare);
  } catch {
    return refuse('does not resolve');
  }
  if (addresses.length === 0) refuse('does not resolve');
  const bad = addresses.find((a) => !isPublicAddress(a));
  if (bad) refuse(`resolves to ${bad}, which is not public`);
}

/** The same for a URL: its scheme must be one of `schemes`, and its host public. */
export async function assertPublicUrl(url: string, field: string, o: HostCheck & { schemes?: readonly string[] } = {}): Promise<void> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DomainError('VALIDATION', `${field} is not a URL.`, [{ path: field, reason: 'not a URL' }]);
  }
  const schemes = o.schemes ?? ['https:', 'http:'];
  if (!schemes.includes(u.protocol)) {
    throw new DomainError('VALIDATION', `${field} must be ${schemes.map((s) => s.replace(':', '')).join(' or ')}.`, [{ path: field, reason: `scheme ${u.protocol.replace(':', '')} not allowed` }]);
  }
  await assertPublicHost(u.hostname, field, o);
}

/** A connection refused at call time because the host is, or resolves to, a non-public address. */
export class NonPublicAddressError extends Error {
  readonly code = 'EXPEDIO_NON_PUBLIC_ADDRESS';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, which is not a public address; outbound calls reach public hosts only (EXPEDIO_ALLOW_PRIVATE_HOSTS)`);
  }
}

/**
 * The call-time check shared by every outbound client: the refusal when private hosts are not
 * allowed and any of the addresses `host` connects to is not public; null to go on.
 */
export function refusedAddress(host: string, addresses: readonly string[]): NonPublicAddressError | null {
  if (privateHostsAllowed()) return null;
  const bad = addresses.find((a) => !isPublicAddress(a));
  return bad === undefined ? null : new NonPublicAddressError(host, bad);
}

/**
 * For clients that are not `fetch` (SMTP): the host to connect to, resolved now and checked like a
 * `fetch` connect, with the name to verify TLS against. Where private hosts are allowed the host is
 * returned as it is (the client resolves it); otherwise a name becomes its first address, every
 * address it has must be public, and `servername` keeps the name for SNI and the certificate.
 */
export async function publicConnectHost(host: string): Promise<{ host: string; servername: string | null }> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (privateHostsAllowed()) return { host, servername: null };
  const addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
  const refused = refusedAddress(bare, addresses);
  if (refused) throw refused;
  if (!addresses[0]) throw Object.assign(new Error(`${bare} has no address`), { code: 'ENOTFOUND' });
  return isIP(bare) ? { host: bare, servername: null } : { host: addresses[0], servername: bare };
}
