import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeLocation, FakeVariant } from '../fakes/shopify/fake-shopify-catalog.ts';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import type { FakeWooProduct } from '../fakes/woocommerce/fake-woo-products.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { connectShopifyFake, connectWooFake, mapShopifyLocation, setPushStock, syncCatalog } from '../support/store-catalog-helpers.ts';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../support/core-harness.ts';
import { placeShopifyOrder, tenantCalls } from '../support/shop-helpers.ts';
import { makeOutboxDue } from './support.ts';

let core: CoreHarness;
let t: TenantFixture;
let shop: FakeShopify;
let woo: FakeWooCommerce;
let a2: FakeVariant;
let a4: FakeVariant;
let depot: FakeLocation;
let other: FakeLocation;
let a3: FakeWooProduct;
const { post } = tenantCalls(() => core);

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  shop = await startFakeShopify({ shopDomain: t.shopify.shopDomain, accessToken: 'shpat_stock', bucketSize: 2000, restoreRate: 1000, retryAfterSeconds: '0' });
  woo = await startFakeWooCommerce({ consumerKey: 'ck_test', consumerSecret: 'cs_test', retryAfterSeconds: 0 });
  await connectShopifyFake(core, t, shop);
  await connectWooFake(core, t, woo);
  depot = shop.catalog.addLocation('Depozit');
  other = shop.catalog.addLocation('Magazin fizic');
  [a2] = shop.catalog.addProduct({ title: 'Product A-2', variants: [{ sku: 'A-2', barcode: '590A-2', grams: 500, available: 7 }] }) as [FakeVariant];
  [a4] = shop.catalog.addProduct({ title: 'Product A-4', variants: [{ sku: 'A-4', barcode: '590A-4', grams: 500, available: 7 }] }) as [FakeVariant];
  a3 = woo.catalog.addProduct({ name: 'Product A-3', sku: 'A-3', globalUniqueId: '590A-3', weight: '0.5' });
  await syncCatalog(core, t, t.shopify.channelId);
  await syncCatalog(core, t, t.woo.channelId);
  await mapShopifyLocation(core, t, depot.id, t.warehouseId);
});
afterAll(async () => {
  await shop.close();
  await woo.close();
});

