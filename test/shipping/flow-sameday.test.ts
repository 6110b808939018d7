import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { expectWooShipped, type FakeStores, orderRow, outboxKinds, RO_ADDRESS, type shippingApi, statusLog } from './flow-support.ts';
import { awbAfterCourierTimeout, expectCityRefused, expectRetryRefused, expectWooShippedWhenDrained, expectWritebacks, pollDue, readyToShip, startCourierFlow } from './support/courier-flow.ts';

let core: CoreHarness, fake: FakeSameday, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('sameday'));
});

const ready = (address: Record<string, unknown> = RO_ADDRESS) => readyToShip({ core, t, stores }, { channel: 'woo', lines: [['Bar3', 1]], courier: 'sameday', service: '7', address });

describe('Sameday: WooCommerce cash-on-delivery order → AWB → delivered → COD settled', () => {
  it('ships with the order total as COD, tracks per AWB to delivered, and a COD settlement marks the order paid', async () => {
    const { orderId, packingListId } = await ready();
    const [order] = await core.sql<{ total: string; currency: string; payment_status: string }[]>`select total::text, currency, payment_status from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
    expect(order!.payment_status).not.toBe('paid');
    const r = await api.post(`/packing-lists/${packingListId}/awb`, { labelFormat: 'A4' });
    expect(r.status).toBe(201);
    const s = r.body;
    expect(s).toMatchObject({ courier: 'sameday', status: 'created', labelFormat: 'A4', cod: { amount: order!.total, currency: order!.currency }, codStatus: 'pending' });
    expect(s.awb).toMatch(/^1SDY/);
    expect(s.parcelAwbs).toEqual([`${s.awb}001`]);
    const form = fake.state.shipments.get(s.awb)!.body as Record<string, string>;
    expect(Number(form.cashOnDelivery)).toBe(Number(order!.total));
    expect(form.clientInternalReference).toBe(`EXP-PL${packingListId}`);
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');

    // Written back to WooCommerce: a customer note with the AWB and link, the tracking meta; still processing.
    await expectWooShippedWhenDrained({ core, t, stores }, orderId, s, 'Sameday');

    const t0 = Date.now();
    fake.state.advance(s.awb, '33', 'In livrare la curier', 'Cluj', new Date(t0 + 1000));
    fake.state.advance(s.awb, '9', 'Livrata cu succes', 'Cluj', new Date(t0 + 2000));
    const report = await pollDue(core, t, [s.id]);
    expect(report).toMatchObject({ polled: 1, statusChanges: 2 });
    expect((await statusLog(core, t, s.id)).map((l) => [l.status, l.raw_code])).toEqual([
      ['created', 'created'],
      ['created', '1'],
      ['out_for_delivery', '33'],
      ['delivered', '9'],
    ]);
    expect((await api.get(`/packing-lists/${packingListId}`)).body.status).toBe('delivered');
    expect((await orderRow(core, t, orderId)).status).toBe('delivered');
    const kinds = (await outboxKinds(core, t)).filter((k) => k.payload.orderId === orderId);
    expect(kinds.map((k) => [k.kind, k.payload.status ?? k.payload.trigger ?? null])).toEqual([
      ['shipment.created', null],
      ['invoice.issue', 'on_shipping'],
      ['shipment.status_changed', 'out_for_delivery'],
      ['shipment.status_changed', 'delivered'],
    ]);

    // Delivered completes the order on WooCommerce; the shipped note and tracking are not repeated.
    await core.drainOutbox();
    await expectWooShipped(core, t, stores, orderId, s, 'Sameday', 'completed');
    await expectWritebacks({ core, t, stores }, orderId, [
      ['order.shipped', 'ok'],
      ['order.status', 'ok'],
    ]);

    // Sameday's settlements are not in the API we call: the courier's statement is entered per AWB.
    let owed = (await api.get('/reports/outstanding-cod')).body;
    expect(owed.couriers).toEqual([expect.objectContaining({ courier: 'sameday', pendingCount: 1, pendingAmount: order!.total })]);
    const settled = await api.post(`/shipments/${s.id}/cod-settlement`, { reference: 'SD-OP-1', settledAt: new Date(t0 + 86_400_000).toISOString() });
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({ codStatus: 'settled', codSettlementRef: 'SD-OP-1' });
    expect((await orderRow(core, t, orderId)).payment_status).toBe('paid');
    owed = (await api.get('/reports/outstanding-cod')).body;
    expect(owed.couriers).toEqual([]);
    expect((await api.post(`/shipments/${s.id}/cod-settlement`, {})).status).toBe(200);
  });

  it('a timeout after Sameday created the AWB: Sameday refuses the second create (same reference), exactly one AWB exists; attaching it completes the flow', async () => {
    const { orderId, packingListId } = await ready();
    const first = await awbAfterCourierTimeout(fake, api, packingListId);
    expect(first.status).toBe(409);
    expect(first.body.error.message).toContain('awb.not_unique');
    const atCourier = await expectRetryRefused(fake, api, packingListId);
    const [pending] = await core.sql`select id::text, status from shipments where tenant_id = ${t.tenantId} and packing_list_id = ${packingListId}`;
    expect(pending!.status).toBe('creating');
    const attached = await api.post(`/shipments/${pending!.id}/resolve`, { awb: atCourier[0]!.awb });
    expect(attached.status).toBe(200);
    expect(attached.body.shipment).toMatchObject({ awb: atCourier[0]!.awb, status: 'created', hasLabel: true });
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');
    expect(fake.state.byReference(`EXP-PL${packingListId}`)).toHaveLength(1);
    // The store hears of the one AWB once.
    await core.drainOutbox();
    await expectWooShipped(core, t, stores, orderId, attached.body.shipment, 'Sameday', 'processing');
  });

  it('an unknown city is a field error on the delivery address; nothing is created', async () => {
    const { orderId, packingListId } = await ready({ ...RO_ADDRESS, city: 'Nowhere' });
    await expectCityRefused({ core, t, stores, api }, packingListId);
    expect((await orderRow(core, t, orderId)).status).toBe('ready');
  });
});
