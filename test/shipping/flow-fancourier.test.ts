import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeFanCourier } from '../fakes/couriers/fancourier/fake-fancourier.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { expectWooShipped, type FakeStores, orderRow, outboxKinds, RO_ADDRESS, type shippingApi, statusLog, wooOrderState } from './flow-support.ts';
import { awbAfterCourierTimeout, createAwb, expectWooShippedWhenDrained, expectWritebacks, pollDue, readyToShip, startCourierFlow } from './support/courier-flow.ts';

let core: CoreHarness, fake: FakeFanCourier, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
const ADDRESS = { ...RO_ADDRESS, street: 'Str. Exemplu', streetNo: '1' };
beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('fancourier'));
});

const ready = () => readyToShip({ core, t, stores }, { channel: 'woo', lines: [['A-3', 1]], courier: 'fancourier', service: 'Cont Colector', address: ADDRESS });

describe('FAN Courier: WooCommerce COD order → AWB → tracking → delivered', () => {
  it('creates the AWB with COD and follows pickup, a failed attempt and delivery', async () => {
    const { orderId, packingListId } = await ready();
    const s = await createAwb(api, packingListId);
    expect(s).toMatchObject({ courier: 'fancourier', status: 'created', codStatus: 'pending' });
    expect(Number((fake.state.shipments.get(s.awb)!.body as { info: { cod: number } }).info.cod)).toBe(Number(s.cod.amount));
    await expectWooShippedWhenDrained({ core, t, stores }, orderId, s, 'FAN Courier');
    const t0 = Date.now();
    fake.state.advance(s.awb, 'C0', 'Expeditie ridicata', 'Cluj-Napoca', new Date(t0 + 1000));
    fake.state.advance(s.awb, 'S12', 'Contactat; livrare ulterioara', 'Cluj-Napoca', new Date(t0 + 2000));
    await pollDue(core, t, [s.id]);
    expect((await api.get(`/shipments/${s.id}`)).body).toMatchObject({ status: 'failed_attempt', attention: 'failed_attempt' });
    const inTransit = (await api.get('/reports/awbs-in-transit')).body.rows.find((x: { shipmentId: string }) => x.shipmentId === s.id);
    expect(inTransit).toMatchObject({ status: 'failed_attempt', attention: 'failed_attempt', lastEvent: { rawCode: 'S12' } });
    // A failed attempt leaves the store order as it was.
    await core.drainOutbox();
    expect((await wooOrderState(core, t, stores, orderId)).status).toBe('processing');

    fake.state.advance(s.awb, 'S1', 'Expeditie in livrare', 'Cluj-Napoca', new Date(t0 + 3000));
    fake.state.advance(s.awb, 'S2', 'Livrat', 'Cluj-Napoca', new Date(t0 + 4000));
    await pollDue(core, t, [s.id]);
    expect((await statusLog(core, t, s.id)).map((l) => l.status)).toEqual(['created', 'picked_up', 'failed_attempt', 'out_for_delivery', 'delivered']);
    expect((await api.get(`/shipments/${s.id}`)).body).toMatchObject({ status: 'delivered', attention: null });
    expect((await api.get(`/packing-lists/${packingListId}`)).body.status).toBe('delivered');
    expect((await orderRow(core, t, orderId)).status).toBe('delivered');
    expect((await outboxKinds(core, t)).filter((k) => k.kind === 'shipment.status_changed' && k.payload.shipmentId === s.id).map((k) => k.payload.status)).toEqual([
      'picked_up',
      'failed_attempt',
      'out_for_delivery',
      'delivered',
    ]);
    await core.drainOutbox();
    await expectWooShipped(core, t, stores, orderId, s, 'FAN Courier', 'completed');
    await expectWritebacks({ core, t, stores }, orderId, [
      ['order.shipped', 'ok'],
      ['order.status', 'ok'],
    ]);
    // FAN reports no COD settlement in the calls wired here: still owed until the statement is entered.
    expect((await api.get('/reports/outstanding-cod')).body.couriers).toEqual([expect.objectContaining({ courier: 'fancourier', pendingCount: 1 })]);
  });

  it('a timeout after FAN created the AWB is resolved from the day borderou by our reference: exactly one AWB', async () => {
    const { orderId, packingListId } = await ready();
    const first = await awbAfterCourierTimeout(fake, api, packingListId);
    expect(first.status).toBe(201);
    expect((await api.post(`/packing-lists/${packingListId}/awb`)).body.id).toBe(first.body.id);
    expect(fake.state.byReference(`EXP-PL${packingListId}`)).toHaveLength(1);
    // The store hears of the one AWB once.
    await core.drainOutbox();
    await expectWooShipped(core, t, stores, orderId, first.body, 'FAN Courier', 'processing');
  });
});
