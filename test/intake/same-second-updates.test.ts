import { beforeAll, describe, expect, it } from 'vitest';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { sendWooWebhook } from '../fakes/woocommerce/send-woo-webhook.ts';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody, wooOrder } from '../support/orders.ts';

let core: CoreHarness;
let t: TenantFixture;
const sendWoo = (topic: 'order.created' | 'order.updated', body: unknown, deliveryId: string) =>
  sendWooWebhook({ url: `${core.url}/webhooks/woocommerce/${t.woo.channelId}`, topic, body, secret: t.woo.webhookSecret, webhookId: 42, deliveryId });
const sendShopify = (topic: string, body: string, webhookId: string) =>
  sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic, shopDomain: t.shopify.shopDomain, body, secret: t.shopify.apiSecret, webhookId });
const orderOf = async (channelId: string, externalId: string) =>
  (await core.sql`select status, payment_status from orders where tenant_id = ${t.tenantId} and channel_id = ${channelId} and external_order_id = ${externalId}`)[0];

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
});

describe('a store update of the same second as the stored one: stale only when its content is the same', () => {
  it('WooCommerce (date_modified_gmt in whole seconds): a cancellation in the same second applies and releases the stock; the same body again is stale', async () => {
    const second = new Date('2026-11-22T10:00:00Z');
    const order = wooOrder({ lines: [['A-5', 3]], modified: second });
    expect((await sendWoo('order.created', order, `c-${order.id}`)).status).toBe(200);
    await core.drainOutbox();
    expect((await orderOf(t.woo.channelId, String(order.id)))!.status).toBe('confirmed');
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).reserved).toBe(3);

    const resent = await sendWoo('order.updated', order, `u1-${order.id}`);
    expect(JSON.parse(resent.body).outcome).toBe('stale');

    const cancelled = wooOrder({ id: order.id, lines: [['A-5', 3]], status: 'cancelled', modified: second });
    const res = await sendWoo('order.updated', cancelled, `u2-${order.id}`);
    expect(JSON.parse(res.body).outcome).toBe('ok');
    expect((await orderOf(t.woo.channelId, String(order.id)))!.status).toBe('cancelled');
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-5']!)).reserved).toBe(0);

    const again = await sendWoo('order.updated', cancelled, `u3-${order.id}`);
    expect(JSON.parse(again.body).outcome).toBe('stale');
  });

  it('Shopify: paid in the same second as pending applies; a redelivered body of that second is stale; an older one still is', async () => {
    const pending = shopifyOrderBody({ lines: [['A-1', 1]], updatedAt: '2026-11-22T10:00:00Z', financialStatus: 'pending' });
    expect((await sendShopify('orders/create', pending.raw, `c-${pending.id}`)).status).toBe(200);
    expect((await orderOf(t.shopify.channelId, pending.id))!.payment_status).toBe('pending');

    const paid = shopifyOrderBody({ id: pending.id, lines: [['A-1', 1]], updatedAt: '2026-11-22T10:00:00Z', financialStatus: 'paid' });
    expect((await (await sendShopify('orders/paid', paid.raw, `p-${pending.id}`)).json()).outcome).toBe('ok');
    expect((await orderOf(t.shopify.channelId, pending.id))!.payment_status).toBe('paid');
    expect((await (await sendShopify('orders/updated', paid.raw, `u-${pending.id}`)).json()).outcome).toBe('stale');

    const older = shopifyOrderBody({ id: pending.id, lines: [['A-1', 1]], updatedAt: '2026-11-22T09:59:59Z', financialStatus: 'pending' });
    expect((await (await sendShopify('orders/updated', older.raw, `o-${pending.id}`)).json()).outcome).toBe('stale');
    expect((await orderOf(t.shopify.channelId, pending.id))!.payment_status).toBe('paid');
  });
});
