import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { sendWooWebhook } from '../fakes/woocommerce/send-woo-webhook.ts';
import { type FakeStores, RO_ADDRESS, type shippingApi } from '../shipping/flow-support.ts';
import { pollDue, readyToShip, startCourierFlow } from '../shipping/support/courier-flow.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';

/*
 * Returns begun in the store (issue 13): Shopify's Return API webhooks and a refund made in
 * WooCommerce's wp-admin are taken in as store return requests (signed, deduplicated, one row per
 * store return), listed for the operator, and turned into a return checked like any other.
 */

let core: CoreHarness, fake: FakeSameday, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;

beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('sameday'));
}, 120_000);

async function delivered(channel: 'shopify' | 'woo', lines: Array<[string, number]>): Promise<string> {
  const { orderId, packingListId } = await readyToShip({ core, t, stores }, { channel, lines, courier: 'sameday', service: '7', address: RO_ADDRESS });
  const awb = await api.post(`/packing-lists/${packingListId}/awb`, { labelFormat: 'A4' });
  expect(awb.status, JSON.stringify(awb.body)).toBe(201);
  await core.drainOutbox();
  fake.state.advance(awb.body.awb, '9', 'Livrata cu succes', 'Cluj', new Date(Date.now() + 1000));
  await pollDue(core, t, [awb.body.id]);
  await core.drainOutbox();
  expect((await api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
  return orderId;
}

const numeric = (gid: string) => gid.split('/').pop()!;

const shopifyHook = (topic: string, body: Record<string, unknown>, webhookId?: string) =>
  sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic, shopDomain: t.shopify.shopDomain, body, secret: t.shopify.apiSecret, ...(webhookId ? { webhookId } : {}) });

/** A Return API webhook body as Shopify sends it (REST-shaped). */
function shopifyReturn(id: number, orderGid: string, status: string, lines: Array<{ lineItemGid: string; quantity: number; reason: string; note?: string }>) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Return/${id}`,
    status,
    // Ids as exact strings: the body is sent with them as bare JSON numbers, as Shopify does (past 2^53).
    order: { id: numeric(orderGid), admin_graphql_api_id: orderGid },
    name: `#R${id}`,
    total_return_line_items: lines.length,
    return_line_items: lines.map((l, i) => ({
      id: id * 10 + i,
      admin_graphql_api_id: `gid://shopify/ReturnLineItem/${id * 10 + i}`,
      fulfillment_line_item: { id: id * 100 + i, admin_graphql_api_id: `gid://shopify/FulfillmentLineItem/${id * 100 + i}`, line_item: { id: numeric(l.lineItemGid), admin_graphql_api_id: l.lineItemGid } },
      quantity: l.quantity,
      return_reason: l.reason,
      return_reason_note: '',
      customer_note: l.note ?? null,
    })),
    return_shipping_fees: [],
    exchange_line_items: [],
    total_exchange_line_items: 0,
  };
}

const pending = async () => (await api.get('/store-returns')).body.storeReturns as Array<{ id: string; storeStatus: string; request: { externalId: string; lines: unknown[]; refundedAmount: string | null } }>;

