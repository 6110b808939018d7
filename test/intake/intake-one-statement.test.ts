import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { getChannel, mapShopifyWebhookOrder, parseShopifyJson, signShopifyBody } from '../../core/src/channels/index.ts';
import type { Sql } from '../../core/src/db/connect.ts';
import { receiveShopifyWebhook } from '../../core/src/flows/receive-shopify-webhook.ts';
import { ingestChannelOrder } from '../../core/src/flows/ingest-channel-order.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

const TXID_IN_KEY = '^(order[.]store_state:#:[a-z_]+):[0-9]+$';

/*
 * The intake in one statement (migration 033, flows/intake-in-one-statement.ts) against the
 * TypeScript flow it replaces for new orders: the same order taken in both ways stores the same
 * rows; webhooks that arrive together share one statement (one commit); and a bad order in that
 * statement does not take the good ones down with it.
 */
let core: CoreHarness;
let one: TenantFixture;
let ts: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  one = await core.createTenant({ channel: { auto_confirm: true, create_invoice: 'on_paid' } });
  ts = await core.createTenant({ channel: { auto_confirm: true, create_invoice: 'on_paid' } });
});

function headersFor(t: TenantFixture, raw: string, webhookId: string = randomUUID()) {
  return new Headers({
    'x-shopify-hmac-sha256': signShopifyBody(Buffer.from(raw, 'utf8'), t.shopify.apiSecret),
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': t.shopify.shopDomain,
    'x-shopify-webhook-id': webhookId,
  });
}

const deliver = (sql: Sql, t: TenantFixture, raw: string, webhookId?: string) =>
  receiveShopifyWebhook({ ...core.deps, sql }, headersFor(t, raw, webhookId), Buffer.from(raw, 'utf8'));

/** Everything an intake writes for one store order, without the ids and times that differ between tenants. */
async function stored(t: TenantFixture, externalOrderId: string) {
  const [o] = await core.sql`select * from orders where tenant_id = ${t.tenantId} and external_order_id = ${externalOrderId}`;
  if (!o) return null;
  const { id, tenant_id, channel_id, client_id, created_at, updated_at, ...order } = o;
  const lines = await core.sql`select line_no, external_line_id, product_id is not null as matched, sku, name, quantity, unit_price::text, list_price::text,
      discount::text, total::text, tax::text, vat_rate::text, quantity_reserved from order_lines where tenant_id = ${t.tenantId} and order_id = ${id} order by line_no`;
  const client = client_id
    ? (await core.sql`select email, first_name, last_name, phone, company, vat_number, kind from clients where tenant_id = ${t.tenantId} and id = ${client_id}`)[0]
    : null;
  const addresses = client_id
    ? await core.sql`select kind, address, fingerprint from client_addresses where tenant_id = ${t.tenantId} and client_id = ${client_id} order by kind, fingerprint`
    : [];
  const links = client_id ? await core.sql`select external_customer_id from client_channel_ids where tenant_id = ${t.tenantId} and client_id = ${client_id}` : [];
  // order.store_state keys end in the transaction's id, which differs between the two intakes by design.
  const work = await core.sql`select kind, payload - 'orderId' as payload, regexp_replace(replace(idempotency_key, ${`:${id}:`}, ':#:'), ${TXID_IN_KEY}, ${'\\1:<txid>'}) as key, max_attempts, target, in_flight_limit, sequence_key
      from outbox where tenant_id = ${t.tenantId} and payload->>'orderId' = ${String(id)} order by kind`;
  // The order's timeline starts with the status it arrived in, as orders/move-order.ts writes it.
  const statusLog = await core.sql`select status, reason from order_status_log where tenant_id = ${t.tenantId} and order_id = ${id} order by order_status_log.id`;
  return { order, lines, client, addresses, links, work, statusLog };
}

