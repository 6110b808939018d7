import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeBosta } from '../fakes/couriers/bosta/fake-bosta.ts';
import { sendBostaWebhook } from '../fakes/couriers/bosta/send-bosta-webhook.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { EG_ADDRESS, type FakeStores, fulfilledLines, measure, orderRow, outboxKinds, pdfPages, pickAndPack, placeShopifyOrder, type shippingApi, shopifyFulfillment, statusLog } from './flow-support.ts';
import { bostaWebhookUrl, expectCityRefused, expectWritebacks, fulfillmentWithEvents, readyToShip, startCourierFlow } from './support/courier-flow.ts';

let core: CoreHarness, fake: FakeBosta, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
let webhookUrl: string;
beforeAll(async () => {
  let account: Record<string, unknown>;
  ({ core, fake, t, stores, api, account } = await startCourierFlow('bosta'));
  webhookUrl = bostaWebhookUrl(core, t);
  // The webhook secret was generated and sealed; the API shows only that it is set.
  expect(account.credentialKeys).toEqual(['apiKey', 'webhookSecret']);
});

async function shipped(cod: boolean) {
  const orderId = await placeShopifyOrder(core, t, [['A-4', 1]], stores);
  if (cod) await core.sql`update orders set payment_method = 'Cash on Delivery (COD)', payment_status = 'pending', total = 615, currency = 'EGP' where tenant_id = ${t.tenantId} and id = ${orderId}`;
  const packingListId = await pickAndPack(core, t, orderId);
  await measure(core, t, packingListId, { courier: 'bosta', service: '10', address: EG_ADDRESS });
  const r = await api.post(`/packing-lists/${packingListId}/awb`);
  expect(r.status).toBe(201);
  return { orderId, packingListId, s: r.body };
}

