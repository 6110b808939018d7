import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { getChannel, mapShopifyWebhookOrder, parseShopifyJson, signShopifyBody } from '../../core/src/channels/index.ts';
import type { Sql, Tx } from '../../core/src/db/connect.ts';
import { intakeArgument } from '../../core/src/flows/intake-in-one-statement.ts';
import { receiveShopifyWebhook } from '../../core/src/flows/receive-shopify-webhook.ts';
import { ingestChannelOrder } from '../../core/src/flows/ingest-channel-order.ts';
import { serializeShopifyJson } from '../fakes/shopify/shopify-order-fixtures.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody, wooOrder } from '../support/orders.ts';
import { mapWooOrder } from '../../core/src/channels/woocommerce/map-woo-order.ts';
import { storeOrderContentHash } from '../../core/src/orders/index.ts';

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
let approving: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  one = await core.createTenant({ channel: { auto_confirm: true, create_invoice: 'on_paid' } });
  ts = await core.createTenant({ channel: { auto_confirm: true, create_invoice: 'on_paid' } });
  approving = await core.createTenant({ channel: { auto_confirm: true, approval_required: true } });
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

const SET = 'select flows_intake_store_orders($1) as r';
const EACH = 'select flows_intake_store_orders_each($1) as r';
const NO_CLIENT = 'client not created: the customer has no e-mail and no name, so no client could be matched or created';

let customers = 0;
/**
 * A new paid store order of a customer of its own (a fresh store customer id and e-mail) unless
 * told: `customerId: null` is a guest order (no customer), `email: null` none anywhere, `named:
 * false` no name and no company anywhere.
 */
function storeOrder(o: { lines?: Array<[string, number]>; id?: string; updatedAt?: string; customerId?: string | null; email?: string | null; named?: boolean } = {}) {
  const email = o.email === undefined ? `c-${randomUUID()}@example.com` : o.email;
  const customerId = o.customerId === undefined ? `66${Date.now() % 1e9}${String(customers++).padStart(4, '0')}` : o.customerId;
  const body = shopifyOrderBody({ lines: o.lines ?? [['A-1', 1]], ...(o.id ? { id: o.id } : {}), ...(o.updatedAt ? { updatedAt: o.updatedAt } : {}), ...(email ? { email } : {}) });
  const x = parseShopifyJson(body.raw) as Record<string, Record<string, unknown> | string | null>;
  if (email === null) {
    x.email = null;
    x.contact_email = null;
  }
  x.customer = customerId === null ? null : { ...(x.customer as Record<string, unknown>), id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}`, email };
  if (o.named === false) {
    if (x.customer) x.customer = { ...x.customer, first_name: null, last_name: null };
    x.billing_address = { ...(x.billing_address as Record<string, unknown>), first_name: null, last_name: null, company: null, name: null };
  }
  return { id: body.id, raw: serializeShopifyJson(x) };
}

/** Webhooks delivered in the same turn (so in one batch) through a pool of their own; its intake statements. */
async function deliverTogether(t: TenantFixture, bodies: Array<{ raw: string; webhookId?: string }>) {
  await deliver(core.sql, t, storeOrder().raw); // the shop cache is warm: all of them reach the intake in the same turn
  const counted = countingPool(4);
  try {
    const answers = (await Promise.all(bodies.map((b) => deliver(counted.sql, t, b.raw, b.webhookId)))) as unknown as Array<{ kind: string; result: Record<string, unknown> }>;
    return { answers, statements: counted.statements.filter(intakeStatement) };
  } finally {
    await counted.sql.end();
  }
}

/** `flows_intake_store_orders` called directly with the elements the core would send for these bodies (two or more: one alone goes to the one-order function). */
async function callSetBased(items: Array<{ t: TenantFixture; raw: string; deliveryId?: string }>) {
  const args = [];
  for (const i of items) {
    const channel = await getChannel(core.sql, i.t.tenantId, i.t.shopify.channelId);
    args.push(intakeArgument(channel, { deliveryId: i.deliveryId ?? randomUUID(), topic: 'orders/create' }, mapShopifyWebhookOrder(parseShopifyJson(i.raw))));
  }
  const [row] = await core.sql<{ r: Array<Record<string, unknown>> }[]>`select flows_intake_store_orders(${core.sql.json(args as never)}) as r`;
  return row!.r;
}

/** The same bodies taken in one after the other by the TypeScript flow, on `ts`'s channel (same settings as `one`'s). */
async function throughTypeScript(raws: string[]) {
  const channel = await getChannel(core.sql, ts.tenantId, ts.shopify.channelId);
  for (const raw of raws) await core.sql.begin((tx) => ingestChannelOrder(tx, channel, mapShopifyWebhookOrder(parseShopifyJson(raw))));
}

/** The clients of these store orders, and the store customer ids linked to them, counted. */
async function clientsOf(t: TenantFixture, externalOrderIds: string[]) {
  const [r] = await core.sql<{ orders: number; clients: number; without: number; links: number }[]>`
    select count(*)::int as orders, count(distinct o.client_id)::int as clients, count(*) filter (where o.client_id is null)::int as without,
      (select count(*)::int from client_channel_ids l where l.tenant_id = ${t.tenantId} and l.client_id in (
        select client_id from orders where tenant_id = ${t.tenantId} and external_order_id = any(${externalOrderIds}))) as links
    from orders o where o.tenant_id = ${t.tenantId} and o.external_order_id = any(${externalOrderIds})`;
  return r!;
}

async function until(what: string, check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not within 5 s: ${what}`);
}

