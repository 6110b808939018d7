import type { Context } from 'hono';
import { isPublicAddress } from '../shared/public-host.ts';

/**
 * The client's IP, for the login limits. The socket's peer, unless that peer is itself on a
 * private or loopback address (the TLS proxy in front of the core): then the last hop the proxy
 * appended to X-Forwarded-For. A client that connects directly cannot choose its address with the
 * header; one behind the proxy gets the address the proxy saw.
 */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress;
  if (peer && isPublicAddress(peer)) return peer;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  return (forwarded ?? peer ?? 'unknown').slice(0, 64);
}
