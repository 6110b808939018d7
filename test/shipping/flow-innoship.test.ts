import { beforeAll, describe, expect, it } from 'vitest';
import { applyTrack, pollShipments } from '../../core/src/flows/track-shipments.ts';
import { loadCourierAccount } from '../../core/src/shipping/courier-accounts.ts';
import { adapterFor } from '../../core/src/shipping/courier-clients.ts';
import type { FakeInnoship } from '../fakes/couriers/innoship/fake-innoship.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { type FakeStores, fulfilledLines, makeDue, orderRow, outboxKinds, pdfPages, pickAndPack, placeShopifyOrder, RO_ADDRESS, type shippingApi, shopifyFulfillment, statusLog, unfinishedWritebacks, waitForBatch, writebackLog } from './flow-support.ts';
import { awbAfterCourierTimeout, createAwb, expectRetryRefused, expectWritebacks, fulfillmentWithEvents, pollDue, readyToShip, startCourierFlow } from './support/courier-flow.ts';

let core: CoreHarness, fake: FakeInnoship, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
let accountId: string;
beforeAll(async () => {
  ({ core, fake, t, stores, api, accountId } = await startCourierFlow('innoship', { max: 12 }));
});

const readyPackingList = (over: { address?: Record<string, unknown>; parcels?: unknown[] } = {}) =>
  readyToShip({ core, t, stores }, { channel: 'shopify', lines: [['A-1', 1]], courier: 'innoship', service: '1', address: over.address ?? RO_ADDRESS, parcels: over.parcels });

const shipmentsOf = (packingListId: string) =>
  core.sql<{ id: string; status: string; awb: string | null }[]>`select id::text, status, awb from shipments where tenant_id = ${t.tenantId} and packing_list_id = ${packingListId} order by shipments.id`;

