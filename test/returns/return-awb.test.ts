import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import { RO_ADDRESS, type FakeStores, type shippingApi } from '../shipping/flow-support.ts';
import { createAwb, pollDue, readyToShip, startCourierFlow } from '../shipping/support/courier-flow.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';

/*
 * The return AWB (issue 13): where the courier's contract documents a return service (Cargus
 * `AwbPickup`, §4.5), Expedio orders the pickup at the customer and tracks it like any shipment,
 * without moving the order; where it does not, the operator records the customer's AWB.
 */

let core: CoreHarness, fake: FakeCargus, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>, accountId: string;

beforeAll(async () => {
  ({ core, fake, t, stores, api, accountId } = await startCourierFlow('cargus', { settings: { statusOverrides: { '1': 'picked_up', '5': 'out_for_delivery', '21': 'delivered' } } }));
}, 120_000);

async function deliveredByCargus(lines: Array<[string, number]>): Promise<string> {
  const { orderId, packingListId } = await readyToShip({ core, t, stores }, { channel: 'shopify', lines, courier: 'cargus', service: '34', address: RO_ADDRESS });
  const s = await createAwb(api, packingListId);
  await core.drainOutbox();
  fake.state.advance(s.awb, '21', 'Livrat', 'Cluj-Napoca', new Date(Date.now() + 1000));
  await pollDue(core, t, [s.id]);
  await core.drainOutbox();
  expect((await api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
  return orderId;
}

describe('a return AWB through Cargus’s return service', () => {
  it('orders the pickup at the delivery address, records the AWB on the return, and tracks it without moving the order', async () => {
    const orderId = await deliveredByCargus([['A-1', 1]]);
    const r = await api.post('/returns', { orderId, type: 'fully', reason: 'nu se potrivește' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const made = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: accountId, pickupFrom: '2026-12-03T09:00', pickupTo: '2026-12-03T17:00' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.return).toMatchObject({ returnCourier: 'cargus', returnAwb: made.body.shipment.awb });
    const sent = fake.state.shipments.get(made.body.shipment.awb)!;
    expect(sent.reference).toBe(`EXP-RET${r.body.id}`);
    expect(sent.body).toMatchObject({
      PickupStartDate: '2026-12-03T09:00',
      PickupEndDate: '2026-12-03T17:00',
      Sender: { Name: 'Ana Pop', LocalityName: 'Cluj-Napoca', CountyName: 'Cluj', PhoneNumber: '+40700000000' },
      Recipient: { LocationId: 201165677 },
      CustomString: `EXP-RET${r.body.id}`,
      CashRepayment: 0,
    });
    // A second ask is refused: the return has its AWB.
    const again = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: accountId });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ path: 'id', reason: `return AWB ${made.body.shipment.awb} exists` }]);

    // Tracked like any shipment; its delivery (to our pickup point) moves no order.
    const shipment = await api.get(`/shipments/${made.body.shipment.id}`);
    expect(shipment.body).toMatchObject({ courier: 'cargus', awb: made.body.shipment.awb, status: 'created', orderId: null, packingListId: null });
    fake.state.advance(made.body.shipment.awb, '1', 'Expeditie preluata de curier', 'Cluj-Napoca', new Date(Date.now() + 2000));
    fake.state.advance(made.body.shipment.awb, '21', 'Livrat', 'Tunari', new Date(Date.now() + 3000));
    await pollDue(core, t, [made.body.shipment.id]);
    await core.drainOutbox();
    expect((await api.get(`/shipments/${made.body.shipment.id}`)).body.status).toBe('delivered');
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
    const [row] = await core.sql<{ returnId: string }[]>`select return_id::text as "returnId" from shipments where tenant_id = ${t.tenantId} and id = ${made.body.shipment.id}`;
    expect(row!.returnId).toBe(r.body.id);
  }, 240_000);

  it('refuses a courier without a return service naming the account, and a bad parcel naming the field; the operator records the customer’s AWB instead', async () => {
    const orderId = await deliveredByCargus([['A-2', 1]]);
    const sd = await api.post('/courier-accounts', { courier: 'sameday', name: 'Sameday', credentials: { username: 'u', password: 'p' }, baseUrl: 'http://127.0.0.1:9', settings: { pickupPointId: 1 } });
    expect(sd.status, JSON.stringify(sd.body)).toBe(201);
    const r = await api.post('/returns', { orderId, type: 'partially', lines: [{ orderLineNo: 1, quantity: 1, reason: 'defect' }] });
    const none = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: sd.body.id });
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([{ path: 'courierAccountId', reason: 'sameday has no return service' }]);
    const nowhere = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: accountId, parcels: [{ weightKg: 0, lengthCm: 1, widthCm: 1, heightCm: 1 }] });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.details.map((d: { path: string }) => d.path)).toEqual(['parcels[0].weightKg']);
    expect(await core.sql`select 1 from shipments where tenant_id = ${t.tenantId} and return_id = ${r.body.id}`).toHaveLength(0);
    // The operator records the AWB the customer sends with, where the courier has no return service.
    const recorded = await api.post(`/returns/${r.body.id}/awb`, { courier: 'sameday', awb: '1SDYRET0002' });
    expect(recorded.body).toMatchObject({ returnCourier: 'sameday', returnAwb: '1SDYRET0002' });
  }, 240_000);
});