/** Whether the set-based statement (not the loop) waits on a lock in this test's database. */
const setBasedWaits = async () =>
  (await core.sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query = ${SET}`).length > 0;

/**
 * A rival intake's transaction holds `rivalWork`'s rows uncommitted while `bodies` arrive together;
 * it commits once the set-based statement waits on it. The answers and statements of the batch.
 */
async function deliverAgainstRival(t: TenantFixture, rivalWork: (tx: Tx) => Promise<unknown>, bodies: Array<{ raw: string; webhookId?: string }>) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let holding!: () => void;
  const held = new Promise<void>((r) => (holding = r));
  const rival = core.sql.begin(async (tx) => {
    await rivalWork(tx);
    holding();
    await released;
  });
  await held;
  const together = deliverTogether(t, bodies);
  try {
    await until('the set-based statement waits on the rival', setBasedWaits);
  } finally {
    release();
    await rival;
  }
  return together;
}

describe('group commit, set-based (migration 044)', () => {
  it('a batch stores for each order what the TypeScript flow stores, written by one set-based statement', async () => {
    const bodies = [
      storeOrder({ lines: [['A-1', 1], ['A-2', 2]] }),
      storeOrder({ lines: [['A-1', 1], ['NOPE-9', 1]] }),
      storeOrder({ lines: [['A-3', 1], ['', 1]] }),
      (() => {
        const b = storeOrder({ lines: [['A-2', 1]] });
        return { id: b.id, raw: b.raw.replaceAll('"financial_status":"paid"', '"financial_status":"pending"') };
      })(),
      storeOrder({ email: null, customerId: null }),
      storeOrder({ email: null, customerId: null, named: false }),
    ];
    const { answers, statements } = await deliverTogether(one, bodies);
    expect(statements).toEqual([SET]);
    expect(answers.map((a) => a.result.result)).toEqual(bodies.map(() => 'created'));
    expect(answers.map((a) => a.result.status)).toEqual(['new', 'on_hold', 'on_hold', 'new', 'new', 'on_hold']);

    await throughTypeScript(bodies.map((b) => b.raw));
    for (const [i, b] of bodies.entries()) {
      const a = await stored(one, b.id);
      expect(a, `order ${i}`).not.toBeNull();
      expect(a, `order ${i}`).toEqual(await stored(ts, b.id));
      const logs = await core.sql`select outcome, external_id, details from sync_log where tenant_id = ${one.tenantId} and external_id = ${b.id}`;
      expect(logs).toEqual([{ outcome: 'ok', external_id: b.id, details: { result: 'created', orderId: answers[i]!.result.orderId, status: answers[i]!.result.status } }]);
    }
  });

  it("a store order's fees are written by the set statement and by the one-order function as the TypeScript flow writes them", async () => {
    const withFee = (n: number) => ({ ...wooOrder({ lines: [['A-1', 1]] }), fee_lines: [{ id: n, name: 'Taxa ramburs', total: `${n}.00`, total_tax: '0.00' }], total: `${20 + n}.00` });
    const channel = await getChannel(core.sql, one.tenantId, one.woo.channelId);
    const call = async (orders: ReturnType<typeof mapWooOrder>[]) => {
      const args = orders.map((o) => intakeArgument(channel, { deliveryId: randomUUID(), topic: 'order.created' }, o));
      const [row] = await core.sql<{ r: Array<{ outcome: string }> }[]>`select flows_intake_store_orders(${core.sql.json(args as never)}) as r`;
      return row!.r.map((a) => a.outcome);
    };
    const pair = [mapWooOrder(withFee(5)), mapWooOrder(withFee(7))];
    const alone = mapWooOrder(withFee(9));
    expect(await call(pair)).toEqual(['created', 'created']);
    expect(await call([alone])).toEqual(['created']);
    const tsChannel = await getChannel(core.sql, ts.tenantId, ts.woo.channelId);
    const byTypeScript = mapWooOrder({ ...withFee(3) });
    await core.sql.begin((tx) => ingestChannelOrder(tx, tsChannel, byTypeScript));
    const feesOf = async (t: TenantFixture, o: { externalOrderId: string }) =>
      (await core.sql`select fees, channel_content_hash from orders where tenant_id = ${t.tenantId} and external_order_id = ${o.externalOrderId}`)[0];
    for (const [o, amount] of [[pair[0]!, '5.00'], [pair[1]!, '7.00'], [alone, '9.00']] as const) {
      expect(await feesOf(one, o)).toEqual({ fees: [{ name: 'Taxa ramburs', amount, tax: '0.00' }], channel_content_hash: storeOrderContentHash(o) });
    }
    expect(await feesOf(ts, byTypeScript)).toEqual({ fees: [{ name: 'Taxa ramburs', amount: '3.00', tax: '0.00' }], channel_content_hash: storeOrderContentHash(byTypeScript) });
  });

  it('a batch of one is taken in by the same statement (the one-order function inside it)', async () => {
    const b = storeOrder();
    const { answers, statements } = await deliverTogether(one, [b]);
    expect(statements).toEqual([SET]);
    expect(answers[0]).toMatchObject({ result: { outcome: 'ok', result: 'created', status: 'new' } });
    expect((await stored(one, b.id))?.order.status).toBe('new');
  });

  it('one delivery id twice in a batch: the first is taken in, the second answered duplicate', async () => {
    const b = storeOrder();
    const webhookId = randomUUID();
    const { answers, statements } = await deliverTogether(one, [{ raw: b.raw, webhookId }, { raw: b.raw, webhookId }]);
    expect(statements).toEqual([SET]);
    expect(answers.map((a) => a.result)).toMatchObject([{ outcome: 'ok', result: 'created' }, { outcome: 'duplicate' }]);
    expect(await core.sql`select count(*)::int as n from orders where tenant_id = ${one.tenantId} and external_order_id = ${b.id}`).toEqual([{ n: 1 }]);
    expect(await core.sql`select count(*)::int as n from webhook_deliveries where tenant_id = ${one.tenantId} and delivery_id = ${webhookId}`).toEqual([{ n: 1 }]);
    const logs = await core.sql`select outcome, external_id from sync_log where tenant_id = ${one.tenantId} and delivery_id = ${webhookId} order by id`;
    expect(logs).toEqual([{ outcome: 'ok', external_id: b.id }, { outcome: 'duplicate', external_id: null }]);
  });

  it('one store order under two delivery ids in a batch: the first is created, the second answered fallback with nothing written for it', async () => {
    const first = storeOrder();
    const again = storeOrder({ id: first.id, updatedAt: '2026-11-20T11:00:00-05:00' });
    const [d1, d2] = [randomUUID(), randomUUID()];
    const answers = await callSetBased([{ t: one, raw: first.raw, deliveryId: d1 }, { t: one, raw: again.raw, deliveryId: d2 }]);
    expect(answers).toEqual([{ outcome: 'created', orderId: expect.any(String), status: 'new' }, { outcome: 'fallback', why: 'the order is stored already' }]);
    const orders = await core.sql`select external_updated_at from orders where tenant_id = ${one.tenantId} and external_order_id = ${first.id}`;
    expect(orders).toEqual([{ external_updated_at: new Date('2026-11-20T15:00:00Z') }]);
    expect(await core.sql`select delivery_id from webhook_deliveries where tenant_id = ${one.tenantId} and delivery_id in (${d1}, ${d2})`).toEqual([{ delivery_id: d1 }]);
    expect(await core.sql`select delivery_id from sync_log where tenant_id = ${one.tenantId} and delivery_id in (${d1}, ${d2})`).toEqual([{ delivery_id: d1 }]);
  });

  it('a store order stored before, under a new delivery id: answered fallback with nothing written for it, the rest of the batch taken in', async () => {
    const before = storeOrder();
    await callSetBased([{ t: one, raw: before.raw }]);
    const again = storeOrder({ id: before.id, updatedAt: '2026-11-20T11:00:00-05:00' });
    const fresh = storeOrder();
    const d = randomUUID();
    const answers = await callSetBased([{ t: one, raw: again.raw, deliveryId: d }, { t: one, raw: fresh.raw }]);
    expect(answers).toMatchObject([{ outcome: 'fallback', why: 'the order is stored already' }, { outcome: 'created', status: 'new' }]);
    expect(await core.sql`select 1 from webhook_deliveries where tenant_id = ${one.tenantId} and delivery_id = ${d}`).toEqual([]);
    expect(await core.sql`select 1 from sync_log where tenant_id = ${one.tenantId} and delivery_id = ${d}`).toEqual([]);
  });

  it('one store order under two delivery ids in a batch: the TypeScript flow applies the second as an update after the batch', async () => {
    const first = storeOrder();
    const again = storeOrder({ id: first.id, updatedAt: '2026-11-20T11:00:00-05:00' });
    const { answers, statements } = await deliverTogether(one, [{ raw: first.raw }, { raw: again.raw }]);
    expect(statements[0]).toBe(SET);
    expect(statements).not.toContain(EACH);
    expect(answers.map((a) => a.result)).toMatchObject([{ outcome: 'ok', result: 'created' }, { outcome: 'ok', result: 'updated' }]);
    const orders = await core.sql`select external_updated_at from orders where tenant_id = ${one.tenantId} and external_order_id = ${first.id}`;
    expect(orders).toEqual([{ external_updated_at: new Date('2026-11-20T16:00:00Z') }]);
  });

  const sameCustomer: Array<[string, (cid: string, email: string) => [Parameters<typeof storeOrder>[0], Parameters<typeof storeOrder>[0]], number]> = [
    ['the same e-mail and store customer id', (cid, email) => [{ customerId: cid, email }, { customerId: cid, email }], 1],
    ['the same store customer id under another e-mail', (cid, email) => [{ customerId: cid, email }, { customerId: cid, email: `other-${email}` }], 1],
    ['the same e-mail under another store customer id', (cid, email) => [{ customerId: cid, email }, { customerId: `${cid}1`, email }], 2],
    ['the same e-mail, no store customer id', (_cid, email) => [{ customerId: null, email }, { customerId: null, email }], 0],
  ];
  it.each(sameCustomer)('one new customer in two orders of a batch is one client, both orders on it, each store id linked once: %s', async (_name, make, links) => {
    const [x, y] = make(`55${Date.now() % 1e9}${String(customers++).padStart(4, '0')}`, `same-${randomUUID()}@example.com`);
    const bodies = [storeOrder(x), storeOrder(y)];
    const { answers, statements } = await deliverTogether(one, bodies);
    expect(statements).toEqual([SET]);
    expect(answers.map((a) => a.result.result)).toEqual(['created', 'created']);
    await throughTypeScript(bodies.map((b) => b.raw));
    const ids = bodies.map((b) => b.id);
    expect(await clientsOf(one, ids)).toEqual({ orders: 2, clients: 1, without: 0, links });
    expect(await clientsOf(one, ids)).toEqual(await clientsOf(ts, ids));
    for (const b of bodies) expect(await stored(one, b.id)).toEqual(await stored(ts, b.id));
  });

  it('returning customers in a batch are found by their store customer id first, else by e-mail, and linked as in the TypeScript flow', async () => {
    const [cidA, cidB] = [`44${Date.now() % 1e9}${String(customers++).padStart(4, '0')}`, `44${Date.now() % 1e9}${String(customers++).padStart(4, '0')}`];
    const [emailA, emailB, emailC] = ['a', 'b', 'c'].map((x) => `${x}-${randomUUID()}@example.com`) as [string, string, string];
    const seed = [storeOrder({ customerId: cidA, email: emailA }), storeOrder({ customerId: null, email: emailB }), storeOrder({ customerId: null, email: emailC })];
    await deliverTogether(one, seed);
    await throughTypeScript(seed.map((b) => b.raw));
    // A's store id with C's e-mail (the id wins), and B's e-mail under a store id not linked yet.
    const back = [storeOrder({ customerId: cidA, email: emailC }), storeOrder({ customerId: cidB, email: emailB })];
    const { statements } = await deliverTogether(one, back);
    expect(statements).toEqual([SET]);
    await throughTypeScript(back.map((b) => b.raw));
    for (const [i, b] of back.entries()) {
      const ids = [seed[i]!.id, b.id];
      expect(await clientsOf(one, ids), `customer ${i}`).toEqual({ orders: 2, clients: 1, without: 0, links: 1 });
      expect(await clientsOf(one, ids)).toEqual(await clientsOf(ts, ids));
      expect(await stored(one, b.id)).toEqual(await stored(ts, b.id));
    }
  });

  it('customers without e-mail but with a name are a new client each, as in the TypeScript flow', async () => {
    const bodies = [storeOrder({ email: null, customerId: null }), storeOrder({ email: null, customerId: null })];
    const { statements } = await deliverTogether(one, bodies);
    expect(statements).toEqual([SET]);
    await throughTypeScript(bodies.map((b) => b.raw));
    const ids = bodies.map((b) => b.id);
    expect(await clientsOf(one, ids)).toEqual({ orders: 2, clients: 2, without: 0, links: 0 });
    expect(await clientsOf(ts, ids)).toEqual({ orders: 2, clients: 2, without: 0, links: 0 });
  });

  it('a customer with no e-mail and no name: no client, the order held with the reason of today and held in the store', async () => {
    const b = storeOrder({ email: null, customerId: null, named: false });
    const [answer] = await callSetBased([{ t: one, raw: b.raw }, { t: one, raw: storeOrder().raw }]);
    expect(answer).toMatchObject({ outcome: 'created', status: 'on_hold' });
    const [o] = await core.sql`select client_id, status, hold_reason, hold_details from orders where tenant_id = ${one.tenantId} and external_order_id = ${b.id}`;
    expect(o).toEqual({ client_id: null, status: 'on_hold', hold_reason: NO_CLIENT, hold_details: { unknownSkus: [] } });
    await throughTypeScript([b.raw]);
    expect(await stored(one, b.id)).toEqual(await stored(ts, b.id));
  });

  it('unknown SKUs hold the order with the reason and details of today', async () => {
    const b = storeOrder({ lines: [['NOPE-1', 1], ['A-1', 1], ['', 2], ['NOPE-2', 1]] });
    const [answer] = await callSetBased([{ t: one, raw: b.raw }, { t: one, raw: storeOrder().raw }]);
    expect(answer).toMatchObject({ outcome: 'created', status: 'on_hold' });
    const [o] = await core.sql<{ hold_reason: string; hold_details: { unknownSkus: string[] } }[]>`select hold_reason, hold_details from orders where tenant_id = ${one.tenantId} and external_order_id = ${b.id}`;
    expect(o!.hold_reason).toMatch(/^unknown SKU NOPE-1, \(no SKU: .+\), NOPE-2$/);
    expect(o!.hold_details.unknownSkus).toEqual(['NOPE-1', expect.stringMatching(/^\(no SKU: .+\)$/), 'NOPE-2']);
    await throughTypeScript([b.raw]);
    expect(await stored(one, b.id)).toEqual(await stored(ts, b.id));
  });

  it("the outbox keys and sync log rows are the one-order loop's: the store state keyed by the statement's transaction, the validation by the store's update time, the invoice on payment", async () => {
    const held = [storeOrder({ lines: [['NOPE-3', 1]] }), storeOrder({ lines: [['NOPE-4', 1]] })];
    const good = storeOrder();
    const seenBefore = storeOrder();
    const dSeen = randomUUID();
    await callSetBased([{ t: one, raw: seenBefore.raw, deliveryId: dSeen }]);
    const deliveries = [randomUUID(), randomUUID(), randomUUID()];
    const answers = await callSetBased([
      { t: one, raw: held[0]!.raw, deliveryId: deliveries[0] },
      { t: one, raw: seenBefore.raw, deliveryId: dSeen },
      { t: one, raw: good.raw, deliveryId: deliveries[1] },
      { t: one, raw: held[1]!.raw, deliveryId: deliveries[2] },
    ]);
    expect(answers.map((a) => a.outcome)).toEqual(['created', 'duplicate', 'created', 'created']);
    const [h0, , g, h1] = answers.map((a) => String(a.orderId));
    const keys = await core.sql<{ kind: string; key: string }[]>`select kind, idempotency_key as key from outbox
      where tenant_id = ${one.tenantId} and payload->>'orderId' in (${h0!}, ${g!}, ${h1!}) order by id`;
    const txid = /:on_hold:(\d+)$/.exec(keys[0]!.key)?.[1];
    expect(txid).toBeDefined();
    // A held order is not validated, and its invoice is queued on payment all the same (as the loop does).
    expect(keys).toEqual([
      { kind: 'order.store_state', key: `order.store_state:${h0}:on_hold:${txid}` },
      { kind: 'invoice.issue', key: `invoice.issue:${h0}:on_paid` },
      { kind: 'order.validate', key: `order.validate:${g}:2026-11-20T15:00:00.000Z` },
      { kind: 'invoice.issue', key: `invoice.issue:${g}:on_paid` },
      { kind: 'order.store_state', key: `order.store_state:${h1}:on_hold:${txid}` },
      { kind: 'invoice.issue', key: `invoice.issue:${h1}:on_paid` },
    ]);
    const logs = await core.sql`select delivery_id, topic, direction, kind, outcome, external_id, error, details from sync_log
      where tenant_id = ${one.tenantId} and delivery_id in (${deliveries[0]!}, ${dSeen}, ${deliveries[1]!}, ${deliveries[2]!}) order by id`;
    const ok = (d: string, externalId: string, orderId: string, status: string) => ({
      delivery_id: d, topic: 'orders/create', direction: 'inbound', kind: 'webhook', outcome: 'ok', external_id: externalId, error: null, details: { result: 'created', orderId, status },
    });
    expect(logs).toEqual([
      ok(dSeen, seenBefore.id, expect.any(String) as never, 'new'),
      ok(deliveries[0]!, held[0]!.id, h0!, 'on_hold'),
      { delivery_id: dSeen, topic: 'orders/create', direction: 'inbound', kind: 'webhook', outcome: 'duplicate', external_id: null, error: null, details: null },
      ok(deliveries[1]!, good.id, g!, 'new'),
      ok(deliveries[2]!, held[1]!.id, h1!, 'on_hold'),
    ]);
  });

  it("a batch mixing tenants is decided under each element's channel: created where the channel allows, fallback with nothing written where it asks for approval", async () => {
    const [a, b, c] = [storeOrder(), storeOrder(), storeOrder()];
    const d = randomUUID();
    const answers = await callSetBased([{ t: one, raw: a.raw }, { t: approving, raw: b.raw, deliveryId: d }, { t: ts, raw: c.raw }]);
    expect(answers).toMatchObject([{ outcome: 'created' }, { outcome: 'fallback', why: 'the channel asks for approval' }, { outcome: 'created' }]);
    expect((await stored(one, a.id))?.order.status).toBe('new');
    expect((await stored(ts, c.id))?.order.status).toBe('new');
    expect(await stored(approving, b.id)).toBeNull();
    expect(await core.sql`select 1 from webhook_deliveries where tenant_id = ${approving.tenantId} and delivery_id = ${d}`).toEqual([]);
  });

  it('a store order another intake commits while the batch runs: the batch is written by the one-order loop, the twin taken in once', async () => {
    const twin = storeOrder();
    const other = storeOrder();
    const channel = await getChannel(core.sql, one.tenantId, one.shopify.channelId);
    // The rival intake's rows (the twin's order and its new client) stay uncommitted until released.
    const { answers, statements } = await deliverAgainstRival(one, (tx) => ingestChannelOrder(tx, channel, mapShopifyWebhookOrder(parseShopifyJson(twin.raw))), [
      { raw: twin.raw },
      { raw: other.raw },
    ]);
    expect(statements.slice(0, 2)).toEqual([SET, EACH]);
    expect(answers.map((a) => a.kind)).toEqual(['accepted', 'accepted']);
    expect(answers[1]!.result).toMatchObject({ outcome: 'ok', result: 'created' });
    const rows = await core.sql`select external_order_id, count(*)::int as n,
        (select count(*)::int from outbox x where x.tenant_id = o.tenant_id and x.kind = 'order.validate' and x.payload->>'orderId' = min(o.id)::text) as validations
      from orders o where o.tenant_id = ${one.tenantId} and o.external_order_id in (${twin.id}, ${other.id}) group by o.tenant_id, external_order_id order by external_order_id`;
    expect(rows).toEqual([twin.id, other.id].sort().map((id) => ({ external_order_id: id, n: 1, validations: 1 })));
  });

  it('a delivery another intake records while the batch runs: the batch is written by the one-order loop, which answers it duplicate', async () => {
    const b = storeOrder();
    const other = storeOrder();
    const webhookId = randomUUID();
    const { answers, statements } = await deliverAgainstRival(
      one,
      (tx) => tx`insert into webhook_deliveries (tenant_id, channel_id, delivery_id, topic) values (${one.tenantId}, ${one.shopify.channelId}, ${webhookId}, 'orders/create')`,
      [{ raw: b.raw, webhookId }, { raw: other.raw }],
    );
    expect(statements).toEqual([SET, EACH]);
    expect(answers.map((a) => a.result)).toMatchObject([{ outcome: 'duplicate' }, { outcome: 'ok', result: 'created' }]);
    expect(await stored(one, b.id)).toBeNull();
    expect((await stored(one, other.id))?.order.status).toBe('new');
    const logs = await core.sql`select outcome from sync_log where tenant_id = ${one.tenantId} and delivery_id = ${webhookId}`;
    expect(logs).toEqual([{ outcome: 'duplicate' }]);
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
