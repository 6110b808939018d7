import { beforeAll, describe, expect, it } from 'vitest';
import { type FakeStores, orderRow, RO_ADDRESS, type shippingApi, unfinishedWritebacks, wooOrderState, writebackLog } from '../shipping/flow-support.ts';
import { readyToShip, startCourierFlow } from '../shipping/support/courier-flow.ts';
import type { CoreHarness, TenantFixture } from '../support/core-harness.ts';
import { makeOutboxDue } from './support.ts';

// Cancel an AWB and issue a new one for the same packing list: the store ends up showing the new
// AWB on the parcel it already knows (Shopify: the same fulfillment, WooCommerce: the tracking item),
// and a cancellation with no new AWB undoes the shipment in the store.

let core: CoreHarness, t: TenantFixture, stores: FakeStores, api: ReturnType<typeof shippingApi>;
beforeAll(async () => {
  ({ core, t, stores, api } = await startCourierFlow('sameday', { timeoutMs: 2000 }));
});

const ready = (channel: 'shopify' | 'woo', lines: Array<[string, number]>) => readyToShip({ core, t, stores }, { channel, lines, courier: 'sameday', service: '7', address: RO_ADDRESS });
const readyShopify = () => ready('shopify', [['A-1', 2], ['A-2', 1]]);
const readyWoo = () => ready('woo', [['Bar3', 1]]);

async function awb(packingListId: string): Promise<{ id: string; awb: string; trackingUrl: string }> {
  const r = await api.post(`/packing-lists/${packingListId}/awb`);
  expect(r.status).toBe(201);
  return r.body;
}

async function cancel(shipmentId: string) {
  const r = await api.post(`/shipments/${shipmentId}/cancel`);
  expect(r.status).toBe(200);
  expect(r.body.status).toBe('cancelled');
}

const fulfillmentsOf = (orderId: string) => stores.shopify.fulfillments.get(stores.shopifyOrders.get(orderId)!.orderGid) ?? [];
const fulfillmentOrdersOf = (orderId: string) => stores.shopify.fulfillmentOrders.get(stores.shopifyOrders.get(orderId)!.orderGid) ?? [];

/** Lets the held-back cancellation write-backs run now (the test's stand-in for the reissue grace period). */
async function afterGrace() {
  await makeOutboxDue(core.sql);
  await core.drainOutbox();
}

async function openStalls() {
  return core.sql<{ kind: string; message: string }[]>`select kind, message from stalls where tenant_id = ${t.tenantId} and resolved_at is null`;
}

describe('Shopify: a cancelled AWB and its replacement', () => {
  it('cancel + new AWB: the one fulfillment Shopify has gets the new AWB as tracking (fulfillmentTrackingInfoUpdate); nothing stalls', async () => {
    const { orderId, packingListId } = await readyShopify();
    const first = await awb(packingListId);
    await core.drainOutbox();
    expect(fulfillmentsOf(orderId).map((f) => [f.status, f.trackingInfo[0]?.number])).toEqual([['SUCCESS', first.awb]]);
    const fulfillmentId = fulfillmentsOf(orderId)[0]!.id;

    await cancel(first.id);
    await core.drainOutbox();
    // Held back for a reissue: Shopify still shows the first AWB.
    expect(fulfillmentsOf(orderId).map((f) => [f.status, f.trackingInfo[0]?.number])).toEqual([['SUCCESS', first.awb]]);

    const second = await awb(packingListId);
    expect(second.awb).not.toBe(first.awb);
    await core.drainOutbox();
    const made = fulfillmentsOf(orderId);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ id: fulfillmentId, status: 'SUCCESS', trackingInfo: [{ company: 'Sameday', number: second.awb, url: second.trackingUrl }] });
    expect(made[0]!.trackingHistory).toEqual([[{ company: 'Sameday', number: first.awb, url: first.trackingUrl }]]);
    expect(made[0]!.trackingUpdateNotified).toEqual([true]);
    expect(made[0]!.lineItems.map((l) => l.quantity).sort()).toEqual([1, 2]);

    // After the grace period the first AWB's cancellation finds it replaced and leaves Shopify alone.
    await afterGrace();
    expect(fulfillmentsOf(orderId).map((f) => [f.id, f.status, f.trackingInfo[0]?.number])).toEqual([[fulfillmentId, 'SUCCESS', second.awb]]);
    expect((await writebackLog(core, t, orderId)).map((l) => [l.topic, l.outcome])).toEqual([
      ['fulfillment.create', 'ok'],
      ['fulfillment.create', 'ok'],
      ['fulfillment.cancel', 'ignored'],
    ]);
    const [moved] = await core.sql<{ details: { outcome: string; retargeted: { fulfillmentId: string; from: string[] }[] } }[]>`
      select details from sync_log where tenant_id = ${t.tenantId} and topic = 'fulfillment.create' and details->>'awb' = ${second.awb}`;
    expect(moved!.details).toMatchObject({ outcome: 'tracking_updated', retargeted: [{ fulfillmentId, from: [first.awb] }] });
    expect(await unfinishedWritebacks(core, t, orderId)).toEqual([]);
    expect(await openStalls()).toEqual([]);
    expect((await orderRow(core, t, orderId)).status).toBe('shipping');
  });

  it('cancel with no new AWB: the fulfillment is cancelled (fulfillmentCancel) so its lines are open again; a later AWB fulfils them anew', async () => {
    const { orderId, packingListId } = await readyShopify();
    const first = await awb(packingListId);
    await core.drainOutbox();
    expect(fulfillmentOrdersOf(orderId).map((fo) => fo.status)).toEqual(['CLOSED']);

    await cancel(first.id);
    await core.drainOutbox();
    await afterGrace();
    expect(fulfillmentsOf(orderId).map((f) => [f.status, f.trackingInfo[0]?.number])).toEqual([['CANCELLED', first.awb]]);
    const open = fulfillmentOrdersOf(orderId).filter((fo) => fo.status === 'OPEN');
    expect(open).toHaveLength(1);
    expect(open[0]!.lineItems.map((l) => l.remainingQuantity).sort()).toEqual([1, 2]);
    expect((await writebackLog(core, t, orderId)).map((l) => [l.topic, l.outcome])).toEqual([
      ['fulfillment.create', 'ok'],
      ['fulfillment.cancel', 'ok'],
    ]);
    expect((await orderRow(core, t, orderId)).status).toBe('ready');

    // Issued days later: a fresh fulfillment on the reopened lines, not a stall.
    const second = await awb(packingListId);
    await core.drainOutbox();
    const live = fulfillmentsOf(orderId).filter((f) => f.status === 'SUCCESS');
    expect(live.map((f) => f.trackingInfo[0]?.number)).toEqual([second.awb]);
    expect(await unfinishedWritebacks(core, t, orderId)).toEqual([]);
    expect(await openStalls()).toEqual([]);
  });

  it('an AWB cancelled before its write-back ran never reaches Shopify; the new AWB is the only fulfillment', async () => {
    const { orderId, packingListId } = await readyShopify();
    const first = await awb(packingListId);
    await cancel(first.id);
    const second = await awb(packingListId);
    await core.drainOutbox();
    await afterGrace();
    expect(fulfillmentsOf(orderId).map((f) => [f.status, f.trackingInfo[0]?.number])).toEqual([['SUCCESS', second.awb]]);
    expect(await unfinishedWritebacks(core, t, orderId)).toEqual([]);
    expect(await openStalls()).toEqual([]);
  });
});

