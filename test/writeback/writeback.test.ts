import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import { type FakeWhatsapp, startFakeWhatsapp } from '../fakes/whatsapp/fake-whatsapp.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { makeWooOrder } from '../fakes/woocommerce/make-woo-order.ts';
import { PROFILE } from '../invoicing/support.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertShippedOrder, makeOutboxDue, recordTrackingEvent, redeliver } from './support.ts';

// The worker opens channel credentials with the master key from its environment.

let core: CoreHarness;
let shopify: FakeShopify;
let woo: FakeWooCommerce;
let whatsapp: FakeWhatsapp;
let smtp: SMTPServer;
let smtpPort = 0;
const mails: { to: string[]; raw: string }[] = [];

beforeAll(async () => {
  core = await startCore();
  shopify = await startFakeShopify({ shopDomain: 'writeback-test.myshopify.com', accessToken: 'shpat_test' });
  woo = await startFakeWooCommerce({ consumerKey: 'ck_good', consumerSecret: 'cs_good' });
  whatsapp = await startFakeWhatsapp({
    phoneNumberId: '109876543210',
    accessToken: 'wa-token',
    templates: {
      order_shipped: { languages: ['ro'], bodyParams: 4 },
      out_for_delivery: { languages: ['ro'], bodyParams: 3 },
      order_delivered: { languages: ['ro'], bodyParams: 2 },
    },
  });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as { port: number }).port;
});
afterAll(async () => {
  await Promise.all([shopify.close(), woo.close(), whatsapp.close(), new Promise<void>((r) => smtp.close(() => r()))]);
});

/** A tenant whose Shopify and WooCommerce channels point at the fake stores (WooCommerce with the given key). */
async function tenantWithStores(wooKey = 'ck_good'): Promise<TenantFixture> {
  const t = await core.createTenant();
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.shopify.channelId, {
    apiKey: t.shopify.apiKey,
    apiSecret: t.shopify.apiSecret,
    accessToken: 'shpat_test',
    adminBaseUrl: shopify.url,
  });
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.woo.channelId, { consumerKey: wooKey, consumerSecret: 'cs_good', adminBaseUrl: woo.url });
  return t;
}

async function setNotifications(channelId: string, n: unknown) {
  await core.sql`update channels set notifications = ${core.sql.json(n as never)} where id = ${channelId}`;
}

async function syncLog(tenantId: string, topic: string) {
  return await core.sql<{ outcome: string; error: string | null; details: Record<string, unknown> | null }[]>`
    select outcome, error, details from sync_log where tenant_id = ${tenantId} and direction = 'outbound' and kind = 'writeback' and topic = ${topic} order by id`;
}

async function outboxRows(tenantId: string, kind: string) {
  return await core.sql<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from outbox where tenant_id = ${tenantId} and kind = ${kind} order by id`;
}

const SHOPIFY_LINES = [
  { sku: 'A-1', quantity: 2, externalLineId: '7001' },
  { sku: 'A-2', quantity: 1, externalLineId: '7002' },
  { sku: 'A-3', quantity: 1, externalLineId: '7003' },
];

function shopifyOrderWithFulfillmentOrder(externalOrderId: string) {
  const orderGid = `gid://shopify/Order/${externalOrderId}`;
  const [fo] = shopify.setFulfillmentOrders(orderGid, [
    { lines: SHOPIFY_LINES.map((l) => ({ lineItemId: `gid://shopify/LineItem/${l.externalLineId}`, quantity: l.quantity, sku: l.sku })) },
  ]);
  return { orderGid, fo: fo! };
}

