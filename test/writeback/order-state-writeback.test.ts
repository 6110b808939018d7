import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { enqueue } from '../../core/src/db/outbox.ts';
import { EXPEDIO_HOLD_HANDLE } from '../../core/src/channels/shopify/push-shopify-hold.ts';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';
import { tenantCalls } from '../support/shop-helpers.ts';
import { makeOutboxDue, redeliver } from './support.ts';

// A hold, a release, a cancel and a reject done in Expedio, as Shopify's fulfillment orders show them.

let core: CoreHarness;
let shopify: FakeShopify;
let t: TenantFixture;
const { post } = tenantCalls(() => core);
const KIND = 'writeback.shopify.order_state';

beforeAll(async () => {
  core = await startCore();
  shopify = await startFakeShopify({ shopDomain: 'order-state.myshopify.com', accessToken: 'shpat_state' });
  t = await core.createTenant();
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.shopify.channelId, { apiKey: t.shopify.apiKey, apiSecret: t.shopify.apiSecret, accessToken: 'shpat_state', adminBaseUrl: shopify.url });
});
afterAll(async () => {
  await shopify.close();
});

/** A paid Shopify order (orders/create), confirmed by the worker, whose fulfillment orders the fake holds: the first open, the rest as given. */
async function shopOrder(extraFos: Array<'ON_HOLD'> = []) {
  const { raw, id, lineItemIds } = shopifyOrderBody({ lines: [['A-1', 1]], email: `buyer${Math.random()}@example.com` });
  const orderGid = `gid://shopify/Order/${id}`;
  const fos = shopify.setFulfillmentOrders(orderGid, [
    { lines: [{ lineItemId: `gid://shopify/LineItem/${lineItemIds[0]}`, quantity: 1, sku: 'A-1' }] },
    ...extraFos.map((status) => ({ status, lines: [{ lineItemId: 'gid://shopify/LineItem/99', quantity: 1 }] })),
  ]);
  const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
  expect(res.status).toBe(200);
  const [o] = await core.sql<{ id: string }[]>`select id::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
  await core.drainOutbox();
  return { orderId: o!.id, orderGid, fos };
}

async function writebacks(orderId: string) {
  return await core.sql<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from outbox where tenant_id = ${t.tenantId} and kind = ${KIND} and payload->>'orderId' = ${orderId} order by id`;
}

const ourHolds = (fo: { holds: { handle: string; heldByRequestingApp: boolean }[] }) => fo.holds.filter((h) => h.heldByRequestingApp && h.handle === EXPEDIO_HOLD_HANDLE);