describe('intake in one statement', () => {
  const cases: Array<[string, (raw: string) => string]> = [
    ['a new customer with a store id, every SKU known', (raw) => raw.replace(/gid:\/\/shopify\/Customer\/\d+/g, `gid://shopify/Customer/99${Date.now() % 1e9}`)],
    ['an unknown SKU puts the order on hold', (raw) => raw.replace('"sku":"A-2"', '"sku":"NOPE-9"')],
    ['a line without a SKU', (raw) => raw.replace('"sku":"A-2"', '"sku":null')],
    ['an unpaid order queues no invoice', (raw) => raw.replaceAll('"financial_status":"paid"', '"financial_status":"pending"')],
  ];
  it.each(cases)('stores what the TypeScript flow stores: %s', async (_name, edit) => {
    const body = shopifyOrderBody({ lines: [['A-1', 1], ['A-2', 2]], email: `same-${randomUUID()}@example.com` });
    const raw = edit(body.raw);
    expect(raw).not.toBe(body.raw);

    const answer = await deliver(core.sql, one, raw);
    expect(answer).toMatchObject({ kind: 'accepted', result: { outcome: 'ok', result: 'created' } });
    const [log] = await core.sql`select outcome, external_id, details from sync_log where tenant_id = ${one.tenantId} and external_id = ${body.id}`;
    expect(log).toMatchObject({ outcome: 'ok', external_id: body.id, details: { result: 'created', status: (answer as unknown as { result: { status: string } }).result.status } });

    // The TypeScript flow, for the other tenant's channel (same settings).
    const channel = await getChannel(core.sql, ts.tenantId, ts.shopify.channelId);
    await core.sql.begin((tx) => ingestChannelOrder(tx, channel, mapShopifyWebhookOrder(parseShopifyJson(raw))));

    const a = await stored(one, body.id);
    const b = await stored(ts, body.id);
    expect(a).not.toBeNull();
    expect(a).toEqual(b);
  });

  it('two webhooks that arrive together are written by one statement, each answered after it', async () => {
    await deliver(core.sql, one, shopifyOrderBody({ lines: [['A-1', 1]] }).raw); // the shop cache is warm: both reach the intake in the same turn
    const counted = countingPool(4);
    const x = shopifyOrderBody({ lines: [['A-1', 1]], email: `x-${randomUUID()}@example.com` });
    const y = shopifyOrderBody({ lines: [['A-3', 2]], email: `y-${randomUUID()}@example.com` });
    const answers = await Promise.all([deliver(counted.sql, one, x.raw), deliver(counted.sql, one, y.raw)]);
    expect(answers).toMatchObject([{ result: { result: 'created' } }, { result: { result: 'created' } }]);
    // Besides the driver's type catalogue and the channel's last-webhook time (once per 30 s), one statement.
    expect(counted.statements.filter(intakeStatement)).toEqual(['select flows_intake_store_orders($1) as r']);
    expect((await stored(one, x.id))?.order.status).toBe('new');
    expect((await stored(one, y.id))?.order.status).toBe('new');
    await counted.sql.end();
  });

  it('a bad order in a shared statement fails alone: the good one is stored, the bad one is retried alone and refused with a 5xx', async () => {
    const counted = countingPool(4);
    const good = shopifyOrderBody({ lines: [['A-1', 1]], email: `good-${randomUUID()}@example.com` });
    // A quantity no order line can hold (integer column): only the database notices.
    const bad = shopifyOrderBody({ lines: [['A-2', 1]], email: `bad-${randomUUID()}@example.com` });
    const badRaw = bad.raw.replace(/"quantity":1\b/g, '"quantity":3000000000').replace(/"current_quantity":1\b/g, '"current_quantity":3000000000').replace(/"fulfillable_quantity":1\b/g, '"fulfillable_quantity":3000000000').replaceAll('"price":"10.00"', '"price":"0.00"');
    expect(badRaw).toContain('3000000000');
    const badId = randomUUID();
    const [okAnswer, badAnswer] = await Promise.allSettled([deliver(counted.sql, one, good.raw), deliver(counted.sql, one, badRaw, badId)]);
    expect(okAnswer).toMatchObject({ status: 'fulfilled', value: { result: { result: 'created' } } });
    expect(badAnswer.status).toBe('rejected');
    expect(String((badAnswer as PromiseRejectedResult).reason)).toMatch(/out of range/);
    // The shared statement first, then the bad order alone through the TypeScript flow.
    const sent = counted.statements.filter(intakeStatement);
    expect(sent[0]).toBe('select flows_intake_store_orders($1) as r');
    expect(sent.filter((q) => q.startsWith('insert into order_lines'))).toHaveLength(1);
    expect((await stored(one, good.id))?.order.status).toBe('new');
    expect(await stored(one, bad.id)).toBeNull();
    // Not claimed: Shopify's retry of the 5xx is taken in, not dropped as a duplicate.
    expect(await core.sql`select 1 from webhook_deliveries where tenant_id = ${one.tenantId} and delivery_id = ${badId}`).toHaveLength(0);
    const [log] = await core.sql`select outcome, error from sync_log where tenant_id = ${one.tenantId} and delivery_id = ${badId}`;
    expect(log).toMatchObject({ outcome: 'error' });
    await counted.sql.end();
  });
});

const intakeStatement = (q: string) => !q.includes('pg_catalog') && !q.startsWith('update channels set last_webhook_at');

/** A pool of its own that records each statement it sends. */
function countingPool(max: number) {
  const o = core.sql.options;
  const statements: string[] = [];
  const sql = postgres({
    host: o.host[0],
    port: o.port[0],
    database: o.database,
    user: o.user,
    pass: o.pass as never,
    max,
    types: {},
    onnotice: () => {},
    debug: (_c: unknown, q: string) => statements.push(q.replace(/\s+/g, ' ').trim()),
  }) as unknown as Sql;
  return { sql, statements };
}
