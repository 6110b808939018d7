import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { type FakeStores, fulfilledLines, orderRow, outboxKinds, RO_ADDRESS, type shippingApi, shopifyFulfillment, statusLog, writebackLog } from './flow-support.ts';
import { awbAfterCourierTimeout, createAwb, expectWritebacks, fulfillmentWithEvents, pollDue, readyToShip, startCourierFlow } from './support/courier-flow.ts';

let core: CoreHarness, fake: FakeCargus, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('cargus', {
    // A-5 is out of stock: the partial-delivery case ships the rest.
    stock: { 'A-5': 0 },
    // Cargus publishes no event-id list: the merchant maps the ids seen on its own AWBs.
    settings: { statusOverrides: { '1': 'picked_up', '5': 'out_for_delivery', '21': 'delivered' } },
  }));
});

const TWO_PARCELS = [
  { weightKg: 1.1, lengthCm: 30, widthCm: 20, heightCm: 10 },
  { weightKg: 0.9, lengthCm: 20, widthCm: 20, heightCm: 10 },
];
const ready = (lines: Array<[string, number]> = [['A-2', 2]], o: { partial?: boolean } = {}) =>
  readyToShip({ core, t, stores }, { channel: 'shopify', lines, courier: 'cargus', service: '34', address: RO_ADDRESS, parcels: TWO_PARCELS, ...o });

describe('Cargus: Shopify order → two-parcel AWB → tracking → delivered', () => {
  it('creates one AWB for the packing list with both parcels and follows the mapped events to delivered', async () => {
    const { orderId, packingListId } = await ready();
    const s = await createAwb(api, packingListId);
    expect(s).toMatchObject({ courier: 'cargus', status: 'created', hasLabel: true, labelSource: 'courier' });
    expect(s.parcels).toHaveLength(2);
    expect((fake.state.shipments.get(s.awb)!.body as { ParcelCodes: unknown[] }).ParcelCodes).toHaveLength(2);
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');

    // Written back to Shopify: one fulfillment of both units, one tracking number for the two parcels.
    await core.drainOutbox();
    const fulfillment = shopifyFulfillment(stores, orderId);
    expect(fulfillment.trackingInfo).toEqual([{ company: 'Cargus', number: s.awb, url: s.trackingUrl }]);
    expect(s.trackingUrl).toContain(s.awb);
    expect(fulfilledLines(stores, orderId, fulfillment)).toEqual([['A-2', 2]]);

    // Cargus stamps its events to the second.
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    fake.state.advance(s.awb, '1', 'Expeditie preluata de curier', 'Tunari', new Date(t0 + 1000));
    fake.state.advance(s.awb, '5', 'In livrare', 'Cluj-Napoca', new Date(t0 + 2000));
    fake.state.advance(s.awb, '21', 'Livrat', 'Cluj-Napoca', new Date(t0 + 3000));
    expect(await pollDue(core, t, [s.id])).toMatchObject({ polled: 1, statusChanges: 3, unknownCodes: 0 });
    expect((await statusLog(core, t, s.id)).map((l) => [l.status, l.raw_code, l.source])).toEqual([
      ['created', 'created', 'create'],
      ['picked_up', '1', 'poll'],
      ['out_for_delivery', '5', 'poll'],
      ['delivered', '21', 'poll'],
    ]);
    expect((await api.get(`/packing-lists/${packingListId}`)).body.status).toBe('delivered');
    expect((await orderRow(core, t, orderId)).status).toBe('delivered');
    expect((await outboxKinds(core, t)).filter((k) => k.payload.orderId === orderId).map((k) => k.kind)).toEqual([
      'shipment.created',
      'invoice.issue',
      'shipment.status_changed',
      'shipment.status_changed',
      'shipment.status_changed',
    ]);

    await core.drainOutbox();
    expect(shopifyFulfillment(stores, orderId).events.map((e) => [e.status, e.happenedAt])).toEqual([
      ['CARRIER_PICKED_UP', new Date(t0 + 1000).toISOString()],
      ['OUT_FOR_DELIVERY', new Date(t0 + 2000).toISOString()],
      ['DELIVERED', new Date(t0 + 3000).toISOString()],
    ]);
    await expectWritebacks({ core, t, stores }, orderId, fulfillmentWithEvents(3));
  });

  it('a partial delivery is fulfilled on Shopify with only the lines shipped; the rest stays open there', async () => {
    const { orderId, packingListId } = await ready(
      [
        ['A-2', 1],
        ['A-5', 1],
      ],
      { partial: true },
    );
    const s = (await api.post(`/packing-lists/${packingListId}/awb`)).body;
    expect(s.status).toBe('created');
    await core.drainOutbox();
    const fulfillment = shopifyFulfillment(stores, orderId);
    expect(fulfilledLines(stores, orderId, fulfillment)).toEqual([['A-2', 1]]);
    expect(fulfillment.trackingInfo.map((x) => x.number)).toEqual([s.awb]);
    const [fo] = stores.shopify.fulfillmentOrders.get(stores.shopifyOrders.get(orderId)!.orderGid)!;
    expect(fo!.status).toBe('IN_PROGRESS');
    expect(fo!.lineItems.map((l) => [l.sku, l.remainingQuantity])).toEqual([
      ['A-2', 0],
      ['A-5', 1],
    ]);
    // The order was held while short; that hold's release reached Shopify too (holds are written back since stop 10), then one fulfillment.
    const log = (await writebackLog(core, t, orderId)).map((l) => [l.topic, l.outcome]);
    expect(log.filter(([topic]) => topic === 'fulfillment.create')).toEqual([['fulfillment.create', 'ok']]);
    expect(log.at(-1)).toEqual(['fulfillment.create', 'ok']);
    expect(log.every(([topic, outcome]) => outcome === 'ok' && (topic === 'fulfillment.create' || topic === 'fulfillment_order.hold_cancel'))).toBe(true);
  });

  it('a timeout after Cargus created the AWB is resolved by looking the reference up: exactly one AWB, and a retry returns it', async () => {
    const { orderId, packingListId } = await ready();
    const first = await awbAfterCourierTimeout(fake, api, packingListId);
    expect(first.status).toBe(201);
    const retry = await api.post(`/packing-lists/${packingListId}/awb`);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(fake.state.byReference(`EXP-PL${packingListId}`)).toHaveLength(1);
    expect(fake.state.byReference(`EXP-PL${packingListId}`)[0]!.awb).toBe(first.body.awb);
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');
    const audit = await api.get('/reports/courier-audit-log?courier=cargus&outcome=timeout');
    expect(audit.body.entries[0]).toMatchObject({ operation: 'create-awb', outcome: 'timeout' });
    // The store hears of the one AWB once.
    await core.drainOutbox();
    expect(shopifyFulfillment(stores, orderId).trackingInfo.map((x) => x.number)).toEqual([first.body.awb]);
  });

  it('an unmapped Cargus event is logged and surfaced, never guessed', async () => {
    const { packingListId } = await ready();
    const s = (await api.post(`/packing-lists/${packingListId}/awb`)).body;
    fake.state.advance(s.awb, '77', 'Eveniment nou', 'Cluj-Napoca', new Date(Date.now() + 1000));
    expect(await pollDue(core, t, [s.id])).toMatchObject({ unknownCodes: 1, statusChanges: 0 });
    expect((await api.get(`/shipments/${s.id}`)).body).toMatchObject({ status: 'created', attention: 'unknown_code' });
  });
});
