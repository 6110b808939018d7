import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { signShopifyBody } from '../../core/src/channels/index.ts';
import type { Sql } from '../../core/src/db/connect.ts';
import { receiveShopifyWebhook } from '../../core/src/flows/receive-shopify-webhook.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

/*
 * The cost of an intake is its round trips to Postgres (the core, not the database, is the limit).
 * Counted on a connection of our own: a query sent in the same turn of the event loop as the one
 * before rides in the same network write (the driver pipelines), so a round trip is a turn in which
 * at least one query is sent.
 */
let core: CoreHarness;
let t: TenantFixture;
let sql: Sql;
const counts = { statements: 0, trips: 0 };
let turnOpen = false;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ channel: { auto_confirm: true, create_invoice: 'on_paid' } });
  const o = core.sql.options;
  sql = postgres({
    host: o.host[0],
    port: o.port[0],
    database: o.database,
    user: o.user,
    pass: o.pass as never,
    max: 1,
    types: {},
    onnotice: () => {},
    debug: (_c: unknown, q: string) => {
      if (process.env.SHOW_SQL) console.log(turnOpen ? "  +" : "RT", q.replace(/\s+/g, " ").slice(0, 90));
      counts.statements++;
      if (turnOpen) return;
      turnOpen = true;
      counts.trips++;
      setImmediate(() => (turnOpen = false));
    },
  }) as unknown as Sql;
  return () => sql.end({ timeout: 5 });
});

async function deliver(raw: string, webhookId = randomUUID()) {
  const bytes = Buffer.from(raw, 'utf8');
  const headers = new Headers({
    'x-shopify-hmac-sha256': signShopifyBody(bytes, t.shopify.apiSecret),
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': t.shopify.shopDomain,
    'x-shopify-webhook-id': webhookId,
  });
  counts.statements = 0;
  counts.trips = 0;
  const outcome = await receiveShopifyWebhook({ ...core.deps, sql }, headers, bytes);
  return { outcome, ...counts };
}

describe('Shopify order intake round trips', () => {
  it('takes a new order of a new customer in one round trip (one statement), and a redelivery in one', async () => {
    const { raw } = shopifyOrderBody({ lines: [['A-1', 1], ['A-2', 2]], email: `new-${randomUUID()}@example.com` });
    const webhookId = randomUUID();
    await deliver(raw, randomUUID()); // warms the shop cache and the prepared statements: a steady-state intake is counted
    const fresh = shopifyOrderBody({ lines: [['A-1', 1], ['A-2', 2]], email: `new-${randomUUID()}@example.com` });
    // A customer the store knows by an id Expedio has not seen: the new-client path.
    const raw2 = fresh.raw.replace(/gid:\/\/shopify\/Customer\/\d+/g, 'gid://shopify/Customer/990000000001');
    const id = fresh.id;
    expect(raw2).not.toBe(fresh.raw);
    const first = await deliver(raw2, webhookId);
    expect(first.outcome).toMatchObject({ kind: 'accepted', result: { outcome: 'ok', result: 'created', status: 'new' } });
    const [o] = await core.sql`select o.status, o.total::text, o.client_id is not null as has_client, o.channel_content_hash is not null as hashed,
        (select count(*)::int from order_lines l where l.tenant_id = o.tenant_id and l.order_id = o.id) as lines,
        (select count(*)::int from client_addresses a where a.tenant_id = o.tenant_id and a.client_id = o.client_id) as addresses,
        (select count(*)::int from outbox b where b.tenant_id = o.tenant_id and b.payload->>'orderId' = o.id::text) as work
      from orders o where o.tenant_id = ${t.tenantId} and o.external_order_id = ${id}`;
    expect(o).toMatchObject({ status: 'new', has_client: true, hashed: true, lines: 2, work: 2 });
    expect(o!.addresses).toBeGreaterThan(0);
    const [link] = await core.sql`select count(*)::int as n from client_channel_ids where tenant_id = ${t.tenantId} and external_customer_id = '990000000001'`;
    expect(link!.n).toBe(1);
    console.log(`new order, new client: ${first.trips} round trips, ${first.statements} statements`);
    expect(first.trips).toBe(1);

    const again = await deliver(raw2, webhookId);
    expect(again.outcome).toMatchObject({ kind: 'accepted', result: { outcome: 'duplicate' } });
    console.log(`redelivery: ${again.trips} round trips, ${again.statements} statements`);
    expect(again.trips).toBe(1);
  });
});
