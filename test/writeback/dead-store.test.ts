import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { runOutboxDispatcher } from '../../core/src/db/outbox.ts';
import { outboxHandlers } from '../../core/src/flows/outbox-handlers.ts';
import { openOutboxStall } from '../../core/src/stalls/record-stall.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { placeShopifyOrder } from '../support/shop-helpers.ts';
import { insertShippedOrder } from './support.ts';

// A WooCommerce store that accepts the connection and never answers: the worst a store can do to
// a dispatcher, since nothing fails until a timeout.
let dead: Server;
let deadUrl = '';
const sockets = new Set<Socket>();
let core: CoreHarness;
let t: TenantFixture;

beforeAll(async () => {
  dead = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
  deadUrl = `http://127.0.0.1:${(dead.address() as { port: number }).port}`;
  core = await startCore();
  t = await core.createTenant();
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.woo.channelId, { consumerKey: 'ck_dead', consumerSecret: 'cs_dead', adminBaseUrl: deadUrl });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => dead.close(() => r()));
});

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('one dead store delays nobody', () => {
  it("validates another channel's new orders within 5 s while the store's write-backs hang, with their attempts counted and no transaction open during the calls", async () => {
    const lines = [{ sku: 'A-1', quantity: 1, externalLineId: '9001' }];
    for (let i = 0; i < 3; i++) {
      await insertShippedOrder(core.sql, t, { channelId: t.woo.channelId, externalOrderId: `70${i}`, lines, email: null, phone: null });
    }
    const abort = new AbortController();
    const context = { box: core.deps.box, now: core.deps.now };
    const dispatcher = runOutboxDispatcher(core.sql, outboxHandlers, { concurrency: 16, idleMs: 50, signal: abort.signal, context, onStalled: openOutboxStall });
    try {
      // The fan-out has run and the store's two slots are taken by calls that will not come back.
      await until('two write-backs in flight to the dead store', async () => sockets.size >= 2, 15_000);
      const hangSince = Date.now();

      const started = Date.now();
      const orderIds: string[] = [];
      for (let i = 0; i < 5; i++) orderIds.push(await placeShopifyOrder(core, t, [['A-2', 1]]));
      await until(
        'the five Shopify orders validated',
        async () => {
          const rows = await core.sql`select status from orders where tenant_id = ${t.tenantId} and id in ${core.sql(orderIds)}`;
          return rows.length === 5 && rows.every((r) => r.status === 'confirmed');
        },
        5000,
      );
      const validatedMs = Date.now() - started;
      expect(validatedMs).toBeLessThan(5000);
      const validations = await core.sql`select status from outbox where tenant_id = ${t.tenantId} and kind = 'order.validate'`;
      expect(validations.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done']);

      // Still hanging: the store's items are leased, their attempt counted, the third waits its turn.
      const writebacks = await core.sql<{ attempts: number; leased: boolean }[]>`
        select attempts, coalesce(locked_until > now(), false) as leased from outbox
        where tenant_id = ${t.tenantId} and kind = 'writeback.woocommerce.shipped' order by id`;
      expect(writebacks.filter((w) => w.leased).map((w) => w.attempts)).toEqual([1, 1]);
      expect(writebacks.filter((w) => !w.leased).map((w) => w.attempts)).toEqual([0]);
      expect(sockets.size).toBe(2);
      // The calls have hung for over a second; a transaction held across them began before they did.
      // (Short ones, e.g. the outcome of an order's validation, may be idle between statements for a moment.)
      await new Promise((r) => setTimeout(r, Math.max(0, 1200 - (Date.now() - hangSince))));
      const idle = await core.sql`select pid, query from pg_stat_activity where datname = current_database()
        and state like 'idle in transaction%' and xact_start < ${new Date(hangSince)}`;
      expect(idle).toEqual([]);
    } finally {
      // The store drops the connections: the calls fail now instead of at their 10 s timeout.
      for (const s of sockets) s.destroy();
      abort.abort();
      await dispatcher;
    }
    const after = await core.sql<{ status: string; attempts: number; lastError: string | null; later: boolean }[]>`
      select status, attempts, last_error as "lastError", next_attempt_at > now() as later from outbox
      where tenant_id = ${t.tenantId} and kind = 'writeback.woocommerce.shipped' and attempts > 0 order by id`;
    expect(after.length).toBeGreaterThanOrEqual(2);
    for (const w of after) expect(w).toMatchObject({ status: 'pending', attempts: 1, later: true });
    expect(after[0]!.lastError).toContain('failing');
  });
});
