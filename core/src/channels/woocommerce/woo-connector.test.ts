import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWooCommerce, startFakeWooCommerce } from '../../../../test/fakes/woocommerce/fake-woocommerce.ts';
import { makeWooOrder, type WooOrder } from '../../../../test/fakes/woocommerce/make-woo-order.ts';
import type { DomainError } from '../../shared/domain-error.ts';
import type { ShippedParcel } from '../shop-connector.ts';
import { TRACKING_META_KEY } from './push-woo-shipment.ts';
import { createWooConnector, wooPlatform } from './woo-connector.ts';

const KEY = 'ck_conn';
const SECRET = 'cs_conn';
let woo: FakeWooCommerce;

/** Order n modified at 2024-05-01 10:00:00 + n minutes. */
function orderAt(id: number, minute: number, over: Partial<WooOrder> = {}): WooOrder {
  const t = new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString().slice(0, 19);
  return makeWooOrder({ id, date_created_gmt: t, date_modified_gmt: t, date_created: t, date_modified: t, ...over });
}

beforeAll(async () => {
  woo = await startFakeWooCommerce({ consumerKey: KEY, consumerSecret: SECRET });
});
afterAll(async () => {
  await woo.close();
});

function connector(over: Record<string, unknown> = {}) {
  return createWooConnector({ baseUrl: woo.url, consumerKey: KEY, consumerSecret: SECRET, perPage: 2, sleep: async () => {}, ...over });
}