describe('hold and release reach Shopify’s fulfillment orders', () => {
  it('holds the open fulfillment order with Expedio’s hold and reason, does not hold it twice on a retry, and a release removes only Expedio’s hold', async () => {
    const { orderId, fos } = await shopOrder(['ON_HOLD']);
    const [open, merchantHeld] = fos as [(typeof fos)[0], (typeof fos)[0]];
    expect((await core.sql`select status from orders where id = ${orderId}`)[0]!.status).toBe('confirmed');

    expect((await post(t, `/orders/${orderId}/hold`, { reason: 'customer asked to wait' })).status).toBe(200);
    await core.drainOutbox();
    expect(open.status).toBe('ON_HOLD');
    expect(ourHolds(open)).toEqual([expect.objectContaining({ reason: 'OTHER', reasonNotes: 'customer asked to wait' })]);
    // The merchant's own hold stays, and ours is added beside it: releasing theirs must not let Shopify fulfil.
    expect(merchantHeld.holds.map((h) => h.heldByRequestingApp)).toEqual([false, true]);
    expect(await writebacks(orderId)).toEqual([{ status: 'done', attempts: 1, last_error: null }]);

    // A worker that lost its commit runs the same write-back again: Shopify keeps one hold of ours.
    expect(await redeliver(core.sql, t.tenantId, [KIND])).toBeGreaterThan(0);
    await core.drainOutbox();
    expect(ourHolds(open)).toHaveLength(1);
    expect(ourHolds(merchantHeld)).toHaveLength(1);
    const holdCalls = shopify.requests.filter((r) => /fulfillmentOrderHold\s*\(/.test(r.query)).length;

    // Confirming after the hold releases it: Expedio's holds go, the merchant's stays.
    const confirmed = await post(t, `/orders/${orderId}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    await core.drainOutbox();
    expect(open.status).toBe('OPEN');
    expect(open.holds).toEqual([]);
    expect(merchantHeld.status).toBe('ON_HOLD');
    expect(merchantHeld.holds.map((h) => h.heldByRequestingApp)).toEqual([false]);
    const release = shopify.requests.filter((r) => /fulfillmentOrderReleaseHold\s*\(/.test(r.query));
    expect(release.map((r) => r.variables['holdIds'])).toEqual([[expect.stringContaining('FulfillmentHold')], [expect.stringContaining('FulfillmentHold')]]);
    expect(shopify.requests.filter((r) => /fulfillmentOrderHold\s*\(/.test(r.query)).length).toBe(holdCalls);
    const log = await core.sql<{ outcome: string; details: Record<string, unknown> }[]>`
      select outcome, details from sync_log where tenant_id = ${t.tenantId} and topic = 'fulfillment_order.hold_cancel' and external_id = ${fos[0]!.orderId.split('/').pop()!} order by id`;
    expect(log.map((l) => [l.details['action'], l.details['outcome']])).toEqual([
      ['hold', 'held'],
      ['hold', 'already_done'],
      ['release', 'released'],
    ]);
  });

  it('the AWB’s write-back lifts Expedio’s own stale hold before fulfilling, and leaves the merchant’s hold on its lines', async () => {
    const { orderId, orderGid, fos } = await shopOrder(['ON_HOLD']);
    const [open, merchantHeld] = fos as [(typeof fos)[0], (typeof fos)[0]];
    expect((await post(t, `/orders/${orderId}/hold`, { reason: 'address check' })).status).toBe(200);
    await core.drainOutbox();
    expect(ourHolds(open)).toHaveLength(1);
    // The parcel leaves while the release is still queued or retrying (set up directly: the shipping flow's state).
    await core.sql.begin(async (tx) => {
      const [acct] = await tx<{ id: string }[]>`insert into courier_accounts (tenant_id, courier, name, credentials_enc, base_url)
        values (${t.tenantId}, 'sameday', ${`Sameday ${orderId}`}, 'v1.unused', 'http://127.0.0.1:1') returning id::text`;
      const [s] = await tx<{ id: string }[]>`insert into shipments (tenant_id, order_id, courier_account_id, courier, service, reference, awb, tracking_url, status)
        values (${t.tenantId}, ${orderId}, ${acct!.id}, 'sameday', 'Standard', ${`ref-${orderId}`}, ${`SD-HOLD-${orderId}`}, null, 'created') returning id::text`;
      await enqueue(tx, t.tenantId, 'shipment.created', { shipmentId: s!.id, orderId }, `shipment.created:${s!.id}`);
    });
    await core.drainOutbox();
    expect(shopify.fulfillments.get(orderGid)?.map((f) => f.trackingInfo.map((i) => i.number))).toEqual([[`SD-HOLD-${orderId}`]]);
    expect(open.holds).toEqual([]);
    expect(merchantHeld.status).toBe('ON_HOLD');
    expect(merchantHeld.holds.map((h) => h.heldByRequestingApp)).toEqual([false]);
  });

  it('a short-stock hold is INVENTORY_OUT_OF_STOCK on Shopify', async () => {
    await core.sql`update stock set on_hand = 0 where tenant_id = ${t.tenantId} and product_id = ${t.productIds['A-2']!}`;
    const { raw, id, lineItemIds } = shopifyOrderBody({ lines: [['A-2', 1]] });
    const [fo] = shopify.setFulfillmentOrders(`gid://shopify/Order/${id}`, [{ lines: [{ lineItemId: `gid://shopify/LineItem/${lineItemIds[0]}`, quantity: 1 }] }]);
    await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
    await core.drainOutbox();
    expect(fo!.status).toBe('ON_HOLD');
    expect(ourHolds(fo!)).toEqual([expect.objectContaining({ reason: 'INVENTORY_OUT_OF_STOCK', reasonNotes: expect.stringContaining('insufficient stock') })]);
  });
});

describe('cancel and reject reach Shopify as a cancelled order', () => {
  it('cancels the Shopify order (its fulfillment orders closed, no refund, the staff note names the reason) and a retry does not cancel twice', async () => {
    const { orderId, orderGid, fos } = await shopOrder();
    expect((await post(t, `/orders/${orderId}/hold`, { reason: 'checking the address' })).status).toBe(200);
    expect((await post(t, `/orders/${orderId}/cancel`, { reason: 'customer changed their mind' })).status).toBe(200);
    await core.drainOutbox();
    expect(fos[0]!.status).toBe('CLOSED');
    expect(fos[0]!.holds).toEqual([]);
    expect(shopify.fulfillmentCancelledAt.has(orderGid)).toBe(true);
    const mine = shopify.orderCancels.cancellations.filter((c) => c.orderId === orderGid);
    expect(mine).toEqual([
      { orderId: orderGid, reason: 'OTHER', restock: true, notifyCustomer: false, staffNote: 'Expedio: customer changed their mind', refundMethod: { originalPaymentMethodsRefund: false } },
    ]);
    // The hold's write-back ran after the cancel committed: it found the order cancelled and cancelled it; the cancel's own found it done.
    expect((await writebacks(orderId)).map((w) => w.status)).toEqual(['done', 'done']);
    await redeliver(core.sql, t.tenantId, [KIND]);
    await core.drainOutbox();
    expect(shopify.orderCancels.cancellations.filter((c) => c.orderId === orderGid)).toHaveLength(1);
  });

  it('a rejected order is cancelled on Shopify as DECLINED, without restock where Expedio pushes the stock', async () => {
    await core.sql`update channels set push_stock = true where id = ${t.shopify.channelId}`;
    const { orderId, orderGid } = await shopOrder();
    await core.sql`update orders set approval_status = 'pending' where id = ${orderId}`;
    expect((await post(t, `/orders/${orderId}/reject`, { reason: 'fraud check failed' })).status).toBe(200);
    await core.drainOutbox();
    await core.sql`update channels set push_stock = false where id = ${t.shopify.channelId}`;
    expect(shopify.orderCancels.cancellations.filter((c) => c.orderId === orderGid)).toEqual([expect.objectContaining({ reason: 'DECLINED', restock: false, staffNote: 'Expedio: rejected: fraud check failed' })]);
  });

  it('Shopify’s refusal to cancel (a fulfillment still live) becomes a stall naming it, after that one attempt', async () => {
    const { orderId, orderGid, fos } = await shopOrder();
    // Someone fulfilled the order in the Shopify admin before Expedio cancelled it.
    shopify.fulfillments.set(orderGid, [
      { id: 'gid://shopify/Fulfillment/1', orderId: orderGid, status: 'SUCCESS', createdAt: new Date().toISOString(), notifyCustomer: false, trackingInfo: [], fulfillmentOrderIds: [fos[0]!.id], lineItems: [], events: [], trackingHistory: [], trackingUpdateNotified: [] },
    ]);
    expect((await post(t, `/orders/${orderId}/cancel`, { reason: 'out of stock' })).status).toBe(200);
    await core.drainOutbox();
    await makeOutboxDue(core.sql);
    await core.drainOutbox();
    expect(await writebacks(orderId)).toEqual([{ status: 'stalled', attempts: 1, last_error: expect.stringContaining('hold/cancel write-back to Shopify failing: Shopify refused to cancel order') }]);
    const [stall] = await core.sql<{ message: string }[]>`select message from stalls where tenant_id = ${t.tenantId} and kind = ${`outbox.${KIND}`} and resolved_at is null`;
    expect(stall!.message).toContain('cancel the fulfillments first');
    expect(shopify.fulfillmentCancelledAt.has(orderGid)).toBe(false);
  });

  it('a store-side cancellation (orders/cancelled) is not sent back: Shopify is only read', async () => {
    const { raw, id, lineItemIds } = shopifyOrderBody({ lines: [['A-1', 1]] });
    const orderGid = `gid://shopify/Order/${id}`;
    shopify.setFulfillmentOrders(orderGid, [{ lines: [{ lineItemId: `gid://shopify/LineItem/${lineItemIds[0]}`, quantity: 1 }] }]);
    await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
    await core.drainOutbox();
    // The merchant cancels in the Shopify admin; the webhook tells Expedio.
    shopify.fulfillmentCancelledAt.set(orderGid, new Date().toISOString());
    const cancelled = shopifyOrderBody({ id, lines: [['A-1', 1]], cancelled: true, updatedAt: new Date(Date.now() + 60_000).toISOString() });
    await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/cancelled', shopDomain: t.shopify.shopDomain, body: cancelled.raw, secret: t.shopify.apiSecret });
    await core.drainOutbox();
    const [o] = await core.sql<{ id: string; status: string }[]>`select id::text, status from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
    expect(o!.status).toBe('cancelled');
    expect(await writebacks(o!.id)).toEqual([{ status: 'done', attempts: 1, last_error: null }]);
    expect(shopify.orderCancels.cancellations.filter((c) => c.orderId === orderGid)).toEqual([]);
  });
});