describe('Innoship: AWB and tracking end to end (Shopify order → delivered)', () => {
  it('credentials are sealed and never returned by the API, only which keys are set', async () => {
    const one = await api.get(`/courier-accounts/${accountId}`);
    expect(one.status).toBe(200);
    expect(one.body.credentialKeys).toEqual(['apiKey']);
    expect(JSON.stringify(one.body)).not.toContain(fake.apiKey);
    const list = await api.get('/courier-accounts');
    expect(JSON.stringify(list.body)).not.toContain(fake.apiKey);
    const [raw] = await core.sql<{ credentials_enc: string }[]>`select credentials_enc from courier_accounts where tenant_id = ${t.tenantId} and id = ${accountId}`;
    expect(raw!.credentials_enc).not.toContain(fake.apiKey);
    const bad = await api.post('/courier-accounts', { courier: 'innoship', name: 'x', credentials: {}, settings: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['credentials.apiKey', 'settings.clientLocationId']);
  });

  it('missing measures are field errors naming each field; nothing is created and the courier is not called', async () => {
    const orderId = await placeShopifyOrder(core, t, [['A-1', 1]], stores);
    const pl = await pickAndPack(core, t, orderId);
    await api.patch(`/packing-lists/${pl}`, { courier: 'innoship', service: '1', deliveryAddress: RO_ADDRESS, parcels: [{ weightKg: 1.2, lengthCm: 30 }] });
    const calls = fake.state.calls.length;
    const r = await api.post(`/packing-lists/${pl}/awb`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION');
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['parcels[0].widthCm', 'parcels[0].heightCm']);
    expect(fake.state.calls.length).toBe(calls);
    expect(await shipmentsOf(pl)).toEqual([]);
    expect((await orderRow(core, t, orderId)).status).toBe('packed');
  });

  it('an unknown locality is a field error on the address; nothing is created', async () => {
    const { orderId, packingListId } = await readyPackingList({ address: { ...RO_ADDRESS, city: 'Atlantis' } });
    const before = (await outboxKinds(core, t)).length;
    const r = await api.post(`/packing-lists/${packingListId}/awb`);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'deliveryAddress.city', reason: expect.stringContaining('Atlantis') })]);
    expect(await shipmentsOf(packingListId)).toEqual([]);
    expect((await api.get(`/packing-lists/${packingListId}`)).body.status).toBe('ready_to_deliver');
    expect((await orderRow(core, t, orderId)).status).toBe('ready');
    expect((await outboxKinds(core, t)).length).toBe(before);
    // The refused call is in the audit log, with the key redacted.
    const audit = await api.get('/reports/courier-audit-log?courier=innoship&outcome=http_error');
    expect(audit.body.entries[0]).toMatchObject({ operation: 'create-awb', responseStatus: 400, outcome: 'http_error' });
    expect(JSON.stringify(audit.body)).not.toContain(fake.apiKey);
  });

  it('creates the AWB in one transaction, then follows the tracking to delivered', async () => {
    const { orderId, packingListId } = await readyPackingList();
    const s = await createAwb(api, packingListId);
    expect(s).toMatchObject({ status: 'created', courier: 'innoship', reference: `EXP-PL${packingListId}`, hasLabel: true, labelSource: 'courier', labelFormat: 'A6', cod: null });
    expect(s.awb).toMatch(/^\d+$/);
    expect(s.trackingUrl).toBe(`https://track.innoship.io/${s.awb}`);
    expect(fake.state.byReference(`EXP-PL${packingListId}`)).toHaveLength(1);
    expect((await api.get(`/packing-lists/${packingListId}`)).body.status).toBe('in_transit');
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');
    expect((await statusLog(core, t, s.id)).map((l) => [l.status, l.source])).toEqual([['created', 'create']]);
    const kinds = (await outboxKinds(core, t)).filter((k) => k.payload.orderId === orderId || k.payload.shipmentId === s.id);
    expect(kinds.map((k) => k.kind)).toEqual(['shipment.created', 'invoice.issue']);
    expect(kinds[0]!.payload).toEqual({ shipmentId: s.id, orderId });
    expect(kinds[1]!.payload).toEqual({ orderId, trigger: 'on_shipping', awbNumber: s.awb, trackingUrl: s.trackingUrl });

    // Written back to Shopify: one fulfillment, the AWB as tracking, the lines this parcel carries.
    await core.drainOutbox();
    const fulfillment = shopifyFulfillment(stores, orderId);
    expect(fulfillment.trackingInfo).toEqual([{ company: 'Innoship', number: s.awb, url: s.trackingUrl }]);
    expect(fulfillment.notifyCustomer).toBe(true);
    expect(fulfilledLines(stores, orderId, fulfillment)).toEqual([['A-1', 1]]);
    expect(fulfillment.events).toEqual([]);

    // A repeated request answers the same AWB: no second call to create.
    const again = await api.post(`/packing-lists/${packingListId}/awb`);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(s.id);
    expect(fake.state.byReference(`EXP-PL${packingListId}`)).toHaveLength(1);

    const t0 = Date.now();
    fake.state.advance(s.awb, '2', 'Picked-Up', 'Cluj-Napoca', new Date(t0 + 1000));
    fake.state.advance(s.awb, '20', 'In Transit', 'Cluj-Napoca', new Date(t0 + 2000));
    const first = await pollDue(core, t, [s.id]);
    // The courier's own 'New' event is logged too; it moves nothing (the shipment is created already).
    expect(first).toMatchObject({ claimed: 1, polled: 1, newEvents: 3, statusChanges: 2 });
    expect((await api.get(`/shipments/${s.id}`)).body.status).toBe('in_transit');
    fake.state.advance(s.awb, '30', 'Out for Delivery', 'Cluj-Napoca', new Date(t0 + 3000));
    fake.state.advance(s.awb, '100', 'Delivered', 'Cluj-Napoca', new Date(t0 + 4000));
    await pollDue(core, t, [s.id]);

    const detail = (await api.get(`/shipments/${s.id}`)).body;
    expect(detail).toMatchObject({ status: 'delivered', lastRawCode: '100', nextPollAt: null, attention: null });
    // In courier time: Innoship's own 'New' was stamped before our AWB row was written.
    expect(detail.statusLog.map((l: { status: string; rawCode: string }) => [l.status, l.rawCode])).toEqual([
      ['created', '1'],
      ['created', 'created'],
      ['picked_up', '2'],
      ['in_transit', '20'],
      ['out_for_delivery', '30'],
      ['delivered', '100'],
    ]);
    expect(detail.statusLog[5].rawPayload.event).toMatchObject({ code: '100', description: 'Delivered' });
    expect(detail.statusLog[5].rawPayload.courier.shipmentAwb).toBe(s.awb);
    expect((await api.get(`/packing-lists/${packingListId}`)).body.status).toBe('delivered');
    expect((await orderRow(core, t, orderId)).status).toBe('delivered');
    const changed = (await outboxKinds(core, t)).filter((k) => k.kind === 'shipment.status_changed' && k.payload.shipmentId === s.id);
    expect(changed.map((k) => k.payload.status)).toEqual(['picked_up', 'in_transit', 'out_for_delivery', 'delivered']);
    expect(changed.every((k) => k.payload.orderId === orderId && typeof k.payload.statusLogId === 'string')).toBe(true);

    // Each mapped tracking status is a fulfillment event on Shopify, at the courier's time; still one fulfillment.
    await core.drainOutbox();
    expect(shopifyFulfillment(stores, orderId).events.map((e) => [e.status, e.happenedAt])).toEqual([
      ['CARRIER_PICKED_UP', new Date(t0 + 1000).toISOString()],
      ['IN_TRANSIT', new Date(t0 + 2000).toISOString()],
      ['OUT_FOR_DELIVERY', new Date(t0 + 3000).toISOString()],
      ['DELIVERED', new Date(t0 + 4000).toISOString()],
    ]);
    await expectWritebacks({ core, t, stores }, orderId, fulfillmentWithEvents(4));

    // Final: not polled again, and a repeated answer adds nothing.
    expect((await pollDue(core, t, [s.id])).claimed).toBe(0);
    expect((await statusLog(core, t, s.id)).length).toBe(6);
  });

  it('a timeout after the courier created the AWB, then a retry, never makes a second AWB; the operator attaches the one found', async () => {
    const { orderId, packingListId } = await readyPackingList();
    const first = await awbAfterCourierTimeout(fake, api, packingListId);
    expect(first.status).toBe(502);
    expect(first.body.error.message).toContain('did not confirm');
    const atCourier = await expectRetryRefused(fake, api, packingListId);
    expect(await shipmentsOf(packingListId)).toEqual([expect.objectContaining({ status: 'creating', awb: null })]);
    const [stall] = await core.sql`select kind, message, fix from stalls where tenant_id = ${t.tenantId} and kind = 'shipment.awb_unconfirmed' and resolved_at is null`;
    expect(stall!.fix).toContain('/resolve');
    expect((await orderRow(core, t, orderId)).status).toBe('ready');

    const [pending] = await shipmentsOf(packingListId);
    const resolved = await api.post(`/shipments/${pending!.id}/resolve`, { awb: atCourier[0]!.awb, courierId: 1 });
    expect(resolved.status).toBe(200);
    expect(resolved.body.shipment).toMatchObject({ status: 'created', awb: atCourier[0]!.awb, hasLabel: true });
    expect(fake.state.byReference(`EXP-PL${packingListId}`)).toHaveLength(1);
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');
    expect((await core.sql`select 1 from stalls where tenant_id = ${t.tenantId} and kind = 'shipment.awb_unconfirmed' and resolved_at is null`).length).toBe(0);
    // The store hears of the one AWB once.
    await core.drainOutbox();
    expect(shopifyFulfillment(stores, orderId).trackingInfo.map((x) => x.number)).toEqual([atCourier[0]!.awb]);
  });

  it('Shopify throttling the fulfillment write-back: retried in the call, then by the outbox, and done once', async () => {
    const { orderId, packingListId } = await readyPackingList();
    const s = (await api.post(`/packing-lists/${packingListId}/awb`)).body;
    const item = async () =>
      (await core.sql<{ status: string; attempts: number; last_error: string | null }[]>`
        select status, attempts, last_error from outbox where tenant_id = ${t.tenantId} and kind = 'writeback.shopify.fulfillment' and payload->>'shipmentId' = ${s.id}`)[0];
    // Throttled more times than one attempt retries in the call (3 calls): the attempt fails and is rescheduled.
    const before = stores.shopify.requests.length;
    stores.shopify.failNext('throttle', 3);
    await core.drainOutbox();
    expect(stores.shopify.requests.length - before).toBe(3);
    expect(await item()).toEqual({ status: 'pending', attempts: 1, last_error: expect.stringContaining('GraphQL THROTTLED') });
    expect(stores.shopify.fulfillments.get(stores.shopifyOrders.get(orderId)!.orderGid)).toBeUndefined();
    // Throttled once more on the retry, which the client waits out within the call.
    stores.shopify.failNext('throttle', 1);
    await core.sql`update outbox set next_attempt_at = now() where tenant_id = ${t.tenantId} and kind = 'writeback.shopify.fulfillment' and payload->>'shipmentId' = ${s.id}`;
    await core.drainOutbox();
    expect(await item()).toEqual({ status: 'done', attempts: 2, last_error: null });
    const f = shopifyFulfillment(stores, orderId);
    expect(f.trackingInfo).toEqual([{ company: 'Innoship', number: s.awb, url: s.trackingUrl }]);
    expect(fulfilledLines(stores, orderId, f)).toEqual([['A-1', 1]]);
    expect((await writebackLog(core, t, orderId)).map((l) => [l.topic, l.outcome])).toEqual([
      ['fulfillment.create', 'error'],
      ['fulfillment.create', 'ok'],
    ]);
    expect((await writebackLog(core, t, orderId))[0]!.error).toContain('still failing after 3 attempts');
    expect(await unfinishedWritebacks(core, t, orderId)).toEqual([]);
  });

  it('cancels an AWB before pickup: packing list ready again, order back to ready, and a new AWB gets a new reference', async () => {
    const { orderId, packingListId } = await readyPackingList();
    const s = (await api.post(`/packing-lists/${packingListId}/awb`)).body;
    const c = await api.post(`/shipments/${s.id}/cancel`);
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    expect(fake.state.shipments.get(s.awb)!.cancelled).toBe(true);
    expect((await api.get(`/packing-lists/${packingListId}`)).body.status).toBe('ready_to_deliver');
    expect((await orderRow(core, t, orderId)).status).toBe('ready');
    const again = await api.post(`/packing-lists/${packingListId}/awb`);
    expect(again.status).toBe(201);
    expect(again.body.reference).toBe(`EXP-PL${packingListId}-2`);
    expect(again.body.awb).not.toBe(s.awb);
    // Picked up: the courier refuses, nothing changes here.
    fake.state.advance(again.body.awb, '2', 'Picked-Up');
    const refused = await api.post(`/shipments/${again.body.id}/cancel`);
    expect(refused.status).toBe(409);
  });

  it('failed attempts and unknown codes are visible: a stall each, flagged in the in-transit report; unknown codes never move the status', async () => {
    const { packingListId } = await readyPackingList();
    const s = (await api.post(`/packing-lists/${packingListId}/awb`)).body;
    const t0 = Date.now();
    fake.state.advance(s.awb, '2', 'Picked-Up', 'Cluj-Napoca', new Date(t0 + 1000));
    fake.state.advance(s.awb, '36', 'Not Home', 'Cluj-Napoca', new Date(t0 + 2000));
    await pollDue(core, t, [s.id]);
    let detail = (await api.get(`/shipments/${s.id}`)).body;
    expect(detail).toMatchObject({ status: 'failed_attempt', attention: 'failed_attempt' });
    const report = await api.get('/reports/awbs-in-transit?attention=true');
    const row = report.body.rows.find((r: { shipmentId: string }) => r.shipmentId === s.id);
    expect(row).toMatchObject({ status: 'failed_attempt', attention: 'failed_attempt', lastEvent: { rawCode: '36', status: 'failed_attempt' } });
    expect(row.ageHours).toBeGreaterThanOrEqual(0);
    expect((await core.sql`select 1 from stalls where tenant_id = ${t.tenantId} and kind = 'shipment.failed_attempt' and subject_id = ${s.id} and resolved_at is null`).length).toBe(1);

    fake.state.advance(s.awb, '999', 'Brand new code', 'Cluj-Napoca', new Date(t0 + 3000));
    await pollDue(core, t, [s.id]);
    detail = (await api.get(`/shipments/${s.id}`)).body;
    expect(detail).toMatchObject({ status: 'failed_attempt', attention: 'unknown_code' });
    expect(detail.attentionDetail).toContain('999');
    expect(detail.statusLog.at(-1)).toMatchObject({ rawCode: '999', status: null });
    const [stall] = await core.sql`select message from stalls where tenant_id = ${t.tenantId} and kind = 'tracking.unknown_code' and subject_id = ${s.id}`;
    expect(stall!.message).toContain('999');

    fake.state.advance(s.awb, '100', 'Delivered', 'Cluj-Napoca', new Date(t0 + 4000));
    await pollDue(core, t, [s.id]);
    expect((await api.get(`/shipments/${s.id}`)).body).toMatchObject({ status: 'delivered', attention: null });
    expect((await core.sql`select 1 from stalls where tenant_id = ${t.tenantId} and kind = 'shipment.failed_attempt' and subject_id = ${s.id} and resolved_at is null`).length).toBe(0);
  });

  it('two tracking workers at once split the due shipments and never apply an event twice; tracking is one Innoship call per ≤200 AWBs', async () => {
    const ids: Array<{ id: string; awb: string }> = [];
    for (let i = 0; i < 3; i++) {
      const { packingListId } = await readyPackingList();
      const s = (await api.post(`/packing-lists/${packingListId}/awb`)).body;
      ids.push({ id: s.id, awb: s.awb });
    }
    const t0 = Date.now();
    for (const { awb } of ids) {
      fake.state.advance(awb, '2', 'Picked-Up', 'Cluj-Napoca', new Date(t0 + 1000));
      fake.state.advance(awb, '20', 'In Transit', 'Cluj-Napoca', new Date(t0 + 2000));
    }
    await makeDue(core, t, ids.map((x) => x.id));
    const trackCalls = () => fake.state.calls.filter((c) => c.path === '/api/Track/by-awb/with-return').length;
    const before = trackCalls();
    const [a, b] = await Promise.all([pollShipments(core.deps, { tenantId: t.tenantId }), pollShipments(core.deps, { tenantId: t.tenantId })]);
    expect(a.claimed + b.claimed).toBe(3);
    expect(a.statusChanges + b.statusChanges).toBe(6);
    expect(trackCalls() - before).toBe((a.claimed > 0 ? 1 : 0) + (b.claimed > 0 ? 1 : 0));
    for (const { id } of ids) {
      const log = await statusLog(core, t, id);
      expect(log.map((l) => l.raw_code)).toEqual(['created', '1', '2', '20']);
    }

    // The same answer applied by two transactions at once (a poll racing the refresh button).
    const { id, awb } = ids[0]!;
    fake.state.advance(awb, '30', 'Out for Delivery', 'Cluj-Napoca', new Date(t0 + 3000));
    const account = await loadCourierAccount(core.sql, core.deps.box, t.tenantId, accountId);
    const [result] = await adapterFor(core.deps, account).track([{ awb, meta: { courierId: 1 } }]);
    await Promise.all([1, 2].map(() => core.sql.begin((tx) => applyTrack(tx, t.tenantId, id, result!, 'poll'))));
    expect((await statusLog(core, t, id)).map((l) => l.raw_code)).toEqual(['created', '1', '2', '20', '30']);
    const outs = (await outboxKinds(core, t)).filter((k) => k.kind === 'shipment.status_changed' && k.payload.shipmentId === id);
    expect(outs.map((k) => k.payload.status)).toEqual(['picked_up', 'in_transit', 'out_for_delivery']);
  });

  it('labels A6 and A4, a batch of labels merged with progress, the hand-over manifest, and quotes', async () => {
    const shipped = await core.sql<{ id: string }[]>`select id::text from shipments where tenant_id = ${t.tenantId} and awb is not null and status <> 'cancelled' order by shipments.id limit 3`;
    expect(shipped.length).toBe(3);
    const a6 = await api.raw(`/shipments/${shipped[0]!.id}/label`);
    expect(a6.status).toBe(200);
    expect(a6.headers.get('content-type')).toBe('application/pdf');
    expect(await pdfPages(new Uint8Array(await a6.arrayBuffer()))).toEqual([[298, 420]]);
    const a4 = await api.raw(`/shipments/${shipped[0]!.id}/label?format=A4`);
    expect(await pdfPages(new Uint8Array(await a4.arrayBuffer()))).toEqual([[595, 842]]);

    const batch = await api.post('/label-batches', { shipmentIds: shipped.map((s) => s.id), format: 'A6' });
    expect(batch.status).toBe(202);
    expect(batch.body).toMatchObject({ total: 3 });
    const done = await waitForBatch(api, batch.body.id);
    expect(done).toMatchObject({ status: 'done', done: 3, total: 3 });
    const merged = await api.raw(done.pdfUrl!.replace('/api/v1', ''));
    const pages = await pdfPages(new Uint8Array(await merged.arrayBuffer()));
    expect(pages).toHaveLength(3);
    expect(pages[0]).toEqual([283, 425]);
    const badBatch = await api.post('/label-batches', { shipmentIds: ['999999'] });
    expect(badBatch.status).toBe(400);
    expect(badBatch.body.error.details[0].path).toBe('shipmentIds[0]');

    const day = new Date().toISOString().slice(0, 10);
    const manifest = await api.raw(`/shipping/manifest?courier=innoship&warehouseId=${t.warehouseId}&day=${day}`);
    expect(manifest.status).toBe(200);
    expect(Number(manifest.headers.get('x-awb-count'))).toBeGreaterThanOrEqual(3);
    expect((await pdfPages(new Uint8Array(await manifest.arrayBuffer())))[0]).toEqual([595, 842]);

    const { packingListId } = await readyPackingList();
    const q = await api.get(`/packing-lists/${packingListId}/quotes`);
    expect(q.status).toBe(200);
    expect(q.body.cheapest.map((x: { price: { amount: string } }) => x.price.amount)).toEqual([...q.body.cheapest.map((x: { price: { amount: string } }) => x.price.amount)].sort((x: string, y: string) => Number(x) - Number(y)));
    expect(q.body.pick.cheapest).toEqual(q.body.cheapest[0]);
    expect(q.body.pick.fastest.estimatedDays).toBe(1);
  });

  it('COD from the order is on the shipment; Innoship COD history marks it collected then settled and the order paid; outstanding COD per courier', async () => {
    const { orderId, packingListId } = await readyPackingList();
    await core.sql`update orders set payment_method = 'Cash on Delivery (COD)', payment_status = 'pending', total = 123.45, currency = 'RON' where tenant_id = ${t.tenantId} and id = ${orderId}`;
    const s = (await api.post(`/packing-lists/${packingListId}/awb`)).body;
    expect(s.cod).toEqual({ amount: '123.45', currency: 'RON' });
    expect(s.codStatus).toBe('pending');
    expect((fake.state.shipments.get(s.awb)!.body as { extra: Record<string, unknown> }).extra).toMatchObject({ bankRepaymentAmount: 123.45 });
    let owed = (await api.get('/reports/outstanding-cod')).body;
    expect(owed.couriers).toEqual([expect.objectContaining({ courier: 'innoship', pendingCount: 1, pendingAmount: '123.45' })]);

    const t0 = Date.now();
    fake.state.advance(s.awb, '100', 'Delivered', 'Cluj-Napoca', new Date(t0 + 1000));
    fake.state.shipments.get(s.awb)!.meta.codHistory = [{ statusId: 2, eventDate: new Date(t0 + 1000).toISOString() }];
    await pollDue(core, t, [s.id]);
    expect((await api.get(`/shipments/${s.id}`)).body.codStatus).toBe('collected');
    expect((await orderRow(core, t, orderId)).payment_status).toBe('paid');
    owed = (await api.get('/reports/outstanding-cod')).body;
    expect(owed.couriers).toEqual([expect.objectContaining({ courier: 'innoship', collectedCount: 1, collectedAmount: '123.45', pendingCount: 0 })]);

    // The payout arrives later; a delivered shipment is polled again only by the operator's refresh.
    fake.state.shipments.get(s.awb)!.meta.codHistory = [{ statusId: 2 }, { statusId: 3, eventDate: new Date(t0 + 5000).toISOString(), reference: 'OP-778' }];
    const refreshed = await api.post(`/shipments/${s.id}/refresh`);
    expect(refreshed.body).toMatchObject({ codStatus: 'settled', codSettlementRef: 'OP-778' });
    expect((await api.get('/reports/outstanding-cod')).body.couriers).toEqual([]);
    const paidInvoice = (await outboxKinds(core, t)).filter((k) => k.kind === 'invoice.issue' && k.payload.orderId === orderId).map((k) => k.payload.trigger);
    expect(paidInvoice).toEqual(['on_shipping', 'on_paid']);
  });
});
