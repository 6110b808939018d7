import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollShipments } from '../../core/src/flows/track-shipments.ts';
import { type FakeCargus, startFakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { makeDue, measure, orderRow, outboxKinds, pickAndPack, placeShopifyOrder, RO_ADDRESS, shippingApi, statusLog } from './flow-support.ts';

let core: CoreHarness;
let fake: FakeCargus;
let t: TenantFixture;
let api: ReturnType<typeof shippingApi>;

beforeAll(async () => {
  core = await startCore({ max: 10 });
  fake = await startFakeCargus();
  t = await core.createTenant({ channel: { auto_confirm: false } });
  api = shippingApi(core, t);
  const acc = await api.post('/courier-accounts', {
    courier: 'cargus',
    name: 'Cargus',
    credentials: { subscriptionKey: fake.subscriptionKey, username: 'cargus-user', password: 'cargus-pass' },
    baseUrl: fake.apiUrl,
    // Cargus publishes no event-id list: the merchant maps the ids seen on its own AWBs.
    settings: { senderLocationId: 201165677, timeoutMs: 400, statusOverrides: { '1': 'picked_up', '5': 'out_for_delivery', '21': 'delivered' } },
  });
  expect(acc.status).toBe(201);
});
afterAll(async () => {
  await fake.close();
});

async function ready() {
  const orderId = await placeShopifyOrder(core, t, [['A-2', 2]]);
  const packingListId = await pickAndPack(core, t, orderId);
  await measure(core, t, packingListId, {
    courier: 'cargus',
    service: '34',
    address: RO_ADDRESS,
    parcels: [
      { weightKg: 1.1, lengthCm: 30, widthCm: 20, heightCm: 10 },
      { weightKg: 0.9, lengthCm: 20, widthCm: 20, heightCm: 10 },
    ],
  });
  return { orderId, packingListId };
}

describe('Cargus: Shopify order → two-parcel AWB → tracking → delivered', () => {
  it('creates one AWB for the packing list with both parcels and follows the mapped events to delivered', async () => {
    const { orderId, packingListId } = await ready();
    const r = await api.post(`/packing-lists/${packingListId}/awb`);
    expect(r.status).toBe(201);
    const s = r.body;
    expect(s).toMatchObject({ courier: 'cargus', status: 'created', hasLabel: true, labelSource: 'courier' });
    expect(s.parcels).toHaveLength(2);
    expect((fake.state.shipments.get(s.awb)!.body as { ParcelCodes: unknown[] }).ParcelCodes).toHaveLength(2);
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');

    const t0 = Date.now();
    fake.state.advance(s.awb, '1', 'Expeditie preluata de curier', 'Tunari', new Date(t0 + 1000));
    fake.state.advance(s.awb, '5', 'In livrare', 'Cluj-Napoca', new Date(t0 + 2000));
    fake.state.advance(s.awb, '21', 'Livrat', 'Cluj-Napoca', new Date(t0 + 3000));
    await makeDue(core, t, [s.id]);
    expect(await pollShipments(core.deps, { tenantId: t.tenantId })).toMatchObject({ polled: 1, statusChanges: 3, unknownCodes: 0 });
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
  });

  it('a timeout after Cargus created the AWB is resolved by looking the reference up: exactly one AWB, and a retry returns it', async () => {
    const { orderId, packingListId } = await ready();
    fake.state.failNext({ kind: 'timeout-after-create', delayMs: 2000 });
    const first = await api.post(`/packing-lists/${packingListId}/awb`);
    expect(first.status).toBe(201);
    const retry = await api.post(`/packing-lists/${packingListId}/awb`);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(fake.state.byReference(`EXP-PL${packingListId}`)).toHaveLength(1);
    expect(fake.state.byReference(`EXP-PL${packingListId}`)[0]!.awb).toBe(first.body.awb);
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');
    const audit = await api.get('/reports/courier-audit-log?courier=cargus&outcome=timeout');
    expect(audit.body.entries[0]).toMatchObject({ operation: 'create-awb', outcome: 'timeout' });
  });

  it('an unmapped Cargus event is logged and surfaced, never guessed', async () => {
    const { packingListId } = await ready();
    const s = (await api.post(`/packing-lists/${packingListId}/awb`)).body;
    fake.state.advance(s.awb, '77', 'Eveniment nou', 'Cluj-Napoca', new Date(Date.now() + 1000));
    await makeDue(core, t, [s.id]);
    expect(await pollShipments(core.deps, { tenantId: t.tenantId })).toMatchObject({ unknownCodes: 1, statusChanges: 0 });
    expect((await api.get(`/shipments/${s.id}`)).body).toMatchObject({ status: 'created', attention: 'unknown_code' });
  });
});