describe('Shopify write-back', () => {
  let t: TenantFixture;
  beforeAll(async () => {
    t = await tenantWithStores();
  });

  it('creates one fulfillment with only the packing list’s lines, the AWB as tracking and notifyCustomer on by default', async () => {
    const { orderGid, fo } = shopifyOrderWithFulfillmentOrder('6100000000001');
    const s = await insertShippedOrder(core.sql, t, {
      channelId: t.shopify.channelId,
      externalOrderId: '6100000000001',
      lines: SHOPIFY_LINES,
      // Partial parcel: both units of A-1 and the A-3; A-2 stays for a second parcel.
      packed: [
        { line: 0, quantity: 2 },
        { line: 2, quantity: 1 },
      ],
    });
    await core.drainOutbox();

    const made = shopify.fulfillments.get(orderGid) ?? [];
    expect(made).toHaveLength(1);
    expect(made[0]!.trackingInfo).toEqual([{ company: 'Sameday', number: s.awb, url: s.trackingUrl }]);
    expect(made[0]!.notifyCustomer).toBe(true);
    expect(made[0]!.lineItems.map((l) => [l.lineItemId, l.quantity])).toEqual([
      ['gid://shopify/LineItem/7001', 2],
      ['gid://shopify/LineItem/7003', 1],
    ]);
    expect(fo.status).toBe('IN_PROGRESS');
    expect(fo.lineItems.map((l) => l.remainingQuantity)).toEqual([0, 1, 0]);
    expect((await syncLog(t.tenantId, 'fulfillment.create')).at(-1)).toMatchObject({ outcome: 'ok', details: { outcome: 'created', awb: s.awb } });
    expect(await outboxRows(t.tenantId, 'writeback.shopify.fulfillment')).toEqual([{ status: 'done', attempts: 1, last_error: null }]);
  });

  it('sends notifyCustomer false when the channel turns Shopify’s notification off', async () => {
    await setNotifications(t.shopify.channelId, { shopify: { notifyCustomer: false } });
    const { orderGid } = shopifyOrderWithFulfillmentOrder('6100000000002');
    await insertShippedOrder(core.sql, t, { channelId: t.shopify.channelId, externalOrderId: '6100000000002', lines: SHOPIFY_LINES });
    await core.drainOutbox();
    await setNotifications(t.shopify.channelId, {});
    const made = shopify.fulfillments.get(orderGid) ?? [];
    expect(made).toHaveLength(1);
    expect(made[0]!.notifyCustomer).toBe(false);
    expect(made[0]!.lineItems).toHaveLength(3);
  });

  it('retries through GraphQL THROTTLED answers and creates the fulfillment once', async () => {
    const { orderGid } = shopifyOrderWithFulfillmentOrder('6100000000003');
    const s = await insertShippedOrder(core.sql, t, { channelId: t.shopify.channelId, externalOrderId: '6100000000003', lines: SHOPIFY_LINES });
    const before = shopify.requests.length;
    shopify.failNext('throttle', 2);
    await core.drainOutbox();
    const throttledAnswers = shopify.requests.slice(before).length;
    expect(throttledAnswers).toBeGreaterThanOrEqual(4); // 2 refused + state query + create
    const made = shopify.fulfillments.get(orderGid) ?? [];
    expect(made.map((f) => f.trackingInfo[0]!.number)).toEqual([s.awb]);
  });

  it('writes in_transit, out_for_delivery and delivered as fulfillment events; created and redelivered items add nothing', async () => {
    const { orderGid } = shopifyOrderWithFulfillmentOrder('6100000000004');
    const s = await insertShippedOrder(core.sql, t, { channelId: t.shopify.channelId, externalOrderId: '6100000000004', lines: SHOPIFY_LINES });
    await core.drainOutbox();
    await recordTrackingEvent(core.sql, t.tenantId, s, 'created', '2026-11-20T08:00:00Z');
    await recordTrackingEvent(core.sql, t.tenantId, s, 'in_transit', '2026-11-20T09:00:00Z');
    await recordTrackingEvent(core.sql, t.tenantId, s, 'out_for_delivery', '2026-11-21T07:30:00Z');
    await recordTrackingEvent(core.sql, t.tenantId, s, 'delivered', '2026-11-21T12:15:00Z', { orderStatus: 'delivered' });
    await core.drainOutbox();

    const made = shopify.fulfillments.get(orderGid) ?? [];
    expect(made).toHaveLength(1);
    const events = made[0]!.events.map((e) => [e.status, e.happenedAt]);
    expect(events).toEqual([
      ['IN_TRANSIT', '2026-11-20T09:00:00.000Z'],
      ['OUT_FOR_DELIVERY', '2026-11-21T07:30:00.000Z'],
      ['DELIVERED', '2026-11-21T12:15:00.000Z'],
    ]);

    // A worker that lost its commit runs the same items again: no second fulfillment, no second event.
    expect(await redeliver(core.sql, t.tenantId, ['writeback.shopify.fulfillment', 'writeback.shopify.event'])).toBeGreaterThan(0);
    await core.drainOutbox();
    expect(shopify.fulfillments.get(orderGid)).toHaveLength(1);
    expect(shopify.fulfillments.get(orderGid)![0]!.events).toHaveLength(3);
    expect((await syncLog(t.tenantId, 'fulfillment.create')).at(-1)).toMatchObject({ outcome: 'ok', details: { outcome: 'already_done' } });
  });

  it('maps a failed delivery attempt to ATTEMPTED_DELIVERY and waits (retrying) while the fulfillment does not exist yet', async () => {
    const { orderGid } = shopifyOrderWithFulfillmentOrder('6100000000005');
    const s = await insertShippedOrder(core.sql, t, { channelId: t.shopify.channelId, externalOrderId: '6100000000005', lines: SHOPIFY_LINES });
    // The tracking event overtakes the shipped fan-out (held back here), so Shopify has no fulfillment yet.
    await core.sql`update outbox set next_attempt_at = now() + interval '1 hour' where tenant_id = ${t.tenantId} and kind = 'shipment.created' and status = 'pending'`;
    await recordTrackingEvent(core.sql, t.tenantId, s, 'failed_attempt', '2026-11-22T10:00:00Z');
    await core.drainOutbox();
    const [eventItem] = await core.sql<{ status: string; attempts: number; last_error: string }[]>`
      select status, attempts, last_error from outbox where tenant_id = ${t.tenantId} and kind = 'writeback.shopify.event' and payload->>'shipmentId' = ${s.shipmentId}`;
    expect(eventItem).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('has no fulfillment with AWB') });
    expect((await syncLog(t.tenantId, 'fulfillment.event')).at(-1)).toMatchObject({ outcome: 'error' });

    await makeOutboxDue(core.sql);
    await core.drainOutbox(); // fan-out → fulfillment created
    await makeOutboxDue(core.sql);
    await core.drainOutbox(); // the event's second attempt finds it
    expect(shopify.fulfillments.get(orderGid)![0]!.events.map((e) => e.status)).toEqual(['ATTEMPTED_DELIVERY']);
  });

  it('stalls at once, naming the cause, when Shopify has nothing open to fulfil (fulfillment order on hold)', async () => {
    const orderGid = 'gid://shopify/Order/6100000000006';
    shopify.setFulfillmentOrders(orderGid, [
      { status: 'ON_HOLD', lines: SHOPIFY_LINES.map((l) => ({ lineItemId: `gid://shopify/LineItem/${l.externalLineId}`, quantity: l.quantity })) },
    ]);
    const s = await insertShippedOrder(core.sql, t, { channelId: t.shopify.channelId, externalOrderId: '6100000000006', lines: SHOPIFY_LINES });
    await core.drainOutbox();
    expect(shopify.fulfillments.get(orderGid)).toBeUndefined();
    const [stall] = await core.sql<{ message: string }[]>`
      select message from stalls where tenant_id = ${t.tenantId} and kind = 'outbox.writeback.shopify.fulfillment' and resolved_at is null`;
    expect(stall!.message).toContain('tracking write-back to Shopify failing');
    expect(stall!.message).toContain('nothing left to fulfil');
    expect(s.awb).toBeTruthy();
  });
});

