import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeBosta, startFakeBosta } from '../fakes/couriers/bosta/fake-bosta.ts';
import type { FakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import { readCourierFixture, shapeProblems } from '../fakes/couriers/courier-fixtures.ts';
import { type FakeInnoship, startFakeInnoship } from '../fakes/couriers/innoship/fake-innoship.ts';
import { EG_ADDRESS, RO_ADDRESS, type FakeStores, type shippingApi } from '../shipping/flow-support.ts';
import { type CourierTenant, courierTenant, createAwb, pollDue, readyToShip, startCourierFlow } from '../shipping/support/courier-flow.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';

/*
 * The return AWB (issue 13): where the courier's contract documents a return service (Cargus
 * `AwbPickup`, §4.5), Expedio orders the pickup at the customer and tracks it like any shipment,
 * without moving the order; where it does not, the operator records the customer's AWB. Innoship's
 * locker return order (§1.5: Sameday or FAN, the customer drops the parcel in a locker, Sameday's PIN
 * kept on the return) and Bosta's type 25 CRP (§5.5: the customer as pickupAddress) likewise.
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

describe('a return AWB through Innoship’s locker return order (Sameday or FAN)', () => {
  let inno: FakeInnoship, sameday: string, routed: string;
  beforeAll(async () => {
    inno = await startFakeInnoship();
    const account = async (name: string, settings: Record<string, unknown>, scope: Record<string, unknown> = {}) => {
      const r = await api.post('/courier-accounts', { courier: 'innoship', name, ...scope, credentials: { apiKey: inno.apiKey }, baseUrl: inno.url, settings: { clientLocationId: 'CLJ1', timeoutMs: 400, ...settings } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    sameday = await account('Innoship Sameday', { courierId: 6 });
    // An account Innoship routes (courier 1 Cargus forced): a locker return must name Sameday or FAN.
    routed = await account('Innoship Cargus', { courierId: 1 }, { channelId: t.shopify.channelId });
  }, 60_000);
  afterAll(async () => {
    await inno.close();
  });

  it('orders the locker return through Sameday, keeps the locker PIN on the return, and tracks it to delivered without moving the order', async () => {
    const orderId = await deliveredByCargus([['A-3', 1]]);
    const r = await api.post('/returns', { orderId, type: 'fully', reason: 'nu se potrivește' });
    const made = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: sameday, lockerId: '157' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const sent = inno.state.shipments.get(made.body.shipment.awb)!;
    // The exact request of the contract: the fixture's shape, Sameday, the locker, recipient pays, the courier's response asked for.
    expect(shapeProblems(readCourierFixture('innoship-locker-return-order.request.json'), sent.body, { nullable: ['AddressFrom.CountyName', 'AddressFrom.PostalCode', 'AddressFrom.Email'], extra: ['ExternalClientLocation', 'ExternalOrderId', 'Observation', 'Extra.Reference1'] })).toEqual([]);
    expect(sent.body).toMatchObject({
      CourierId: 6,
      Payment: 2,
      AddressFrom: { Name: 'Ana Pop', LocalityName: 'Cluj-Napoca', Phone: '+40700000000', FixedLocationId: '157' },
      ExternalClientLocation: 'CLJ1',
      ExternalOrderId: `EXP-RET${r.body.id}`,
      Parameters: { IncludeCourierResponse: true },
    });
    expect(sent.body).not.toHaveProperty('AddressTo');
    const pin = String(sent.meta.lockerPin);
    expect(made.body.shipment).toMatchObject({ courier: 'innoship', lockerPin: pin, recovered: false });
    expect(made.body.return).toMatchObject({ returnCourier: 'innoship', returnAwb: made.body.shipment.awb, returnLockerId: '157', returnLockerPin: pin });
    expect((await api.get(`/returns/${r.body.id}`)).body).toMatchObject({ returnLockerId: '157', returnLockerPin: pin });

    const shipment = await api.get(`/shipments/${made.body.shipment.id}`);
    expect(shipment.body).toMatchObject({ courier: 'innoship', service: '1', status: 'created', orderId: null, packingListId: null });
    inno.state.advance(made.body.shipment.awb, '2', 'Picked-Up', 'Cluj-Napoca', new Date(Date.now() + 2000));
    inno.state.advance(made.body.shipment.awb, '100', 'Delivered', 'Cluj-Napoca', new Date(Date.now() + 3000));
    await pollDue(core, t, [made.body.shipment.id]);
    await core.drainOutbox();
    expect((await api.get(`/shipments/${made.body.shipment.id}`)).body.status).toBe('delivered');
    expect((await api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
    const [row] = await core.sql<{ returnId: string }[]>`select return_id::text as "returnId" from shipments where tenant_id = ${t.tenantId} and id = ${made.body.shipment.id}`;
    expect(row!.returnId).toBe(r.body.id);
  }, 240_000);

  it('through FAN (named on an account Innoship routes to Cargus) asks no courier response and gets no PIN', async () => {
    const orderId = await deliveredByCargus([['A-4', 1]]);
    const r = await api.post('/returns', { orderId, type: 'fully', reason: 'defect' });
    const made = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: routed, lockerId: '204', lockerCourier: 'fancourier' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(inno.state.shipments.get(made.body.shipment.awb)!.body).toMatchObject({ CourierId: 3, Payment: 2, AddressFrom: { FixedLocationId: '204' }, Parameters: { IncludeCourierResponse: false } });
    expect(made.body.return).toMatchObject({ returnCourier: 'innoship', returnLockerId: '204', returnLockerPin: null });
  }, 240_000);

  it('refuses a missing locker, a courier other than Sameday or FAN, and a locker Innoship does not know, each naming its field and keeping no shipment', async () => {
    const orderId = await deliveredByCargus([['A-5', 1]]);
    const r = await api.post('/returns', { orderId, type: 'fully', reason: 'defect' });
    const noLocker = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: sameday });
    expect(noLocker.status).toBe(400);
    expect(noLocker.body.error.details.map((d: { path: string }) => d.path)).toEqual(['lockerId']);
    const cargusBehind = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: routed, lockerId: '157' });
    expect(cargusBehind.status).toBe(400);
    expect(cargusBehind.body.error.details).toEqual([{ path: 'lockerCourier', reason: "a locker return goes through Sameday or FAN only, not Cargus (the account's courier)" }]);
    const dpd = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: sameday, lockerId: '157', lockerCourier: 'dpd' });
    expect(dpd.status).toBe(400);
    expect(dpd.body.error.details.map((d: { path: string }) => d.path)).toEqual(['lockerCourier']);
    const unknown = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: sameday, lockerId: '999' });
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'lockerId', reason: "FixedLocationId '999' was not found" }]);
    // A locker is only for Innoship: Cargus's pickup at the customer takes none.
    const cargusLocker = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: accountId, lockerId: '157' });
    expect(cargusLocker.status).toBe(400);
    expect(cargusLocker.body.error.details.map((d: { path: string }) => d.path)).toEqual(['lockerId']);
    expect(await core.sql`select 1 from shipments where tenant_id = ${t.tenantId} and return_id = ${r.body.id}`).toHaveLength(0);
    expect(inno.state.byReference(`EXP-RET${r.body.id}`)).toHaveLength(0);
  }, 240_000);

  it('a lost answer is never re-sent (Innoship has no lookup by reference): the retry is refused and Innoship holds one order', async () => {
    const orderId = await deliveredByCargus([['A-1', 1]]);
    const r = await api.post('/returns', { orderId, type: 'fully', reason: 'defect' });
    inno.state.failNext({ kind: 'timeout-after-create', delayMs: 2000 });
    const lost = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: sameday, lockerId: '157' });
    expect(lost.status, JSON.stringify(lost.body)).toBe(502);
    expect(lost.body.error.details.map((d: { path: string }) => d.path)).toEqual(['reference']);
    const retry = await api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: sameday, lockerId: '157' });
    expect(retry.status, JSON.stringify(retry.body)).toBe(409);
    expect(retry.body.error.details).toEqual([{ path: 'reference', reason: 'earlier attempt outcome unknown' }]);
    expect(inno.state.byReference(`EXP-RET${r.body.id}`)).toHaveLength(1);
    expect((await api.get(`/returns/${r.body.id}`)).body.returnAwb).toBeNull();
  }, 240_000);
});

describe('a return AWB through Bosta’s Customer Return Pickup (type 25)', () => {
  let bosta: FakeBosta, b: CourierTenant;
  beforeAll(async () => {
    bosta = await startFakeBosta();
    b = await courierTenant(core, 'bosta', bosta, { settings: { businessLocationId: 'loc-hq-1' } });
  }, 60_000);
  afterAll(async () => {
    await bosta.close();
  });

  async function deliveredByBosta(sku: string): Promise<string> {
    const { orderId, packingListId } = await readyToShip({ core, t: b.t, stores: b.stores }, { channel: 'shopify', lines: [[sku, 1]], courier: 'bosta', service: '10', address: EG_ADDRESS });
    const s = await createAwb(b.api, packingListId);
    await core.drainOutbox();
    bosta.state.advance(s.awb, '45', 'Delivered', 'Cairo', new Date(Date.now() + 1000));
    await pollDue(core, b.t, [s.id]);
    await core.drainOutbox();
    expect((await b.api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
    return orderId;
  }

  it('orders a CRP with the customer as pickup address, and tracks it (41 picked up, 46 back with us = delivered) without moving the order', async () => {
    const orderId = await deliveredByBosta('A-1');
    const r = await b.api.post('/returns', { orderId, type: 'fully', reason: 'wrong size' });
    const made = await b.api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: b.accountId });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.return).toMatchObject({ returnCourier: 'bosta', returnAwb: made.body.shipment.awb, returnLockerPin: null });
    const sent = bosta.state.shipments.get(made.body.shipment.awb)!.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      type: 25,
      pickupAddress: { city: 'Cairo', districtId: 'Iy7-lFD0BE0', firstLine: '12 El Tahrir Street' },
      receiver: { firstName: 'Omar', lastName: 'Hassan', phone: '01012345678' },
      businessReference: `EXP-RET${r.body.id}`,
      businessLocationId: 'loc-hq-1',
    });
    expect(sent).not.toHaveProperty('dropOffAddress');
    expect(sent).not.toHaveProperty('cod');
    expect((await b.api.get(`/shipments/${made.body.shipment.id}`)).body).toMatchObject({ courier: 'bosta', service: '25', status: 'created', orderId: null, packingListId: null });

    bosta.state.advance(made.body.shipment.awb, '41', 'Picked up', 'Cairo', new Date(Date.now() + 2000));
    await pollDue(core, b.t, [made.body.shipment.id]);
    expect((await b.api.get(`/shipments/${made.body.shipment.id}`)).body.status).toBe('picked_up');
    bosta.state.advance(made.body.shipment.awb, '46', 'Returned to business', 'Cairo', new Date(Date.now() + 3000));
    await pollDue(core, b.t, [made.body.shipment.id]);
    await core.drainOutbox();
    expect((await b.api.get(`/shipments/${made.body.shipment.id}`)).body.status).toBe('delivered');
    expect((await b.api.get(`/orders/${orderId}`)).body.status).toBe('delivered');
    const [row] = await core.sql<{ returnId: string }[]>`select return_id::text as "returnId" from shipments where tenant_id = ${b.t.tenantId} and id = ${made.body.shipment.id}`;
    expect(row!.returnId).toBe(r.body.id);
  }, 240_000);

  it('a lost answer is found by businessReference: the return gets the first CRP and Bosta holds no second', async () => {
    const orderId = await deliveredByBosta('A-2');
    const r = await b.api.post('/returns', { orderId, type: 'fully', reason: 'wrong size' });
    bosta.state.failNext({ kind: 'timeout-after-create', delayMs: 2000 });
    const made = await b.api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: b.accountId });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.shipment.recovered).toBe(true);
    const atBosta = bosta.state.byReference(`EXP-RET${r.body.id}`);
    expect(atBosta.map((x) => x.awb)).toEqual([made.body.shipment.awb]);
    expect(made.body.return.returnAwb).toBe(made.body.shipment.awb);
  }, 240_000);

  it('refuses a locker (Bosta takes none) naming lockerId, and Bosta’s refusal of an uncovered pickup district naming the address field', async () => {
    const orderId = await deliveredByBosta('A-3');
    const r = await b.api.post('/returns', { orderId, type: 'fully', reason: 'wrong size' });
    const locker = await b.api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: b.accountId, lockerId: '157' });
    expect(locker.status).toBe(400);
    expect(locker.body.error.details.map((d: { path: string }) => d.path)).toEqual(['lockerId']);
    // The customer moved to a district Bosta does not pick up from: its refusal names the city/district field, nothing is kept.
    await core.sql`update packing_lists set delivery_address = delivery_address || ${core.sql.json({ district: 'Shalateen', districtId: 'Shalateen-9' })} where tenant_id = ${b.t.tenantId} and order_id = ${orderId}`;
    const uncovered = await b.api.post(`/returns/${r.body.id}/return-awb`, { courierAccountId: b.accountId });
    expect(uncovered.status, JSON.stringify(uncovered.body)).toBe(400);
    expect(uncovered.body.error.details).toEqual([{ path: 'pickupAddress.district', reason: 'District Shalateen is not covered for pickup' }]);
    expect(await core.sql`select 1 from shipments where tenant_id = ${b.t.tenantId} and return_id = ${r.body.id}`).toHaveLength(0);
    expect(bosta.state.byReference(`EXP-RET${r.body.id}`)).toHaveLength(0);
  }, 240_000);
});
