import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeShopify, startFakeShopify } from '../../../../test/fakes/shopify/fake-shopify.ts';
import { makeShopifyGraphqlTestOrder } from '../../../../test/fakes/shopify/shopify-order-fixtures.ts';
import { DomainError } from '../../shared/domain-error.ts';
import type { ShippedParcel, ShopConnector } from '../shop-connector.ts';
import { createShopifyConnector, decodeShopifyCursor, shopifyPlatform } from './shopify-connector.ts';

const shopDomain = 'sync-test.myshopify.com';
let fake: FakeShopify;

const t = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
const idOf = (n: number) => String(9_000_000_000_000_000_000n + BigInt(n));

beforeAll(async () => {
  fake = await startFakeShopify({ shopDomain, accessToken: 'shpat_sync', restoreRate: 100_000 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.orders.clear();
  for (let n = 1; n <= 7; n++) fake.upsertOrder(makeShopifyGraphqlTestOrder(n, t(n)));
});

const connector = (over: Partial<Parameters<typeof createShopifyConnector>[0]> = {}): ShopConnector =>
  createShopifyConnector({ shopDomain, accessToken: 'shpat_sync', baseUrl: fake.url, pageSize: 3, sleep: async () => {}, ...over });

async function drain(c: ShopConnector, cursor: string | null, between?: (page: number) => void) {
  const seen: { id: string; updatedAt: string }[] = [];
  let page = 0;
  for (;;) {
    const res = await c.pullOrders(cursor);
    seen.push(...res.orders.map((o) => ({ id: o.externalOrderId, updatedAt: o.updatedAt })));
    cursor = res.nextCursor;
    page++;
    if (res.done) return { seen, cursor, pages: page };
    between?.(page);
  }
}

describe('createShopifyConnector.pullOrders', () => {
  it('pages through all orders oldest-updated first and ends with a cursor at the newest updated_at', async () => {
    const { seen, cursor, pages } = await drain(connector(), null);
    expect(pages).toBe(3);
    expect(seen.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6, 7].map(idOf));
    expect(decodeShopifyCursor(cursor)).toEqual({ since: t(7), after: null, maxSeen: t(7) });
    const q = fake.requests.at(-1)!.variables;
    expect(q['query']).toBe("updated_at:>='1970-01-01T00:00:00.000Z'");
  });

  it('meets an order again when it is updated while the sweep is paging, and resumes from the newest time', async () => {
    const { seen, cursor } = await drain(connector(), null, (page) => {
      if (page === 1) {
        // order 2 was already delivered on page 1; order 5 has not been reached yet
        fake.upsertOrder(makeShopifyGraphqlTestOrder(2, t(30), { displayFinancialStatus: 'REFUNDED' }));
        fake.upsertOrder(makeShopifyGraphqlTestOrder(5, t(31)));
      }
    });
    expect(seen.map((s) => s.id)).toEqual([1, 2, 3, 4, 6, 7, 2, 5].map(idOf));
    expect(seen.filter((s) => s.id === idOf(5))).toEqual([{ id: idOf(5), updatedAt: t(31) }]);
    expect(decodeShopifyCursor(cursor).since).toBe(t(31));

    // The next sweep starts at the newest updated_at: only the order(s) at that instant come back.
    const next = await drain(connector(), cursor);
    expect(next.seen.map((s) => s.id)).toEqual([idOf(5)]);

    fake.upsertOrder(makeShopifyGraphqlTestOrder(3, t(40)));
    const after = await drain(connector(), next.cursor);
    expect(after.seen.map((s) => s.id)).toEqual([idOf(5), idOf(3)]);
  });

  it('starts from initialSince when there is no cursor, and accepts a bare ISO time as a cursor', async () => {
    expect((await drain(connector({ initialSince: t(6) }), null)).seen.map((s) => s.id)).toEqual([6, 7].map(idOf));
    expect((await drain(connector(), t(5))).seen.map((s) => s.id)).toEqual([5, 6, 7].map(idOf));
  });

  it('an empty store ends at once and keeps the old since', async () => {
    fake.orders.clear();
    const res = await connector().pullOrders(JSON.stringify({ since: t(3), after: null, maxSeen: t(3) }));
    expect(res).toEqual({ orders: [], nextCursor: JSON.stringify({ since: t(3), after: null, maxSeen: t(3) }), done: true });
  });

  it('fetches the remaining line items of a long order in follow-up calls', async () => {
    fake.orders.clear();
    const base = makeShopifyGraphqlTestOrder(1, t(1));
    const template = (base['lineItems'] as { nodes: Record<string, unknown>[] }).nodes[0]!;
    const nodes = Array.from({ length: 7 }, (_, i) => ({ ...template, id: `gid://shopify/LineItem/${i + 1}`, sku: `SKU-${i + 1}` }));
    fake.upsertOrder({ ...base, lineItems: { nodes } });
    const res = await connector({ lineItemsPageSize: 3 }).pullOrders(null);
    expect(res.orders[0]!.lines.map((l) => l.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5', 'SKU-6', 'SKU-7']);
  });

  it('the default page sizes stay under Shopify’s 1000-point single-query limit', async () => {
    await expect(createShopifyConnector({ shopDomain, accessToken: 'shpat_sync', baseUrl: fake.url }).pullOrders(null)).resolves.toMatchObject({
      orders: [{ externalOrderId: idOf(1) }, { externalOrderId: idOf(2) }, { externalOrderId: idOf(3) }],
    });
  });

  it('reports a revoked token as NEEDS_RECONNECT', async () => {
    const err = await connector({ accessToken: 'shpat_old' }).pullOrders(null).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('NEEDS_RECONNECT');
  });

  it('names the order when a pulled node cannot be mapped', async () => {
    fake.upsertOrder(makeShopifyGraphqlTestOrder(8, t(8), { currencyCode: null }));
    const err = await drain(connector(), null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toMatch(/Shopify order #1008 of sync-test\.myshopify\.com: .*currencyCode/);
  });

  it('refuses an unreadable cursor', async () => {
    await expect(connector().pullOrders('garbage')).rejects.toThrow(/cursor/);
  });
});

describe('createShopifyConnector pushes', () => {
  const orderId = '7001';
  const orderGid = `gid://shopify/Order/${orderId}`;
  const line = 'gid://shopify/LineItem/71';
  const parcel = (over: Partial<ShippedParcel> = {}): ShippedParcel => ({
    orderId,
    awb: 'AWB-1',
    courierName: 'Sameday',
    trackingUrl: 'https://track.example/AWB-1',
    shippedAt: new Date('2025-01-02T10:00:00Z'),
    lines: [{ externalLineId: line, quantity: 2, label: 'SKU-71' }],
    replacesAwbs: [],
    notifyCustomer: false,
    storeStatus: null,
    customerNote: 'not used by Shopify',
    ...over,
  });
  const live = () => (fake.fulfillments.get(orderGid) ?? []).filter((f) => f.status === 'SUCCESS');

  it('creates one fulfillment with the tracking, and a retry creates nothing more', async () => {
    fake.setFulfillmentOrders(orderGid, [{ lines: [{ lineItemId: line, quantity: 2 }] }]);
    const c = connector();
    expect(await c.pushShipped(parcel())).toMatchObject({ outcome: 'created', shortfalls: [] });
    expect(await c.pushShipped(parcel())).toMatchObject({ outcome: 'already_done' });
    expect(live()).toHaveLength(1);
    expect(live()[0]!.trackingInfo).toEqual([{ company: 'Sameday', number: 'AWB-1', url: 'https://track.example/AWB-1' }]);
  });

  it('moves the fulfillment to a reissued AWB instead of fulfilling twice', async () => {
    const r = await connector().pushShipped(parcel({ awb: 'AWB-2', trackingUrl: null, replacesAwbs: ['AWB-1'] }));
    expect(r).toMatchObject({ outcome: 'tracking_updated', retargeted: [{ from: ['AWB-1'] }] });
    expect(live().map((f) => f.trackingInfo[0]!.number)).toEqual(['AWB-2']);
  });

  it('adds a tracking event once, and skips a status Shopify has no event for', async () => {
    const c = connector();
    const e = { orderId, awb: 'AWB-2', trackingStatus: 'out_for_delivery', happenedAt: '2025-01-03T08:00:00.000Z', message: 'with the courier' };
    expect(await c.pushTrackingEvent!(e)).toMatchObject({ outcome: 'created', status: 'OUT_FOR_DELIVERY' });
    expect(await c.pushTrackingEvent!(e)).toMatchObject({ outcome: 'already_done' });
    expect(live()[0]!.events.map((x) => x.status)).toEqual(['OUT_FOR_DELIVERY']);
    expect(await c.pushTrackingEvent!({ ...e, trackingStatus: 'exception' })).toEqual({ outcome: 'skipped', reason: 'no Shopify event for exception' });
  });

  it('cancels the fulfillment of a void AWB, once', async () => {
    const c = connector();
    expect(await c.pushShipmentCancelled({ orderId, awb: 'AWB-2', customerNote: '' })).toMatchObject({ outcome: 'cancelled' });
    expect(live()).toEqual([]);
    expect(await c.pushShipmentCancelled({ orderId, awb: 'AWB-2', customerNote: '' })).toMatchObject({ outcome: 'already_done', fulfillmentIds: [] });
  });

  it('refuses a parcel whose lines have no Shopify line item id, before calling Shopify', async () => {
    const before = fake.requests.length;
    const err = await connector()
      .pushShipped(parcel({ lines: [{ externalLineId: null, quantity: 1, label: 'GIFT-1' }] }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION', message: 'order lines GIFT-1 have no Shopify line item id' });
    expect(fake.requests.length).toBe(before);
  });

  it('its platform names the outbox kinds and takes tracking events, not order statuses', () => {
    expect(shopifyPlatform.shipped.outboxKind).toBe('writeback.shopify.fulfillment');
    expect(shopifyPlatform.trackingEvent!.storeEventFor('delivered')).toBe('DELIVERED');
    expect(shopifyPlatform.trackingEvent!.storeEventFor('created')).toBeNull();
    expect(shopifyPlatform.orderStatus).toBeUndefined();
  });
});

describe('createShopifyConnector hold', () => {
  const orderId = '7002';
  const orderGid = `gid://shopify/Order/${orderId}`;
  const statuses = () => (fake.fulfillmentOrders.get(orderGid) ?? []).map((fo) => fo.status);

  it('holds the open fulfillment orders and one held by someone else (beside their hold), and releases only its own holds', async () => {
    const [, , closed] = fake.setFulfillmentOrders(orderGid, [
      { lines: [{ lineItemId: 'gid://shopify/LineItem/81', quantity: 1 }] },
      { status: 'ON_HOLD', lines: [{ lineItemId: 'gid://shopify/LineItem/82', quantity: 1 }] },
      { status: 'CLOSED', lines: [{ lineItemId: 'gid://shopify/LineItem/83', quantity: 1 }] },
    ]);
    const c = connector();
    const held = await c.pushHold(orderId, 'customer asked to wait');
    expect(held).toMatchObject({ outcome: 'held', held: { heldIds: [expect.stringContaining('FulfillmentOrder'), expect.stringContaining('FulfillmentOrder')], previousStatus: null } });
    expect(statuses()).toEqual(['ON_HOLD', 'ON_HOLD', 'CLOSED']);
    const [, merchants] = fake.fulfillmentOrders.get(orderGid)!;
    expect(merchants!.holds.map((h) => h.heldByRequestingApp)).toEqual([false, true]);
    expect(await c.pushHold(orderId, 'again')).toMatchObject({ outcome: 'already_done', held: { heldIds: [] } });

    expect(await c.releaseHold(orderId, held.held)).toMatchObject({ outcome: 'released', fulfillmentOrderIds: held.held.heldIds });
    expect(statuses()).toEqual(['OPEN', 'ON_HOLD', 'CLOSED']);
    expect(merchants!.holds.map((h) => h.heldByRequestingApp)).toEqual([false]);
    expect(await c.releaseHold(orderId, held.held)).toMatchObject({ outcome: 'already_done' });
    expect(closed!.status).toBe('CLOSED');
  });

  it('names the order Shopify does not have', async () => {
    await expect(connector().pushHold('7999', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
