import { beforeAll, describe, expect, it } from 'vitest';
import { readWooFixture } from '../fakes/woocommerce/make-woo-order.ts';
import { sendWooPing, sendWooWebhook } from '../fakes/woocommerce/send-woo-webhook.ts';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { wooOrder } from '../support/orders.ts';

let core: CoreHarness;
let t: TenantFixture;
const url = () => `${core.url}/webhooks/woocommerce/${t.woo.channelId}`;
const send = (topic: 'order.created' | 'order.updated' | 'order.deleted', body: unknown, extra: Record<string, unknown> = {}) =>
  sendWooWebhook({ url: url(), topic, body, secret: t.woo.webhookSecret, webhookId: 42, ...extra });
const orders = async (externalId: string | number) =>
  core.sql`select id::text, status, payment_status, hold_reason from orders where tenant_id = ${t.tenantId} and channel_id = ${t.woo.channelId} and external_order_id = ${String(externalId)}`;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
});

describe('WooCommerce webhooks', () => {
  it('answers the unsigned form-encoded ping with 200', async () => {
    const res = await sendWooPing({ url: url(), webhookId: 42 });
    expect(res.status).toBe(200);
  });

  it('stores the real sample order (its secret has & < " in it, entity-decoded as WooCommerce does)', async () => {
    const sample = readWooFixture<Record<string, unknown>>('woocommerce-order.json');
    const res = await send('order.created', sample);
    expect(res.status).toBe(200);
    const [o] = await orders(sample.id as number);
    expect(o).toBeDefined();
    // the sample has a line without SKU: held with that reason, not guessed
    expect(o!.status).toBe('on_hold');
    expect(o!.hold_reason).toContain('no SKU');
  });

  it('refuses a forged signature and a missing one with 401, storing nothing', async () => {
    const order = wooOrder({ lines: [['A-1', 1]] });
    const forged = await send('order.created', order, { signature: 'AAAA' });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created' }, body: JSON.stringify(order) });
    expect(unsigned.status).toBe(401);
    expect(await orders(order.id)).toHaveLength(0);
  });

  it('answers 404 naming the channel for an unknown channel id, and logs it', async () => {
    const res = await sendWooWebhook({ url: `${core.url}/webhooks/woocommerce/999999`, topic: 'order.created', body: wooOrder({}), secret: 'x', webhookId: 1 });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.details[0]).toEqual({ path: 'channelId', reason: 'unknown channel' });
  });

  it('stores one order when the same delivery arrives five times at once', async () => {
    const order = wooOrder({ lines: [['A-2', 1]] });
    const res = await Promise.all(Array.from({ length: 5 }, () => send('order.created', order, { deliveryId: `d-${order.id}` })));
    expect(res.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await orders(order.id)).toHaveLength(1);
  });

  it('confirms a processing order through the outbox, and ignores an older date_modified_gmt', async () => {
    const order = wooOrder({ lines: [['A-3', 2]], modified: new Date('2026-11-21T10:00:00Z') });
    await send('order.created', order);
    await core.drainOutbox();
    expect((await orders(order.id))[0]!.status).toBe('confirmed');
    const older = { ...wooOrder({ id: order.id, lines: [['A-3', 2]], status: 'cancelled', modified: new Date('2026-11-21T09:00:00Z') }) };
    const res = await send('order.updated', older);
    expect(JSON.parse(res.body).outcome).toBe('stale');
    expect((await orders(order.id))[0]!.status).toBe('confirmed');
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-3']!)).reserved).toBe(2);
  });

  it('keeps a pending (unpaid) order as a draft and validates it once WooCommerce says processing', async () => {
    const order = wooOrder({ lines: [['A-4', 1]], status: 'pending', modified: new Date('2026-11-21T10:00:00Z') });
    await send('order.created', order);
    await core.drainOutbox();
    expect((await orders(order.id))[0]!.status).toBe('draft');
    await send('order.updated', { ...order, status: 'processing', date_modified_gmt: '2026-11-21T10:05:00' });
    await core.drainOutbox();
    expect((await orders(order.id))[0]!.status).toBe('confirmed');
  });

  it('cancels and releases stock when the order is deleted in WooCommerce', async () => {
    const order = wooOrder({ lines: [['A-5', 1]] });
    await send('order.created', order);
    await core.drainOutbox();
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).reserved).toBe(1);
    const res = await send('order.deleted', { id: order.id });
    expect(res.status).toBe(200);
    expect((await orders(order.id))[0]!.status).toBe('cancelled');
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).reserved).toBe(0);
  });

  it('ignores checkout-draft orders', async () => {
    const order = wooOrder({ status: 'checkout-draft' });
    const res = await send('order.created', order);
    expect(JSON.parse(res.body).outcome).toBe('ignored');
    expect(await orders(order.id)).toHaveLength(0);
  });

  it('answers 400 naming the field for an order with a malformed line, logging the error', async () => {
    const order = wooOrder({ lines: [['A-1', 1]] });
    (order.line_items as Array<Record<string, unknown>>)[0]!.subtotal = 'ten';
    const res = await send('order.created', order);
    expect(res.status).toBe(400);
    expect(JSON.stringify(JSON.parse(res.body).error.details)).toContain('line_items.0.subtotal');
    expect(await orders(order.id)).toHaveLength(0);
    const [log] = await core.sql`select outcome from sync_log where tenant_id = ${t.tenantId} order by id desc limit 1`;
    expect(log!.outcome).toBe('error');
  });

  it('answers 400 for a signed body that is not JSON', async () => {
    const res = await send('order.created', 'not json at all');
    expect(res.status).toBe(400);
  });
  it('stores the fees of fee_lines with the order (a cash-on-delivery fee), replaces them on an update, and refuses a malformed fee naming it', async () => {
    const fees = async (id: number) => (await core.sql`select fees from orders where tenant_id = ${t.tenantId} and external_order_id = ${String(id)}`)[0]?.fees;
    const order = { ...wooOrder({ lines: [['A-1', 1]] }), fee_lines: [{ id: 5, name: 'Taxa ramburs &amp; manipulare', tax_class: '', tax_status: 'taxable', total: '5.00', total_tax: '0.00' }], total: '25.00' };
    expect((await send('order.created', order)).status).toBe(200);
    expect(await fees(order.id)).toEqual([{ name: 'Taxa ramburs & manipulare', amount: '5.00', tax: '0.00' }]);

    const later = { ...order, date_modified_gmt: '2026-11-20T11:00:00', fee_lines: [], total: '20.00' };
    expect((await send('order.updated', later, { deliveryId: `fees-${order.id}-2` })).status).toBe(200);
    expect(await fees(order.id)).toBeNull();

    const bad = { ...wooOrder({ lines: [['A-1', 1]] }), fee_lines: [{ id: 6, name: 'Taxa', total: 'five' }] };
    const res = await send('order.created', bad);
    expect(res.status).toBe(400);
    expect(JSON.stringify(JSON.parse(res.body).error.details)).toContain('fee_lines.0.total');
    expect(await orders(bad.id)).toHaveLength(0);
  });
});