const receive = async (sku: string, quantity: number) => {
  const res = await post(t, '/stock-receipts', { warehouseId: t.warehouseId, reference: `NIR ${sku}`, lines: [{ sku, binCode: 'B-01', quantity }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
};
const pushes = async () => (await core.sql`select count(*)::int as n from outbox where tenant_id = ${t.tenantId} and kind = 'channel.stock_push'`)[0]!.n as number;
const shopAvailable = () => shop.catalog.available(a2.inventoryItemId, depot.id);

describe('stock levels back to the store', () => {
  it('with pushStock off (the default), a receipt queues nothing and the stores keep their numbers', async () => {
    const settings = await core.api(`/api/v1/channels/${t.shopify.channelId}/settings`, { key: t.apiKey });
    expect(settings.body.pushStock).toBe(false);
    await receive('A-2', 5);
    await receive('A-3', 5);
    await core.drainOutbox();
    expect(await pushes()).toBe(0);
    expect(shopAvailable()).toBe(7);
    expect(woo.catalog.stockUpdates).toHaveLength(0);
  });

  it('after a receipt, Shopify gets "available" at the mapped location only, with the compare-and-set of the API version', async () => {
    await setPushStock(core, t, t.shopify.channelId, true);
    await receive('A-2', 5);
    await core.drainOutbox();
    expect(shopAvailable()).toBe(110);
    // The unmapped location is left as the shop had it.
    expect(shop.catalog.available(a2.inventoryItemId, other.id)).toBe(7);
    const set = shop.catalog.inventorySets.filter((s) => s.applied && JSON.stringify(s.input).includes(a2.inventoryItemId)).at(-1)!;
    expect(set.apiVersion).toBe('2025-10');
    expect(set.idempotencyKey).toBeNull();
    expect(set.input).toMatchObject({
      name: 'available',
      reason: 'correction',
      quantities: [{ inventoryItemId: a2.inventoryItemId, locationId: depot.id, quantity: 110, compareQuantity: 7 }],
    });
    const log = await core.api(`/api/v1/sync-log?channelId=${t.shopify.channelId}&limit=20`, { key: t.apiKey });
    expect(log.body.entries.find((e: { topic: string }) => e.topic === 'stock.push')).toMatchObject({ outcome: 'ok', externalId: a2.id });
  });

  it('after a reservation (a store order confirmed), the store shows what is left', async () => {
    await placeShopifyOrder(core, t, [['A-2', 3]]);
    await core.drainOutbox();
    expect((await stockOf(core.sql, t.tenantId, t.productIds['A-2']!)).reserved).toBe(3);
    expect(shopAvailable()).toBe(107);
  });

  it('WooCommerce gets stock_quantity with manage_stock after a receipt, once pushStock is on', async () => {
    await setPushStock(core, t, t.woo.channelId, true);
    await receive('A-3', 2);
    await core.drainOutbox();
    expect(a3.stock_quantity).toBe(107);
    expect(a3.manage_stock).toBe(true);
    expect(woo.catalog.stockUpdates.at(-1)).toEqual({ path: `products/${a3.id}`, body: { manage_stock: true, stock_quantity: 107 } });
  });

  it('a burst of changes to one product makes one push', async () => {
    const before = shop.catalog.inventorySets.length;
    for (let i = 0; i < 4; i++) await receive('A-2', 1);
    expect(await pushes()).toBeGreaterThanOrEqual(4);
    await core.drainOutbox();
    expect(shop.catalog.inventorySets.length - before).toBe(1);
    expect(shopAvailable()).toBe(111);
  });

  it('an edit made in the shop is overwritten by Expedio, and a push that finds the number already there writes nothing', async () => {
    shop.catalog.setAvailable(a2.inventoryItemId, depot.id, 50);
    const queued = await post(t, `/channels/${t.shopify.channelId}/stock-push`);
    expect(queued.status).toBe(202);
    expect(queued.body.queued).toBe(2);
    const before = shop.catalog.inventorySets.length;
    await core.drainOutbox();
    expect(shopAvailable()).toBe(111);
    // A-4 never changed in Expedio since push was turned on: the full push brings the depot from 7 to its 100.
    expect(shop.catalog.available(a4.inventoryItemId, depot.id)).toBe(100);
    const again = shop.catalog.inventorySets.length;
    expect(again - before).toBe(2);
    await post(t, `/channels/${t.shopify.channelId}/stock-push`);
    await core.drainOutbox();
    expect(shop.catalog.inventorySets.length).toBe(again);
  });

  it('Shopify answering 429 is retried: in the call, then by the outbox', async () => {
    shop.failNext('429', 3);
    await receive('A-2', 1);
    await core.drainOutbox();
    expect(shopAvailable()).toBe(111);
    const [item] = await core.sql`select status, attempts, last_error from outbox where tenant_id = ${t.tenantId} and kind = 'channel.stock_push' order by id desc limit 1`;
    expect(item).toMatchObject({ status: 'pending', attempts: 1 });
    expect(item!.last_error).toMatch(/stock push of A-2 to Shopify failing/);
    await makeOutboxDue(core.sql);
    await core.drainOutbox();
    expect(shopAvailable()).toBe(112);
  });

  it('WooCommerce answering 429 is retried', async () => {
    woo.failNext('429', 2);
    await receive('A-3', 1);
    await core.drainOutbox();
    expect(a3.stock_quantity).toBe(108);
  });

  it('with API version 2026-04 the push sends changeFromQuantity and an @idempotent key', async () => {
    await connectShopifyFake(core, t, shop, '2026-04');
    await receive('A-2', 1);
    await core.drainOutbox();
    expect(shopAvailable()).toBe(113);
    const set = shop.catalog.inventorySets.at(-1)!;
    expect(set).toMatchObject({ apiVersion: '2026-04', applied: true });
    expect(set.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(set.input).toMatchObject({ quantities: [{ locationId: depot.id, quantity: 113, changeFromQuantity: 112 }] });
    expect(set.input).not.toHaveProperty('ignoreCompareQuantity');
    await connectShopifyFake(core, t, shop);
  });

  it('a 401 marks the channel needs reconnect; pushes stop until it is active again', async () => {
    shop.failNext('401', 1);
    await receive('A-2', 1);
    await core.drainOutbox();
    const [ch] = await core.sql`select status from channels where tenant_id = ${t.tenantId} and id = ${t.shopify.channelId}`;
    expect(ch!.status).toBe('needs_reconnect');
    expect(shopAvailable()).toBe(113);
    const before = await pushes();
    await receive('A-2', 1);
    expect(await pushes()).toBe(before);
  });
});
