import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installOutboundGuard } from './outbound-guard.ts';

let server: Server;
let port: number;
let hits = 0;
const before = process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('inside');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  installOutboundGuard();
});
afterAll(async () => {
  if (before === undefined) delete process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS;
  else process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = before;
  await new Promise((r) => server.close(r));
});

/** The cause chain's messages of a failed fetch. */
async function refusal(url: string): Promise<string> {
  try {
    await fetch(url);
  } catch (e) {
    let m = '';
    for (let x: unknown = e; x; x = (x as { cause?: unknown }).cause) m += ` ${(x as Error).message}`;
    return m;
  }
  return 'answered';
}

describe('the outbound guard (fetch connects to public addresses only)', () => {
  it('refuses at connect a name that resolves to a private address (as a name re-pointed after it was saved), sending nothing', async () => {
    process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = '0';
    const before = hits;
    expect(await refusal(`http://localhost:${port}/latest/meta-data`)).toMatch(/localhost resolves to (127\.0\.0\.1|::1), which is not a public address/);
    expect(hits).toBe(before);
  });

  it('refuses a private IP literal the same way', async () => {
    process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = '0';
    const before = hits;
    expect(await refusal(`http://127.0.0.1:${port}/`)).toContain('127.0.0.1 resolves to 127.0.0.1, which is not a public address');
    expect(hits).toBe(before);
  });

  it('lets the same calls through where private hosts are allowed (development, test, EXPEDIO_ALLOW_PRIVATE_HOSTS=1), read at each connect', async () => {
    process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = '1';
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('inside');
    expect(await (await fetch(`http://localhost:${port}/`, { headers: { connection: 'close' } })).text()).toBe('inside');
  });
});