describe('a Shopify return requested in the store', () => {
  it('is kept once per return across its webhooks, listed, and taken in as a checked return', async () => {
    const orderId = await delivered('shopify', [
      ['A-1', 2],
      ['A-2', 1],
    ]);
    const { orderGid, lineItems } = stores.shopifyOrders.get(orderId)!;
    const body = shopifyReturn(7001, orderGid, 'requested', [{ lineItemGid: lineItems['A-1']!, quantity: 1, reason: 'size_too_small', note: 'prea mic' }]);
    const first = await shopifyHook('returns/request', body, 'ret-7001-a');
    expect(first.status).toBe(200);
    expect((await shopifyHook('returns/request', body, 'ret-7001-a')).status).toBe(200);
    // Approved in the Shopify admin: a status-only change of the same return.
    expect((await shopifyHook('returns/approve', { id: 7001, admin_graphql_api_id: 'gid://shopify/Return/7001', status: 'open', order: { id: numeric(orderGid) }, return_line_items: [] })).status).toBe(200);
    const rows = await core.sql`select store_status, jsonb_array_length(request->'lines') as lines from store_return_requests where tenant_id = ${t.tenantId} and external_id = 'gid://shopify/Return/7001'`;
    expect(rows).toEqual([{ store_status: 'open', lines: 1 }]);
    const listed = (await pending()).find((r) => r.request.externalId === 'gid://shopify/Return/7001')!;
    expect(listed).toMatchObject({ storeStatus: 'open', request: { lines: [{ externalLineId: numeric(lineItems['A-1']!), quantity: 1, reason: 'size_too_small', customerNote: 'prea mic' }] } });

    const taken = await api.post(`/store-returns/${listed.id}/take-in`, {});
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(taken.body).toMatchObject({ orderId, type: 'partially', status: 'requested', lines: [{ orderLineNo: 1, quantity: 1, reason: 'size_too_small — prea mic' }] });
    expect(taken.body.note).toContain('gid://shopify/Return/7001');
    expect((await pending()).map((r) => r.id)).not.toContain(listed.id);
    const again = await api.post(`/store-returns/${listed.id}/take-in`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ path: 'id', reason: `taken in as return:${taken.body.id}` }]);
    // Nothing moved in stock: the goods are not back yet.
    expect(await core.sql`select 1 from stock_movements where tenant_id = ${t.tenantId} and cause_type = 'return' and cause_id = ${taken.body.id}`).toHaveLength(0);
  }, 240_000);

  it('refuses to take in more than was delivered, naming the line, and a return the store declined', async () => {
    const orderId = await delivered('shopify', [['A-3', 1]]);
    const { orderGid, lineItems } = stores.shopifyOrders.get(orderId)!;
    await shopifyHook('returns/request', shopifyReturn(7002, orderGid, 'requested', [{ lineItemGid: lineItems['A-3']!, quantity: 2, reason: 'defective' }]));
    const req = (await pending()).find((r) => r.request.externalId === 'gid://shopify/Return/7002')!;
    const tooMany = await api.post(`/store-returns/${req.id}/take-in`, {});
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details).toEqual([{ path: 'lines[0].quantity', reason: 'line 1 (A-3): 2 asked, at most 1 (delivered 1 less 0 already returned)' }]);
    expect(await core.sql`select 1 from returns where tenant_id = ${t.tenantId} and order_id = ${orderId}`).toHaveLength(0);
    // The operator says what comes back instead.
    const bad = await api.post(`/store-returns/${req.id}/take-in`, { lines: [{ orderLineNo: 1, quantity: 0, reason: '' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['lines[0].quantity', 'lines[0].reason']);
    await shopifyHook('returns/decline', { id: 7002, admin_graphql_api_id: 'gid://shopify/Return/7002', status: 'declined', decline: { reason: 'RETURN_PERIOD_ENDED', note: 'prea târziu' } });
    const declined = await api.post(`/store-returns/${req.id}/take-in`, { lines: [{ orderLineNo: 1, quantity: 1, reason: 'defect' }] });
    expect(declined.status).toBe(409);
    expect(declined.body.error.details).toEqual([{ path: 'id', reason: 'declined in the store' }]);
  }, 240_000);
});

describe('a refund made in WooCommerce’s wp-admin', () => {
  it('arrives with order.updated, is taken in (Expedio’s own refunds left out) and becomes a full return', async () => {
    const orderId = await delivered('woo', [['Bar3', 1]]);
    const [o] = await core.sql<{ externalOrderId: string }[]>`select external_order_id as "externalOrderId" from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
    const store = stores.woo.orders.get(Number(o!.externalOrderId))!;
    const body = {
      ...store,
      date_modified_gmt: new Date(Date.now() + 60_000).toISOString().slice(0, 19),
      refunds: [
        { id: 9901, reason: 'Clientul a returnat coletul', total: '-20.00' },
        { id: 9902, reason: 'Return 12 [expedio:0123456789abcdef]', total: '-5.00' },
      ],
    };
    const res = await sendWooWebhook({ url: `${core.url}/webhooks/woocommerce/${t.woo.channelId}`, topic: 'order.updated', body, secret: t.woo.webhookSecret, webhookId: 42 });
    expect(res.status).toBe(200);
    const mine = (await pending()).filter((r) => ['9901', '9902'].includes(r.request.externalId));
    expect(mine).toMatchObject([{ storeStatus: 'refunded', request: { externalId: '9901', refundedAmount: '20.00', lines: [] } }]);
    const taken = await api.post(`/store-returns/${mine[0]!.id}/take-in`, {});
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(taken.body).toMatchObject({ type: 'fully', lines: [{ orderLineNo: 1, quantity: 1, reason: 'Clientul a returnat coletul' }] });
    expect(taken.body.note).toMatch(/^From WooCommerce refund 9901; refunded 20\.00 [A-Z]{3} in the store$/);
  }, 240_000);
});