describe('createWooConnector.pullOrders', () => {
  it('pages through X-WP-TotalPages one page per call, then resumes from the newest date_modified_gmt', async () => {
    woo.orders.clear();
    // Inserted out of order: the store sorts by modification time.
    for (const [id, minute] of [[105, 5], [101, 1], [103, 3], [102, 2], [104, 4], [106, 6], [107, 7]] as const) {
      woo.upsertOrder(orderAt(id, minute));
    }
    woo.upsertOrder(orderAt(108, 8, { status: 'checkout-draft' }));
    const c = connector();

    const seen: string[] = [];
    let cursor: string | null = null;
    let calls = 0;
    for (;;) {
      const page = await c.pullOrders(cursor);
      calls++;
      seen.push(...page.orders.map((o) => o.externalOrderId));
      cursor = page.nextCursor;
      if (page.done) break;
    }
    expect(calls).toBe(4);
    // The checkout draft is listed by the store but never handed to intake.
    expect(seen).toEqual(['101', '102', '103', '104', '105', '106', '107']);
    expect(JSON.parse(cursor!)).toEqual({ since: '2024-05-01T10:08:00.000Z', page: 1 });

    const listCalls = woo.requests.filter((r) => r.path === '/wp-json/wc/v3/orders').slice(-4);
    expect(listCalls.map((r) => r.query['page'])).toEqual(['1', '2', '3', '4']);
    expect(listCalls[0]!.query).toMatchObject({
      modified_after: '1970-01-01T00:00:00',
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: '2',
    });

    // Next run: only what changed since, starting a second early (modified_after is strict).
    woo.upsertOrder(orderAt(102, 20, { status: 'completed' }));
    const next = await c.pullOrders(cursor);
    expect(woo.requests.at(-1)!.query['modified_after']).toBe('2024-05-01T10:07:59');
    expect(next.orders.map((o) => [o.externalOrderId, o.platformStatus])).toEqual([['102', 'completed']]);
    expect(next.done).toBe(true);
    expect(JSON.parse(next.nextCursor!)).toEqual({ since: '2024-05-01T10:20:00.000Z', page: 1 });
  });

  it('resumes a pass in the middle from a stored cursor', async () => {
    woo.orders.clear();
    for (let i = 1; i <= 5; i++) woo.upsertOrder(orderAt(200 + i, i));
    const cursor = JSON.stringify({ since: '2024-05-01T10:00:00.000Z', page: 2, maxSeen: '2024-05-01T10:02:00.000Z' });
    const page = await connector().pullOrders(cursor);
    expect(page.orders.map((o) => o.externalOrderId)).toEqual(['203', '204']);
    expect(page.done).toBe(false);
    expect(JSON.parse(page.nextCursor!)).toEqual({ since: '2024-05-01T10:00:00.000Z', page: 3, maxSeen: '2024-05-01T10:04:00.000Z' });
  });

  it('starts from initialSince on the first run and accepts a bare ISO cursor', async () => {
    woo.orders.clear();
    for (let i = 1; i <= 3; i++) woo.upsertOrder(orderAt(300 + i, i * 10));
    const first = await connector({ initialSince: '2024-05-01T10:15:00Z', perPage: 100 }).pullOrders(null);
    expect(first.orders.map((o) => o.externalOrderId)).toEqual(['302', '303']);
    expect(first.done).toBe(true);
    const iso = await connector({ perPage: 100 }).pullOrders('2024-05-01T10:25:00Z');
    expect(iso.orders.map((o) => o.externalOrderId)).toEqual(['303']);
  });

  it('returns done with the cursor unchanged when nothing changed', async () => {
    woo.orders.clear();
    const page = await connector().pullOrders(JSON.stringify({ since: '2024-05-01T10:00:00.000Z', page: 1 }));
    expect(page).toEqual({ orders: [], done: true, nextCursor: JSON.stringify({ since: '2024-05-01T10:00:00.000Z', page: 1 }) });
  });

  it('works in query-string auth mode against a host that strips Authorization', async () => {
    const strip = await startFakeWooCommerce({ consumerKey: KEY, consumerSecret: SECRET, stripAuthorizationHeader: true, orders: [orderAt(401, 1)] });
    try {
      const opts = { baseUrl: strip.url, consumerKey: KEY, consumerSecret: SECRET };
      await expect(createWooConnector(opts).pullOrders(null)).rejects.toMatchObject({ code: 'NEEDS_RECONNECT' });
      const page = await createWooConnector({ ...opts, authMode: 'query' }).pullOrders(null);
      expect(page.orders.map((o) => o.externalOrderId)).toEqual(['401']);
    } finally {
      await strip.close();
    }
  });

  it('fails the page on a malformed order unless onInvalidOrder is given, which skips it', async () => {
    woo.orders.clear();
    woo.upsertOrder(orderAt(501, 1));
    woo.upsertOrder(orderAt(502, 2, { total: 'lots' }));
    await expect(connector({ perPage: 100 }).pullOrders(null)).rejects.toMatchObject({ code: 'VALIDATION' });
    const bad: string[] = [];
    const page = await connector({ perPage: 100, onInvalidOrder: (id: string, e: DomainError) => bad.push(`${id}:${e.details[0]?.path}`) }).pullOrders(null);
    expect(page.orders.map((o) => o.externalOrderId)).toEqual(['501']);
    expect(bad).toEqual(['502:total']);
    expect(JSON.parse(page.nextCursor!).since).toBe('2024-05-01T10:02:00.000Z');
  });

  it('rejects a cursor that is not its own', async () => {
    await expect(connector().pullOrders('{not json')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(connector().pullOrders('yesterday')).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('createWooConnector pushes', () => {
  const parcel = (over: Partial<ShippedParcel> = {}): ShippedParcel => ({
    orderId: '601',
    awb: 'AWB-9',
    courierName: 'FAN Courier',
    trackingUrl: 'https://track.example/AWB-9',
    shippedAt: new Date('2025-01-02T10:00:00Z'),
    lines: [],
    replacesAwbs: [],
    notifyCustomer: true,
    storeStatus: 'processing',
    customerNote: 'Parcel AWB-9 is on its way',
    ...over,
  });
  const tracking = () => (woo.orders.get(601)!.meta_data.find((m) => m.key === TRACKING_META_KEY)?.value ?? []) as { tracking_number: string }[];
  const customerNotes = () => (woo.notes.get(601) ?? []).filter((n) => n.customer_note).map((n) => n.note);

  it('writes the tracking item, the status and one customer note; a retry writes nothing more', async () => {
    woo.upsertOrder(orderAt(601, 1, { status: 'on-hold' }));
    const c = connector();
    expect(await c.pushShipped(parcel())).toMatchObject({ outcome: 'ok', trackingWritten: true, statusChangedTo: 'processing', notePosted: true });
    expect(await c.pushShipped(parcel())).toMatchObject({ outcome: 'ok', trackingWritten: false, statusChangedTo: null, notePosted: false });
    expect(tracking().map((t) => t.tracking_number)).toEqual(['AWB-9']);
    expect(woo.orders.get(601)!.status).toBe('processing');
    expect(customerNotes()).toEqual(['Parcel AWB-9 is on its way']);
  });

  it('replaces a cancelled AWB’s tracking item, and takes a void AWB out with its note', async () => {
    const c = connector();
    expect(await c.pushShipped(parcel({ awb: 'AWB-10', replacesAwbs: ['AWB-9'], customerNote: 'New AWB-10' }))).toMatchObject({ trackingRemoved: ['AWB-9'] });
    expect(tracking().map((t) => t.tracking_number)).toEqual(['AWB-10']);
    expect(await c.pushShipmentCancelled({ orderId: '601', awb: 'AWB-10', customerNote: 'AWB-10 cancelled' })).toMatchObject({ outcome: 'ok', trackingRemoved: true, notePosted: true });
    expect(await c.pushShipmentCancelled({ orderId: '601', awb: 'AWB-10', customerNote: 'AWB-10 cancelled' })).toMatchObject({ trackingRemoved: false, notePosted: false });
    expect(tracking()).toEqual([]);
  });

  it('moves the order status once and never out of a final status', async () => {
    const c = connector();
    expect(await c.pushOrderStatus!('601', 'completed')).toEqual({ outcome: 'ok', from: 'processing', to: 'completed', changed: true });
    expect(await c.pushOrderStatus!('601', 'processing')).toEqual({ outcome: 'skipped', from: 'completed', to: 'processing', changed: false });
    expect(woo.orders.get(601)!.status).toBe('completed');
  });

  it('its platform maps order statuses through the channel’s status_map_out and takes no tracking events', () => {
    expect(wooPlatform.orderStatus!.storeStatusFor('delivered', {})).toEqual({ status: 'completed', problem: null });
    expect(wooPlatform.orderStatus!.storeStatusFor('delivered', { delivered: 'wc-delivered' }).status).toBe('delivered');
    expect(wooPlatform.orderStatus!.storeStatusFor('delivered', { delivered: 'not a slug!' })).toMatchObject({ status: 'completed', problem: expect.stringContaining('status_map_out.delivered') });
    expect(wooPlatform.trackingEvent).toBeUndefined();
    expect(wooPlatform.shipped.outboxKind).toBe('writeback.woocommerce.shipped');
    expect(wooPlatform.orderState?.outboxKind).toBe('writeback.woocommerce.order_state');
  });
});

describe('createWooConnector hold', () => {
  it('a release without the status the order had (the order-state write-back keeps none) goes back to processing; a status kept wins', async () => {
    woo.upsertOrder(orderAt(612, 1, { status: 'on-hold' }));
    const c = connector();
    expect(await c.releaseHold('612', { heldIds: [], previousStatus: null })).toEqual({ outcome: 'released', from: 'on-hold', to: 'processing' });
    expect(woo.orders.get(612)!.status).toBe('processing');
    woo.upsertOrder(orderAt(613, 1, { status: 'on-hold' }));
    expect(await c.releaseHold('613', { heldIds: [], previousStatus: 'pending' })).toMatchObject({ to: 'pending' });
    expect(woo.orders.get(613)!.status).toBe('pending');
  });

  it('cancels the order with a private note saying why, once; an order the merchant completed or refunded stays as it is', async () => {
    woo.upsertOrder(orderAt(614, 1, { status: 'processing' }));
    const c = connector();
    const cancel = { orderId: '614', reason: 'client changed their mind', rejected: false, notifyCustomer: false, restock: true };
    expect(await c.pushOrderCancelled!(cancel)).toEqual({ outcome: 'cancelled', from: 'processing' });
    expect(woo.orders.get(614)!.status).toBe('cancelled');
    // WooCommerce adds its own "status changed" note; ours is the private one with the reason.
    const ours = () => (woo.notes.get(614) ?? []).filter((n) => n.note.includes('Expedio')).map((n) => [n.note, n.customer_note]);
    expect(ours()).toEqual([['Cancelled in Expedio: client changed their mind', false]]);
    expect(await c.pushOrderCancelled!(cancel)).toEqual({ outcome: 'already_done', from: 'cancelled' });
    expect(ours()).toHaveLength(1);

    woo.upsertOrder(orderAt(615, 1, { status: 'refunded' }));
    expect(await c.pushOrderCancelled!({ ...cancel, orderId: '615', rejected: true })).toEqual({ outcome: 'already_done', from: 'refunded' });
    expect(woo.orders.get(615)!.status).toBe('refunded');
  });

  it('moves the order to on-hold and back to the status it had; never out of a final status', async () => {
    woo.upsertOrder(orderAt(602, 1, { status: 'processing' }));
    const c = connector();
    const held = await c.pushHold('602', 'customer asked to wait');
    expect(held).toEqual({ outcome: 'held', from: 'processing', held: { heldIds: [], previousStatus: 'processing' } });
    expect(woo.orders.get(602)!.status).toBe('on-hold');
    expect(await c.pushHold('602', 'again')).toMatchObject({ outcome: 'already_done', held: { previousStatus: null } });
    expect(await c.releaseHold('602', held.held)).toEqual({ outcome: 'released', from: 'on-hold', to: 'processing' });
    expect(woo.orders.get(602)!.status).toBe('processing');
    expect(await c.releaseHold('602', held.held)).toEqual({ outcome: 'already_done', from: 'processing' });

    woo.upsertOrder(orderAt(603, 1, { status: 'completed' }));
    expect(await c.pushHold('603', 'late')).toMatchObject({ outcome: 'already_done', from: 'completed' });
    expect(woo.orders.get(603)!.status).toBe('completed');
  });
});