describe('WooCommerce write-back', () => {
  let t: TenantFixture;
  beforeAll(async () => {
    t = await tenantWithStores();
  });

  it('writes the tracking meta, a customer note with AWB and link, keeps processing; delivered completes the order; redelivery adds nothing', async () => {
    const order = woo.upsertOrder(makeWooOrder({ status: 'processing', meta_data: [{ id: 1, key: '_billing_vat', value: 'RO1' }] }));
    const s = await insertShippedOrder(core.sql, t, {
      channelId: t.woo.channelId,
      externalOrderId: String(order.id),
      courier: 'cargus',
      lines: [{ sku: 'A-1', quantity: 1, externalLineId: '311' }],
    });
    await core.drainOutbox();

    const stored = woo.orders.get(order.id)!;
    expect(stored.status).toBe('processing');
    const tracking = stored.meta_data.find((m) => m.key === '_wc_shipment_tracking_items');
    expect(tracking?.value).toEqual([
      {
        tracking_provider: '',
        custom_tracking_provider: 'Cargus',
        custom_tracking_link: s.trackingUrl,
        tracking_number: s.awb,
        date_shipped: expect.stringMatching(/^\d{10}$/),
        tracking_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
    ]);
    expect(stored.meta_data.find((m) => m.key === '_billing_vat')?.value).toBe('RO1');
    const customerNotes = (woo.notes.get(order.id) ?? []).filter((n) => n.customer_note);
    expect(customerNotes).toHaveLength(1);
    expect(customerNotes[0]!.note).toContain(s.awb);
    expect(customerNotes[0]!.note).toContain(s.trackingUrl);
    expect((await syncLog(t.tenantId, 'order.shipped')).at(-1)).toMatchObject({ outcome: 'ok', details: { notePosted: true, trackingWritten: true } });

    expect(await redeliver(core.sql, t.tenantId, ['writeback.woocommerce.shipped'])).toBe(1);
    await core.drainOutbox();
    expect((woo.notes.get(order.id) ?? []).filter((n) => n.customer_note)).toHaveLength(1);
    expect(woo.orders.get(order.id)!.meta_data.find((m) => m.key === '_wc_shipment_tracking_items')?.value).toHaveLength(1);

    await recordTrackingEvent(core.sql, t.tenantId, s, 'in_transit', '2026-11-20T09:00:00Z');
    await core.drainOutbox();
    expect(woo.orders.get(order.id)!.status).toBe('processing');
    await recordTrackingEvent(core.sql, t.tenantId, s, 'delivered', '2026-11-21T12:00:00Z', { orderStatus: 'delivered' });
    await core.drainOutbox();
    expect(woo.orders.get(order.id)!.status).toBe('completed');
    expect((await syncLog(t.tenantId, 'order.status')).at(-1)).toMatchObject({ outcome: 'ok', details: { from: 'processing', to: 'completed' } });
  });

  it('follows the channel’s status_map_out (shipping → on-hold here) and leaves a completed order alone', async () => {
    await core.sql`update channels set status_map_out = ${core.sql.json({ shipping: 'wc-on-hold' })} where id = ${t.woo.channelId}`;
    const a = woo.upsertOrder(makeWooOrder({ status: 'processing', meta_data: [] }));
    const b = woo.upsertOrder(makeWooOrder({ status: 'completed', meta_data: [] }));
    for (const o of [a, b]) {
      await insertShippedOrder(core.sql, t, { channelId: t.woo.channelId, externalOrderId: String(o.id), lines: [{ sku: 'A-2', quantity: 1, externalLineId: '9' }] });
    }
    await core.drainOutbox();
    await core.sql`update channels set status_map_out = '{}' where id = ${t.woo.channelId}`;
    expect(woo.orders.get(a.id)!.status).toBe('on-hold');
    expect(woo.orders.get(b.id)!.status).toBe('completed');
  });

  it('on 401 retries with back-off, logs each failure, marks the channel needs_reconnect and stalls naming the cause', async () => {
    const t2 = await tenantWithStores('ck_revoked');
    const order = woo.upsertOrder(makeWooOrder({ status: 'processing', meta_data: [] }));
    await insertShippedOrder(core.sql, t2, { channelId: t2.woo.channelId, externalOrderId: String(order.id), lines: [{ sku: 'A-1', quantity: 1, externalLineId: '1' }] });
    await core.drainOutbox();
    const [first] = await outboxRows(t2.tenantId, 'writeback.woocommerce.shipped');
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    const [channel] = await core.sql<{ status: string; status_reason: string }[]>`select status, status_reason from channels where id = ${t2.woo.channelId}`;
    expect(channel!.status).toBe('needs_reconnect');
    expect(channel!.status_reason).toContain('Consumer key is invalid');

    for (let i = 0; i < 10; i++) {
      const [row] = await outboxRows(t2.tenantId, 'writeback.woocommerce.shipped');
      if (row!.status !== 'pending') break;
      await makeOutboxDue(core.sql);
      await core.drainOutbox();
    }
    expect(await outboxRows(t2.tenantId, 'writeback.woocommerce.shipped')).toEqual([
      { status: 'stalled', attempts: 8, last_error: expect.stringContaining('status write-back to WooCommerce failing') },
    ]);
    // every attempt, the last included, leaves its error row (it survives the rollback of the attempt)
    const errors = await syncLog(t2.tenantId, 'order.shipped');
    expect(errors).toHaveLength(8);
    expect(errors.every((e) => e.outcome === 'error' && e.error!.includes('rejected the API keys'))).toBe(true);
    const [stall] = await core.sql<{ message: string }[]>`select message from stalls where tenant_id = ${t2.tenantId} and resolved_at is null`;
    expect(stall!.message).toMatch(/failed after 8 attempt\(s\): status write-back to WooCommerce failing: WooCommerce store .* rejected the API keys/);
    expect(woo.notes.get(order.id) ?? []).toHaveLength(0);
  });
});

describe('customer messages', () => {
  let t: TenantFixture;
  let manualChannelId: string;
  beforeAll(async () => {
    t = await tenantWithStores();
    const r = await core.api('/api/v1/invoicing/profile', {
      method: 'PUT',
      key: t.apiKey,
      body: JSON.stringify({ ...PROFILE, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailFrom: 'Expedio Demo <livrari@expedio.test>' }),
    });
    expect(r.status).toBe(204);
    const [m] = await core.sql<{ id: string }[]>`insert into channels (tenant_id, kind, name) values (${t.tenantId}, 'manual', 'Phone orders') returning id::text`;
    manualChannelId = m!.id;
    await setNotifications(manualChannelId, {
      email: { shipped: true },
      whatsapp: {
        enabled: true,
        phoneNumberId: '109876543210',
        token: core.deps.box.seal('wa-token'),
        baseUrl: whatsapp.url,
        templates: { shipped: { name: 'order_shipped' }, out_for_delivery: { name: 'out_for_delivery' }, delivered: { name: 'order_delivered' } },
      },
    });
  });

  it('e-mails the customer on shipped with the AWB and tracking link through the real SMTP server', async () => {
    const before = mails.length;
    const s = await insertShippedOrder(core.sql, t, {
      channelId: manualChannelId,
      externalOrderId: 'PH-1001',
      email: 'ana.pop@example.test',
      lines: [{ sku: 'A-1', quantity: 1, externalLineId: 'l1' }],
    });
    await core.drainOutbox();
    const mine = mails.slice(before).filter((m) => m.to.includes('ana.pop@example.test'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.raw).toContain(s.trackingUrl);
    expect(mine[0]!.raw).toContain(s.awb);
    expect(mine[0]!.raw).toContain(`<shipped-${t.tenantId}-${s.shipmentId}@expedio.local>`);
    expect((await syncLog(t.tenantId, 'notify.email.shipped')).at(-1)).toMatchObject({ outcome: 'ok' });
  });

  it('sends WhatsApp templates at shipped, out_for_delivery and delivered only, with the body parameters', async () => {
    const before = whatsapp.messages.length;
    const s = await insertShippedOrder(core.sql, t, {
      channelId: manualChannelId,
      externalOrderId: 'PH-1002',
      lines: [{ sku: 'A-2', quantity: 1, externalLineId: 'l1' }],
    });
    await core.drainOutbox();
    for (const [status, at] of [
      ['picked_up', '2026-11-20T08:00:00Z'],
      ['in_transit', '2026-11-20T09:00:00Z'],
      ['out_for_delivery', '2026-11-21T07:00:00Z'],
      ['delivered', '2026-11-21T11:00:00Z'],
    ] as const) {
      await recordTrackingEvent(core.sql, t.tenantId, s, status, at, status === 'delivered' ? { orderStatus: 'delivered' } : {});
    }
    await core.drainOutbox();
    const sent = whatsapp.messages.slice(before);
    expect(sent.map((m) => [m.template, m.language, m.to])).toEqual([
      ['order_shipped', 'ro', '40722123456'],
      ['out_for_delivery', 'ro', '40722123456'],
      ['order_delivered', 'ro', '40722123456'],
    ]);
    expect(sent[0]!.bodyParameters).toEqual(['Ana Pop', '#1002', s.awb, s.trackingUrl]);
    expect(sent[2]!.bodyParameters).toEqual(['Ana Pop', '#1002']);
  });

  it('retries a WhatsApp 429 later and sends once; channels without WhatsApp send nothing', async () => {
    const before = whatsapp.messages.length;
    whatsapp.failNext('429');
    await insertShippedOrder(core.sql, t, { channelId: manualChannelId, externalOrderId: 'PH-1003', lines: [{ sku: 'A-3', quantity: 1, externalLineId: 'l1' }] });
    // The Shopify channel of this tenant has no WhatsApp settings.
    const { orderGid } = shopifyOrderWithFulfillmentOrder('6100000000099');
    await insertShippedOrder(core.sql, t, { channelId: t.shopify.channelId, externalOrderId: '6100000000099', lines: SHOPIFY_LINES });
    await core.drainOutbox();
    expect(whatsapp.messages.length).toBe(before);
    const [row] = await outboxRows(t.tenantId, 'notify.whatsapp').then((rows) => rows.filter((r) => r.status === 'pending'));
    expect(row).toMatchObject({ attempts: 1, last_error: expect.stringContaining('(#130429) Rate limit hit') });
    await makeOutboxDue(core.sql);
    await core.drainOutbox();
    expect(whatsapp.messages.length).toBe(before + 1);
    expect(shopify.fulfillments.get(orderGid)).toHaveLength(1);
    expect(await core.sql`select 1 from outbox where tenant_id = ${t.tenantId} and kind = 'notify.email.shipped' and payload->>'orderId' in
      (select id::text from orders where tenant_id = ${t.tenantId} and channel_id = ${t.shopify.channelId})`).toHaveLength(0);
  });
});
