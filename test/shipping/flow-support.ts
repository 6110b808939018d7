import { expect } from 'vitest';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
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

export async function placeShopifyOrder(core: CoreHarness, t: TenantFixture, lines: Array<[string, number]>): Promise<string> {
  const { raw, id } = shopifyOrderBody({ lines, email: `buyer${Math.random()}@example.com` });
  const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
  expect(res.status).toBe(200);
  const [o] = await core.sql`select id::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
  return o!.id as string;
}

let wooSeq = 7100;
/** A WooCommerce order paid on delivery (payment_method cod), through the signed webhook. */
export async function placeWooCodOrder(core: CoreHarness, t: TenantFixture, lines: Array<[string, number]>): Promise<string> {
  const id = wooSeq++ + Math.floor(Math.random() * 1000) * 100;
  const order = { ...wooOrder({ id, lines }), payment_method: 'cod', payment_method_title: 'Cash on delivery', date_paid: null, date_paid_gmt: null };
  const res = await sendWooWebhook({ url: `${core.url}/webhooks/woocommerce/${t.woo.channelId}`, topic: 'order.created', body: order, secret: t.woo.webhookSecret, webhookId: 42 });
  expect(res.status).toBe(200);
  const [o] = await core.sql`select id::text, payment_method, payment_status from orders where tenant_id = ${t.tenantId} and channel_id = ${t.woo.channelId} and external_order_id = ${String(id)}`;
  expect(o).toBeTruthy();
  return o!.id as string;
}

/** confirm → delivery note → pick (tick every line) → complete → packing list; returns the packing list id. */
export async function pickAndPack(core: CoreHarness, t: TenantFixture, orderId: string): Promise<string> {
  const api = shippingApi(core, t);
  const confirmed = await api.post(`/orders/${orderId}/confirm`);
  expect(confirmed.body.status).toBe('confirmed');
  await core.drainOutbox();
  const notes = (await api.get(`/delivery-notes?orderId=${orderId}`)).body.deliveryNotes as Array<{ id: string }>;
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
