import { afterAll, expect } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import type { FakeFulfillment } from '../fakes/shopify/fake-shopify-fulfillments.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { sendWooWebhook } from '../fakes/woocommerce/send-woo-webhook.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody, wooOrder } from '../support/orders.ts';

/** Shared steps of the shipping end-to-end tests: an order through intake, confirm, pick and pack, over HTTP. */

export const RO_ADDRESS = {
  firstName: 'Ana',
  lastName: 'Pop',
  company: null,
  address1: 'Str. Exemplu 1',
  address2: 'ap. 2',
  city: 'Cluj-Napoca',
  province: 'Cluj',
  provinceCode: 'CJ',
  postcode: '400001',
  country: 'Romania',
  countryCode: 'RO',
  phone: '+40700000000',
  email: 'ana@example.com',
};

export const EG_ADDRESS = {
  firstName: 'Omar',
  lastName: 'Hassan',
  company: null,
  address1: '12 El Tahrir Street',
  address2: null,
  city: 'Cairo',
  province: null,
  provinceCode: null,
  postcode: null,
  country: 'Egypt',
  countryCode: 'EG',
  phone: '01012345678',
  email: 'omar@example.com',
  district: '15 May',
  districtId: 'Iy7-lFD0BE0',
};

export function shippingApi(core: CoreHarness, t: TenantFixture) {
  const call = (method: string, path: string, body?: unknown) => core.api(`/api/v1${path}`, { method, key: t.apiKey, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
    /** Raw response (PDFs). */
    raw: (path: string) => fetch(`${core.url}/api/v1${path}`, { headers: { authorization: `Bearer ${t.apiKey}` } }),
  };
}

/**
 * The tenant's stores, faked: its Shopify and WooCommerce channels' credentials point at them, so the
 * write-backs the flow queues land here and are asserted on (and nothing is left failing and retrying).
 */
export interface FakeStores {
  shopify: FakeShopify;
  woo: FakeWooCommerce;
  /** Shopify orders placed through placeShopifyOrder, by our order id: the order GID and its line item GIDs by SKU. */
  shopifyOrders: Map<string, { orderGid: string; lineItems: Record<string, string> }>;
}

const FLOW_SHOPIFY_TOKEN = 'shpat_flow';
const FLOW_WOO_KEY = { consumerKey: 'ck_flow', consumerSecret: 'cs_flow' };

/** Starts a fake Shopify and a fake WooCommerce for the tenant and points its channels at them; closed after the file. */
export async function connectFakeStores(core: CoreHarness, t: TenantFixture): Promise<FakeStores> {
  const shopify = await startFakeShopify({ shopDomain: t.shopify.shopDomain, accessToken: FLOW_SHOPIFY_TOKEN, apiKey: t.shopify.apiKey, apiSecret: t.shopify.apiSecret });
  const woo = await startFakeWooCommerce(FLOW_WOO_KEY);
  afterAll(async () => {
    await Promise.all([shopify.close(), woo.close()]);
  });
  const { box } = core.deps;
  await writeCredentials(core.sql, box, t.tenantId, t.shopify.channelId, { apiKey: t.shopify.apiKey, apiSecret: t.shopify.apiSecret, accessToken: FLOW_SHOPIFY_TOKEN, adminBaseUrl: shopify.url });
  await writeCredentials(core.sql, box, t.tenantId, t.woo.channelId, { ...FLOW_WOO_KEY, adminBaseUrl: woo.url });
  return { shopify, woo, shopifyOrders: new Map() };
}

/**
 * A paid Shopify order through the signed orders/create webhook. With `stores`, the fake Shopify
 * knows the order too: one open fulfillment order with the webhook's line items, as Shopify makes it.
 */
export async function placeShopifyOrder(core: CoreHarness, t: TenantFixture, lines: Array<[string, number]>, stores?: FakeStores): Promise<string> {
  const { raw, id, lineItemIds } = shopifyOrderBody({ lines, email: `buyer${Math.random()}@example.com` });
  const orderGid = `gid://shopify/Order/${id}`;
  const lineItems = Object.fromEntries(lines.map(([sku], i) => [sku, `gid://shopify/LineItem/${lineItemIds[i]!}`]));
  stores?.shopify.setFulfillmentOrders(orderGid, [{ lines: lines.map(([sku, quantity]) => ({ lineItemId: lineItems[sku]!, quantity, sku })) }]);
  const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
  expect(res.status).toBe(200);
  const [o] = await core.sql`select id::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
  stores?.shopifyOrders.set(o!.id as string, { orderGid, lineItems });
  return o!.id as string;
}

let wooSeq = 7100;
/** A WooCommerce order paid on delivery (payment_method cod), through the signed webhook; with `stores`, the fake store holds it too. */
export async function placeWooCodOrder(core: CoreHarness, t: TenantFixture, lines: Array<[string, number]>, stores?: FakeStores): Promise<string> {
  const id = wooSeq++ + Math.floor(Math.random() * 1000) * 100;
  const order = { ...wooOrder({ id, lines }), payment_method: 'cod', payment_method_title: 'Cash on delivery', date_paid: null, date_paid_gmt: null };
  stores?.woo.upsertOrder(order);
  const res = await sendWooWebhook({ url: `${core.url}/webhooks/woocommerce/${t.woo.channelId}`, topic: 'order.created', body: order, secret: t.woo.webhookSecret, webhookId: 42 });
  expect(res.status).toBe(200);
  const [o] = await core.sql`select id::text, payment_method, payment_status from orders where tenant_id = ${t.tenantId} and channel_id = ${t.woo.channelId} and external_order_id = ${String(id)}`;
  expect(o).toBeTruthy();
  return o!.id as string;
}

/**
 * confirm → delivery note → pick (tick every line) → complete → packing list; returns the packing list id.
 * `partial`: the order is short of stock, goes on hold, and the operator ships what is there.
 */
export async function pickAndPack(core: CoreHarness, t: TenantFixture, orderId: string, o: { partial?: boolean } = {}): Promise<string> {
  const api = shippingApi(core, t);
  if (o.partial) expect((await api.post(`/orders/${orderId}/confirm`)).body.status).toBe('on_hold');
  const confirmed = await api.post(`/orders/${orderId}/confirm`, o.partial ? { partial: true } : undefined);
  expect(confirmed.body.status).toBe('confirmed');
  await core.drainOutbox();
  const all = (await api.get(`/delivery-notes?orderId=${orderId}`)).body.deliveryNotes as Array<{ id: string; blocked: boolean }>;
  // Partial: the note of what is missing stays blocked until a restock.
  const notes = o.partial ? all.filter((n) => !n.blocked) : all;
  expect(notes).toHaveLength(1);
  const pick = await api.post('/pick-lists', { orderIds: [orderId] });
  expect(pick.status).toBe(201);
  for (const l of pick.body.lines as Array<{ lineNo: number }>) expect((await api.post(`/pick-lists/${pick.body.id}/confirm`, { method: 'tick', lineNo: l.lineNo })).status).toBe(200);
  expect((await api.post(`/pick-lists/${pick.body.id}/complete`)).status).toBe(200);
  const packed = await api.post(`/delivery-notes/${notes[0]!.id}/packing-lists`);
  expect(packed.status).toBe(201);
  return packed.body.id as string;
}

/** Measures, courier, service and address on the packing list: the order becomes ready (15). */
export async function measure(core: CoreHarness, t: TenantFixture, packingListId: string, o: { courier: string; service: string; address: Record<string, unknown>; parcels?: unknown[] }) {
  const r = await shippingApi(core, t).patch(`/packing-lists/${packingListId}`, {
    courier: o.courier,
    service: o.service,
    deliveryAddress: o.address,
    parcels: o.parcels ?? [{ weightKg: 1.25, lengthCm: 30, widthCm: 20, heightCm: 10 }],
  });
  expect(r.status).toBe(200);
  return r.body;
}

export async function orderRow(core: CoreHarness, t: TenantFixture, orderId: string) {
  const [o] = await core.sql<{ status: string; payment_status: string }[]>`select status, payment_status from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
  return o!;
}

export async function outboxKinds(core: CoreHarness, t: TenantFixture): Promise<Array<{ kind: string; payload: Record<string, unknown> }>> {
  return core.sql<{ kind: string; payload: Record<string, unknown> }[]>`select kind, payload from outbox where tenant_id = ${t.tenantId} and kind like any(array['shipment.%', 'invoice.issue']) order by id`;
}

export async function statusLog(core: CoreHarness, t: TenantFixture, shipmentId: string) {
  return core.sql<{ id: string; status: string | null; raw_code: string; source: string; raw_payload: unknown }[]>`
    select id::text, status, raw_code, source, raw_payload from shipment_status_log where tenant_id = ${t.tenantId} and shipment_id = ${shipmentId} order by shipment_status_log.id`;
}

/** Makes every open shipment of the tenant due now (instead of waiting for its schedule). */
export async function makeDue(core: CoreHarness, t: TenantFixture, only?: string[]): Promise<void> {
  await core.sql`update shipments set next_poll_at = now() where tenant_id = ${t.tenantId} and next_poll_at is not null and (${only ?? null}::bigint[] is null or id = any(${only ?? null}::bigint[]))`;
}

export async function waitForBatch(api: ReturnType<typeof shippingApi>, id: string): Promise<{ status: string; done: number; total: number; pdfUrl: string | null }> {
  // Bounded: a batch of a few labels finishes within a few hundred polls of the row.
  for (let i = 0; i < 400; i++) {
    const b = (await api.get(`/label-batches/${id}`)).body;
    if (b.status === 'done' || b.status === 'failed') return b;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`label batch ${id} did not finish`);
}

export async function pdfPages(bytes: Uint8Array): Promise<Array<[number, number]>> {
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((p) => [Math.round(p.getWidth()), Math.round(p.getHeight())]);
}

/** The one Shopify fulfillment written back for our order (asserts there is exactly one). */
export function shopifyFulfillment(stores: FakeStores, orderId: string): FakeFulfillment {
  const known = stores.shopifyOrders.get(orderId);
  expect(known, `order ${orderId} was not placed with the fake stores`).toBeTruthy();
  const made = stores.shopify.fulfillments.get(known!.orderGid) ?? [];
  expect(made).toHaveLength(1);
  return made[0]!;
}

/** What the fulfillment carries, as [SKU, quantity] via the line item GIDs the webhook carried. */
export function fulfilledLines(stores: FakeStores, orderId: string, f: FakeFulfillment): Array<[string, number]> {
  const bySku = stores.shopifyOrders.get(orderId)!.lineItems;
  const skuOf = Object.fromEntries(Object.entries(bySku).map(([sku, gid]) => [gid, sku]));
  return f.lineItems.map((l) => [skuOf[l.lineItemId] ?? `unknown ${l.lineItemId}`, l.quantity]);
}

/** The WooCommerce order as the fake store holds it now: status, customer notes, tracking meta. */
export async function wooOrderState(core: CoreHarness, t: TenantFixture, stores: FakeStores, orderId: string) {
  const external = Number(await externalOrderId(core, t, orderId));
  const o = stores.woo.orders.get(external);
  expect(o, `WooCommerce order ${external} is not in the fake store`).toBeTruthy();
  return {
    status: o!.status,
    customerNotes: (stores.woo.notes.get(external) ?? []).filter((n) => n.customer_note).map((n) => n.note),
    tracking: o!.meta_data.find((m) => m.key === '_wc_shipment_tracking_items')?.value as Array<Record<string, string>> | undefined,
  };
}

export async function externalOrderId(core: CoreHarness, t: TenantFixture, orderId: string): Promise<string> {
  const [o] = await core.sql<{ external_order_id: string }[]>`select external_order_id from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
  return o!.external_order_id;
}

/** The order's outbound write-back log (store and customer), oldest first. */
export async function writebackLog(core: CoreHarness, t: TenantFixture, orderId: string) {
  return await core.sql<{ topic: string; outcome: string; error: string | null }[]>`
    select topic, outcome, error from sync_log
    where tenant_id = ${t.tenantId} and direction = 'outbound' and kind = 'writeback'
      and channel_id = (select channel_id from orders where tenant_id = ${t.tenantId} and id = ${orderId})
      and external_id = ${await externalOrderId(core, t, orderId)}
    order by id`;
}

/** Write-back outbox items of the order that are not done (pending retries or stalled). */
export async function unfinishedWritebacks(core: CoreHarness, t: TenantFixture, orderId: string) {
  return await core.sql<{ kind: string; status: string; last_error: string | null }[]>`
    select kind, status, last_error from outbox
    where tenant_id = ${t.tenantId} and payload->>'orderId' = ${orderId} and status <> 'done'
      and (kind like 'writeback.%' or kind like 'notify.%' or kind like 'shipment.%')
    order by id`;
}

/** The shipped write-back on WooCommerce: one customer note with AWB and link, the tracking meta, status as given. */
export async function expectWooShipped(core: CoreHarness, t: TenantFixture, stores: FakeStores, orderId: string, s: { awb: string; trackingUrl: string }, provider: string, status: string) {
  const woo = await wooOrderState(core, t, stores, orderId);
  expect(woo.status).toBe(status);
  expect(woo.customerNotes).toHaveLength(1);
  expect(woo.customerNotes[0]).toContain(s.awb);
  expect(woo.customerNotes[0]).toContain(s.trackingUrl);
  expect(woo.tracking).toEqual([
    {
      tracking_provider: '',
      custom_tracking_provider: provider,
      custom_tracking_link: s.trackingUrl,
      tracking_number: s.awb,
      date_shipped: expect.stringMatching(/^\d{10}$/),
      tracking_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    },
  ]);
}