describe('WooCommerce: a cancelled AWB and its replacement', () => {
  it('cancel + new AWB: the tracking meta holds only the new AWB, and the customer gets a note naming it', async () => {
    const { orderId, packingListId } = await readyWoo();
    const first = await awb(packingListId);
    await core.drainOutbox();
    expect((await wooOrderState(core, t, stores, orderId)).tracking?.map((i) => i.tracking_number)).toEqual([first.awb]);

    await cancel(first.id);
    await core.drainOutbox();
    const second = await awb(packingListId);
    await core.drainOutbox();
    await afterGrace();

    const woo = await wooOrderState(core, t, stores, orderId);
    expect(woo.tracking).toEqual([expect.objectContaining({ tracking_number: second.awb, custom_tracking_provider: 'Sameday', custom_tracking_link: second.trackingUrl })]);
    expect(woo.customerNotes).toHaveLength(2);
    expect(woo.customerNotes[0]).toContain(first.awb);
    expect(woo.customerNotes[1]).toContain(second.awb);
    expect(woo.customerNotes[1]).toContain(first.awb);
    expect(woo.customerNotes[1]).toContain(second.trackingUrl);
    expect((await writebackLog(core, t, orderId)).map((l) => [l.topic, l.outcome]).filter(([topic]) => topic !== 'order.status')).toEqual([
      ['order.shipped', 'ok'],
      ['order.shipped', 'ok'],
      ['order.shipment_cancelled', 'ignored'],
    ]);
    expect(await unfinishedWritebacks(core, t, orderId)).toEqual([]);
    expect(await openStalls()).toEqual([]);
  });

  it('cancel with no new AWB: the AWB leaves the tracking meta and the customer gets a note that the shipment was cancelled', async () => {
    const { orderId, packingListId } = await readyWoo();
    const first = await awb(packingListId);
    await core.drainOutbox();
    await cancel(first.id);
    await core.drainOutbox();
    await afterGrace();
    const woo = await wooOrderState(core, t, stores, orderId);
    expect(woo.tracking).toEqual([]);
    expect(woo.customerNotes).toHaveLength(2);
    expect(woo.customerNotes[1]).toContain(first.awb);
    expect(woo.customerNotes[1]).toContain('anulată');
    // A redelivered write-back changes nothing more.
    await core.sql`update outbox set status = 'pending', next_attempt_at = now(), done_at = null where tenant_id = ${t.tenantId} and kind = 'writeback.woocommerce.cancelled' and payload->>'orderId' = ${orderId}`;
    await core.drainOutbox();
    expect((await wooOrderState(core, t, stores, orderId)).customerNotes).toHaveLength(2);
    expect(await unfinishedWritebacks(core, t, orderId)).toEqual([]);
  });
});
