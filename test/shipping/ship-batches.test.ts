import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { type FakeStores, measure, pickAndPack, placeShopifyOrder, RO_ADDRESS, type shippingApi } from './flow-support.ts';
import { readyToShip, startCourierFlow } from './support/courier-flow.ts';

/*
 * Bulk AWBs (POST /api/v1/ship-batches), the order list's AWB column and search, and the order
 * timeline, against the fake Sameday: per-order progress, a failure kept with its reason, retry
 * of the failed orders only, and never a second AWB for a packing list that has one.
 */

let core: CoreHarness, fake: FakeSameday, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
beforeAll(async () => {
  ({ core, fake, t, stores, api } = await startCourierFlow('sameday'));
});

const ready = () => readyToShip({ core, t, stores }, { channel: 'shopify', lines: [['Bar3', 1]], courier: 'sameday', service: '7', address: RO_ADDRESS });
const shipmentsOf = async (orderId: string) =>
  (await core.sql<{ id: string; packing_list_id: string }[]>`select id::text, packing_list_id::text from shipments where tenant_id = ${t.tenantId} and order_id = ${orderId}`).map((r) => r.id);

describe('bulk AWBs', () => {
  it('ships every packed order, lists the unpacked one as failed with its reason, and retries only that one', async () => {
    const a = await ready();
    const b = await ready();
    const unpacked = await placeShopifyOrder(core, t, [['Bar3', 1]], stores);

    const started = await api.post('/ship-batches', { orderIds: [a.orderId, b.orderId, unpacked], labelFormat: 'A4' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', total: 3, done: 0, failed: 0, labelFormat: 'A4' });
    expect(started.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([a.orderId, b.orderId, unpacked]);
    // Each order of the run carries the store's number, as the merchant knows the order.
    const numbers = await core.sql<{ id: string; external_number: string | null }[]>`select id::text, external_number from orders where id = any(${[a.orderId, b.orderId, unpacked]}::bigint[])`;
    expect(started.body.orders.map((o: { orderNumber: string | null }) => o.orderNumber)).toEqual([a.orderId, b.orderId, unpacked].map((id) => numbers.find((n) => n.id === id)!.external_number));

    await core.drainOutbox();
    const run = (await api.get(`/ship-batches/${started.body.id}`)).body;
    expect(run).toMatchObject({ status: 'done_with_failures', total: 3, done: 2, failed: 1 });
    const byOrder = Object.fromEntries(run.orders.map((o: { orderId: string }) => [o.orderId, o]));
    expect(byOrder[a.orderId]).toMatchObject({ status: 'done', shipmentIds: await shipmentsOf(a.orderId) });
    const [awbOfA] = await core.sql<{ awb: string }[]>`select awb from shipments where tenant_id = ${t.tenantId} and order_id = ${a.orderId}`;
    expect(byOrder[a.orderId].awbs).toEqual([awbOfA!.awb]);
    expect(byOrder[unpacked]).toMatchObject({ status: 'failed', attempt: 1, shipmentIds: [] });
    expect(byOrder[unpacked].error).toMatch(/no packing list/);
    const atCourier = fake.state.shipments.size;

    // A second run over shipped orders returns their AWBs: nothing more is booked at the courier.
    const again = await api.post('/ship-batches', { orderIds: [a.orderId, b.orderId] });
    await core.drainOutbox();
    const second = (await api.get(`/ship-batches/${again.body.id}`)).body;
    expect(second).toMatchObject({ status: 'done', done: 2, failed: 0 });
    expect(second.orders[0].shipmentIds).toEqual(byOrder[a.orderId].shipmentIds);
    expect(fake.state.shipments.size).toBe(atCourier);

    // The warehouse packs the missing order; "retry failed" queues that order alone.
    const pl = await pickAndPack(core, t, unpacked);
    await measure(core, t, pl, { courier: 'sameday', service: '7', address: RO_ADDRESS });
    const retried = await api.post(`/ship-batches/${started.body.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ status: 'running', done: 2, failed: 0 });
    const queued = await core.sql<{ payload: { orderId: string; attempt: number } }[]>`
      select payload from outbox where tenant_id = ${t.tenantId} and kind = 'ship_batch.ship_order' and status = 'pending'`;
    expect(queued.map((q) => [q.payload.orderId, q.payload.attempt])).toEqual([[unpacked, 2]]);
    await core.drainOutbox();
    const finished = (await api.get(`/ship-batches/${started.body.id}`)).body;
    expect(finished).toMatchObject({ status: 'done', done: 3, failed: 0 });
    expect(fake.state.shipments.size).toBe(atCourier + 1);
    for (const o of [a.orderId, b.orderId, unpacked]) expect(await shipmentsOf(o)).toHaveLength(1);
  });

  it('refuses ids that are not orders of the tenant, naming each, and queues nothing', async () => {
    const before = await core.sql`select count(*)::int as n from ship_batches where tenant_id = ${t.tenantId}`;
    const bad = await api.post('/ship-batches', { orderIds: ['12x'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toMatch(/^orderIds/);
    const unknown = await api.post('/ship-batches', { orderIds: ['987654321'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'orderIds[0]', reason: 'order 987654321 does not exist' }]);
    expect(await core.sql`select count(*)::int as n from ship_batches where tenant_id = ${t.tenantId}`).toEqual(before);
    expect((await api.get('/ship-batches/987654321')).status).toBe(404);
  });
});

describe('the order list and the timeline', () => {
  it('finds an order by its store number, shows its live AWB, and filters a tab of several statuses', async () => {
    const a = await ready();
    const [row] = await core.sql<{ external_number: string }[]>`select external_number from orders where tenant_id = ${t.tenantId} and id = ${a.orderId}`;
    const shipment = (await api.post(`/packing-lists/${a.packingListId}/awb`)).body;
    for (const q of [row!.external_number, row!.external_number.replace(/^#/, '')]) {
      const found = await api.get(`/orders?q=${encodeURIComponent(q)}`);
      expect(found.status).toBe(200);
      expect(found.body.orders.map((o: { id: string }) => o.id)).toEqual([a.orderId]);
      expect(found.body.orders[0].awbs).toEqual([{ shipmentId: shipment.id, courier: 'sameday', awb: shipment.awb, trackingUrl: shipment.trackingUrl, status: shipment.status }]);
    }
    const packedOnly = await ready();
    const tab = (await api.get('/orders?statuses=packed,ready&limit=200')).body.orders as Array<{ id: string; status: string }>;
    expect(tab.map((o) => o.id)).toContain(packedOnly.orderId);
    expect(tab.map((o) => o.id)).not.toContain(a.orderId);
    expect(new Set(tab.map((o) => o.status)).size).toBeGreaterThan(0);
    for (const o of tab) expect(['packed', 'ready']).toContain(o.status);
    const badTab = await api.get('/orders?statuses=packed,nonsense');
    expect(badTab.status).toBe(400);
    expect(badTab.body.error.details[0].path).toMatch(/statuses/);
  });

  it('tells the order’s story newest first: the webhook, each status, the documents and the AWB', async () => {
    const a = await ready();
    await api.post(`/packing-lists/${a.packingListId}/awb`);
    await core.drainOutbox();
    const r = await api.get(`/orders/${a.orderId}/timeline`);
    expect(r.status).toBe(200);
    const events = r.body.events as Array<{ at: string; kind: string; code: string; document: { type: string } | null }>;
    expect(r.body.truncated).toBe(false);
    const ats = events.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const statuses = events.filter((e) => e.kind === 'status').map((e) => e.code).reverse();
    expect(statuses).toEqual(['new', 'confirmed', 'picking', 'picked', 'packed', 'ready', 'shipping'].filter((s) => statuses.includes(s)));
    expect(statuses).toEqual(expect.arrayContaining(['confirmed', 'shipping']));
    expect(events.filter((e) => e.kind === 'webhook').map((e) => e.code)).toContain('orders/create');
    expect(events.filter((e) => e.kind === 'writeback').length).toBeGreaterThan(0);
    expect(new Set(events.filter((e) => e.kind === 'document').map((e) => e.document!.type))).toEqual(new Set(['delivery_note', 'packing_list', 'shipment']));
    expect(events.some((e) => e.kind === 'tracking')).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: 'order', code: 'created' });
    expect((await api.get('/orders/987654321/timeline')).status).toBe(404);
  });
});