describe('Bosta: Shopify order → delivery with our own label → webhooks (re-fetched) → delivered, COD collected', () => {
  it('creates the delivery, prints our own 100×150 label, and applies webhooks only as Bosta confirms them', async () => {
    const { orderId, packingListId, s } = await shipped(true);
    expect(s).toMatchObject({ courier: 'bosta', status: 'created', labelSource: 'own', labelFormat: 'A6', cod: { amount: '615.00', currency: 'EGP' } });
    const label = await api.raw(`/shipments/${s.id}/label`);
    expect(label.headers.get('x-label-source')).toBe('own');
    expect(await pdfPages(new Uint8Array(await label.arrayBuffer()))).toEqual([[283, 425]]);
    const body = fake.state.shipments.get(s.awb)!.body as { webhookUrl: string; webhookCustomHeaders: Record<string, string>; cod: number };
    expect(body.webhookUrl).toBe(webhookUrl);
    expect(body.cod).toBe(615);

    // Written back to Shopify: one fulfillment with the Bosta tracking number and link.
    await core.drainOutbox();
    const fulfillment = shopifyFulfillment(stores, orderId);
    expect(fulfillment.trackingInfo).toEqual([{ company: 'Bosta', number: s.awb, url: s.trackingUrl }]);
    expect(s.trackingUrl).toContain(s.awb);
    expect(fulfilledLines(stores, orderId, fulfillment)).toEqual([['A-4', 1]]);

    expect((await fake.advanceAndNotify(s.awb, 21))!.status).toBe(200);
    expect((await api.get(`/shipments/${s.id}`)).body.status).toBe('picked_up');
    expect((await fake.advanceAndNotify(s.awb, 41))!.status).toBe(200);
    const delivered = await fake.advanceAndNotify(s.awb, 45);
    expect(delivered!.status).toBe(200);
    expect(await delivered!.json()).toMatchObject({ received: true, outcome: 'ok', status: 'delivered' });

    const detail = (await api.get(`/shipments/${s.id}`)).body;
    expect(detail).toMatchObject({ status: 'delivered', codStatus: 'collected' });
    expect((await statusLog(core, t, s.id)).map((l) => [l.status, l.raw_code])).toEqual([
      ['created', 'created'],
      ['created', '10'],
      ['picked_up', '21'],
      ['out_for_delivery', '41'],
      ['delivered', '45'],
    ]);
    expect((await statusLog(core, t, s.id)).filter((l) => l.raw_code !== 'created').every((l) => l.source === 'webhook')).toBe(true);
    expect((await api.get(`/packing-lists/${packingListId}`)).body.status).toBe('delivered');
    expect(await orderRow(core, t, orderId)).toEqual({ status: 'delivered', payment_status: 'paid' });
    const kinds = (await outboxKinds(core, t)).filter((k) => k.payload.orderId === orderId);
    expect(kinds.map((k) => `${k.kind}:${k.payload.status ?? k.payload.trigger ?? ''}`)).toEqual([
      'shipment.created:',
      'invoice.issue:on_shipping',
      'shipment.status_changed:picked_up',
      'shipment.status_changed:out_for_delivery',
      'shipment.status_changed:delivered',
      'invoice.issue:on_paid',
    ]);
    // Bosta reports collection, not the payout: owed until its statement is entered.
    expect((await api.get('/reports/outstanding-cod')).body.couriers).toEqual([expect.objectContaining({ courier: 'bosta', currency: 'EGP', collectedCount: 1, collectedAmount: '615.00' })]);
    const log = await core.sql`select outcome, topic, external_id from sync_log where tenant_id = ${t.tenantId} and topic = 'courier.bosta' order by id`;
    expect(log.map((l) => l.outcome)).toEqual(['ok', 'ok', 'ok']);

    // Each confirmed state is a fulfillment event on Shopify, at Bosta's time.
    await core.drainOutbox();
    const occurred = await core.sql<{ at: Date }[]>`select occurred_at as at from shipment_status_log where tenant_id = ${t.tenantId} and shipment_id = ${s.id} and raw_code in ('21', '41', '45') order by shipment_status_log.id`;
    expect(shopifyFulfillment(stores, orderId).events.map((e) => [e.status, e.happenedAt])).toEqual([
      ['CARRIER_PICKED_UP', occurred[0]!.at.toISOString()],
      ['OUT_FOR_DELIVERY', occurred[1]!.at.toISOString()],
      ['DELIVERED', occurred[2]!.at.toISOString()],
    ]);
    await expectWritebacks({ core, t, stores }, orderId, fulfillmentWithEvents(3));
  });

  it('a repeated webhook is a duplicate; a wrong secret is refused (401) and logged; a forged state is not applied without Bosta confirming it', async () => {
    const { s } = await shipped(false);
    const headerName = 'X-Expedio-Webhook-Secret';
    const secret = (fake.state.shipments.get(s.awb)!.body as { webhookCustomHeaders: Record<string, string> }).webhookCustomHeaders[headerName]!;
    const hint = { _id: fake.state.shipments.get(s.awb)!.meta.id, trackingNumber: s.awb, state: 21, timeStamp: 1716200000000, businessReference: s.reference };

    const wrong = await sendBostaWebhook(webhookUrl, { headerName, secret: 'not-the-secret', overrides: hint });
    expect(wrong.status).toBe(401);
    const missing = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hint) });
    expect(missing.status).toBe(401);

    // Bosta itself still says "created" (10): the hint of a pickup is recorded as received but moves nothing.
    const forged = await sendBostaWebhook(webhookUrl, { headerName, secret, overrides: hint });
    expect(forged.status).toBe(200);
    expect((await api.get(`/shipments/${s.id}`)).body.status).toBe('created');
    const again = await sendBostaWebhook(webhookUrl, { headerName, secret, overrides: hint });
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    const log = await core.sql`select outcome from sync_log where tenant_id = ${t.tenantId} and topic = 'courier.bosta' and external_id = ${s.awb} order by id`;
    expect(log.map((l) => l.outcome)).toEqual(['ok', 'duplicate']);
    const rejected = await core.sql`select count(*)::int as n from sync_log where tenant_id = ${t.tenantId} and topic = 'courier.bosta' and outcome = 'rejected'`;
    expect(rejected[0]!.n).toBe(2);

    const unknownChannel = await sendBostaWebhook(`${core.url}/webhooks/couriers/bosta/999999`, { headerName, secret, overrides: hint });
    expect(unknownChannel.status).toBe(404);
  });

  it('an address outside Bosta coverage is a field error on the address; nothing is created', async () => {
    const { packingListId } = await readyToShip({ core, t, stores }, { channel: 'shopify', lines: [['A-4', 1]], courier: 'bosta', service: '10', address: { ...EG_ADDRESS, city: 'Atlantis' } });
    await expectCityRefused({ core, t, stores, api }, packingListId);
  });
});
