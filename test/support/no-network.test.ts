import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { NETWORK_GUARD_MARK } from './no-network.ts';

describe('test network guard', () => {
  it('refuses fetch to any host but the loopback, before DNS', async () => {
    const err = await fetch('https://api.sameday.ro/api/authenticate').catch((e: Error) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(String((err as TypeError & { cause: Error }).cause.message)).toContain(`${NETWORK_GUARD_MARK} refused a connection to https://api.sameday.ro`);
  });

  it('refuses raw sockets to other hosts and lets loopback through', async () => {
    const refused = await new Promise<Error>((resolve) => net.connect({ host: 'smtp.example.com', port: 25 }).on('error', resolve));
    expect(refused.message).toContain(NETWORK_GUARD_MARK);
    const server = net.createServer((s) => s.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const got = await new Promise<string>((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1');
      c.on('data', (d) => resolve(d.toString())).on('error', reject);
    });
    expect(got).toBe('hi');
    await new Promise<void>((r) => server.close(() => r()));
  });
});
