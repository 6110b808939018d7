import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../core/src/db/outbox.ts';
import { requestPeriodicCatalogSyncs } from '../../core/src/flows/sync-catalog.ts';
import type { FakeVariant } from '../fakes/shopify/fake-shopify-catalog.ts';
import { type FakeShopify, startFakeShopify } from '../fakes/shopify/fake-shopify.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { connectShopifyFake, connectWooFake, syncCatalog } from '../support/store-catalog-helpers.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';

let core: CoreHarness;
let t: TenantFixture;
let shop: FakeShopify;
let woo: FakeWooCommerce;
let tshirt: FakeVariant[];
let main: { id: string };

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  shop = await startFakeShopify({ shopDomain: t.shopify.shopDomain, accessToken: 'shpat_catalog', bucketSize: 2000, restoreRate: 1000 });
  woo = await startFakeWooCommerce({ consumerKey: 'ck_test', consumerSecret: 'cs_test' });
  await connectShopifyFake(core, t, shop);
  await connectWooFake(core, t, woo);
  main = shop.catalog.addLocation('Depozit Cluj');
  shop.catalog.addLocation('Showroom închis', false);
  tshirt = shop.catalog.addProduct({
    title: 'Tricou',
    variants: [
      { title: 'M', sku: 'TS-M', barcode: '5940000000011', grams: 250, price: '59.90' },
      { title: 'L', sku: 'TS-L', barcode: '5940000000028', weight: { unit: 'KILOGRAMS', value: 0.3 } },
    ],
  });
  shop.catalog.addProduct({ title: 'Cană', variants: [{ sku: 'MUG-1', barcode: '5940000000035', weight: { unit: 'POUNDS', value: 1 } }] });
  shop.catalog.addProduct({ title: 'Card cadou', variants: [{ sku: null }] });
  // A product Expedio had before the store was linked (the tenant's own A-1, barcode 590A-1, 0.5 kg).
  shop.catalog.addProduct({ title: 'Produs A1 din magazin', variants: [{ sku: 'A-1', barcode: '5940000000042', grams: 500 }] });
  // 55 more: the catalog takes two pages of 50.
  shop.catalog.addProduct({ title: 'Șosete', variants: Array.from({ length: 55 }, (_, i) => ({ title: `Nr ${i + 1}`, sku: `SOS-${String(i + 1).padStart(2, '0')}`, grams: 50 })) });
});
afterAll(async () => {
  await shop.close();
  await woo.close();
});

const product = async (sku: string) =>
  (await core.sql`select id::text, sku, barcode, name, weight_kg::text as weight from products where tenant_id = ${t.tenantId} and sku = ${sku}`)[0];
const productCount = async () => Number((await core.sql`select count(*)::int as n from products where tenant_id = ${t.tenantId}`)[0]!.n);

describe('catalog sync from Shopify', () => {
  it('creates the products of every variant with SKU, barcode, weight in kg and name, over pages, and the store ids per channel', async () => {
    const before = await productCount();
    const r = await syncCatalog(core, t, t.shopify.channelId);
    expect(r).toMatchObject({ pages: 2, items: 60, created: 58, linked: 1, locations: 2, done: true });
    expect(r.skipped).toEqual([expect.objectContaining({ title: 'Card cadou', reason: expect.stringMatching(/no SKU/) })]);
    expect(await productCount()).toBe(before + 58);
    expect(await product('TS-M')).toMatchObject({ barcode: '5940000000011', name: 'Tricou – M', weight: '0.250' });
    expect(await product('TS-L')).toMatchObject({ barcode: '5940000000028', weight: '0.300' });
    expect(await product('MUG-1')).toMatchObject({ name: 'Cană', weight: '0.454' });
    const [mapping] = await core.sql`select external_product_id, inventory_item_id, store_price::text as price from channel_variants
      where tenant_id = ${t.tenantId} and channel_id = ${t.shopify.channelId} and external_variant_id = ${tshirt[0]!.id}`;
    expect(mapping).toMatchObject({ external_product_id: tshirt[0]!.productId, inventory_item_id: tshirt[0]!.inventoryItemId, price: '59.9000' });
  });

  it("links a product Expedio already had by SKU and keeps Expedio's own values, saying which", async () => {
    expect(await product('A-1')).toMatchObject({ barcode: '590A-1', name: 'Product A-1', weight: '0.500' });
    const log = await core.api(`/api/v1/sync-log?channelId=${t.shopify.channelId}&limit=200`, { key: t.apiKey });
    const kept = log.body.entries.filter((e: { topic: string }) => e.topic === 'catalog.kept_local');
    expect(kept.map((e: { error: string }) => e.error)).toEqual(
      expect.arrayContaining([expect.stringMatching(/A-1: kept Expedio's barcode 590A-1 over the store's 5940000000042/), expect.stringMatching(/A-1: kept Expedio's name Product A-1/)]),
    );
  });

  it('is idempotent: a second run creates and changes nothing', async () => {
    const before = await productCount();
    const r = await syncCatalog(core, t, t.shopify.channelId);
    expect(r).toMatchObject({ created: 0, linked: 0, updated: 0, unchanged: 59 });
    expect(await productCount()).toBe(before);
    const [n] = await core.sql`select count(*)::int as n from channel_variants where tenant_id = ${t.tenantId} and channel_id = ${t.shopify.channelId}`;
    expect(n!.n).toBe(59);
  });

  it('a value edited in Expedio survives the next sync (and is reported); values left alone follow the store', async () => {
    await core.sql`update products set barcode = 'LOCAL-TS-M' where tenant_id = ${t.tenantId} and sku = 'TS-M'`;
    shop.catalog.updateVariant(tshirt[0]!.id, { barcode: '5940000000099', weight: { unit: 'GRAMS', value: 270 }, title: 'Medium' });
    const r = await syncCatalog(core, t, t.shopify.channelId);
    expect(await product('TS-M')).toMatchObject({ barcode: 'LOCAL-TS-M', weight: '0.270', name: 'Tricou – Medium' });
    expect(r.updated).toBe(1);
    expect(r.keptLocal).toEqual(
      expect.arrayContaining([expect.objectContaining({ sku: 'TS-M', field: 'barcode', expedio: 'LOCAL-TS-M', store: '5940000000099', reason: 'edited in Expedio since the last sync' })]),
    );
    // And again on the run after: the local value is never overwritten silently.
    const again = await syncCatalog(core, t, t.shopify.channelId);
    expect(await product('TS-M')).toMatchObject({ barcode: 'LOCAL-TS-M' });
    expect(again.keptLocal.some((k: { sku: string; field: string }) => k.sku === 'TS-M' && k.field === 'barcode')).toBe(true);
  });

  it('a SKU changed in the store moves the product with it; one another product holds is kept and reported', async () => {
    shop.catalog.updateVariant(tshirt[1]!.id, { sku: 'TS-L2' });
    await syncCatalog(core, t, t.shopify.channelId);
    expect(await product('TS-L')).toBeUndefined();
    expect(await product('TS-L2')).toMatchObject({ barcode: '5940000000028' });
    shop.catalog.updateVariant(tshirt[1]!.id, { sku: 'MUG-1' });
    const r = await syncCatalog(core, t, t.shopify.channelId);
    expect(await product('TS-L2')).toBeDefined();
    expect(r.keptLocal).toEqual(expect.arrayContaining([expect.objectContaining({ sku: 'TS-L2', field: 'sku', store: 'MUG-1', reason: 'SKU MUG-1 belongs to another product' })]));
    shop.catalog.updateVariant(tshirt[1]!.id, { sku: 'TS-L2' });
  });

  it("a variant deleted in the store loses its tie to the product; the product stays", async () => {
    const sock = [...shop.catalog.variants.values()].find((v) => v.sku === 'SOS-55')!;
    shop.catalog.variants.delete(sock.id);
    const r = await syncCatalog(core, t, t.shopify.channelId);
    expect(r.removed).toBe(1);
    expect(await product('SOS-55')).toBeDefined();
    const ties = await core.sql`select 1 from channel_variants where tenant_id = ${t.tenantId} and external_variant_id = ${sock.id}`;
    expect(ties).toHaveLength(0);
    expect((await syncCatalog(core, t, t.shopify.channelId)).removed).toBe(0);
  });

  it('lists the store locations, active or not, unmapped', async () => {
    const res = await core.api(`/api/v1/channels/${t.shopify.channelId}/locations`, { key: t.apiKey });
    expect(res.status).toBe(200);
    const n = /(\d+)$/.exec(main.id)![1];
    expect(res.body.locations).toEqual(
      expect.arrayContaining([
        { locationId: n, externalLocationId: main.id, name: 'Depozit Cluj', active: true, warehouseId: null },
        expect.objectContaining({ name: 'Showroom închis', active: false, warehouseId: null }),
      ]),
    );
  });

  it('maps a location to a warehouse; an unknown warehouse, location or a WooCommerce channel is refused, naming the field', async () => {
    const n = /(\d+)$/.exec(main.id)![1];
    const put = (channelId: string, loc: string, body: unknown) =>
      core.api(`/api/v1/channels/${channelId}/locations/${loc}`, { method: 'PUT', key: t.apiKey, body: JSON.stringify(body) });
    const ok = await put(t.shopify.channelId, n!, { warehouseId: t.warehouseId });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ locationId: n, warehouseId: t.warehouseId });
    const bad = await put(t.shopify.channelId, n!, { warehouseId: '999999' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'warehouseId', reason: 'unknown warehouse' }]);
    const unknown = await put(t.shopify.channelId, '123', { warehouseId: t.warehouseId });
    expect(unknown.status).toBe(404);
    const wooLoc = await put(t.woo.channelId, n!, { warehouseId: t.warehouseId });
    expect(wooLoc.status).toBe(400);
    const notId = await put(t.shopify.channelId, 'main', { warehouseId: t.warehouseId });
    expect(notId.status).toBe(400);
    const [row] = await core.sql`select warehouse_id::text from channel_locations where tenant_id = ${t.tenantId} and external_location_id = ${main.id}`;
    expect(row!.warehouse_id).toBe(t.warehouseId);
  });

  it('backs off when Shopify throttles the catalog query and still completes', async () => {
    shop.failNext('throttle', 1);
    shop.failNext('429', 1);
    const r = await syncCatalog(core, t, t.shopify.channelId);
    expect(r.done).toBe(true);
  });
});

describe('catalog sync from WooCommerce', () => {
  it('the channel.catalog_sync outbox item pulls simple products and variations (weight in the store unit, GTIN as barcode)', async () => {
    woo.catalog.weightUnit = 'g';
    woo.catalog.addProduct({ name: 'Ceai verde', sku: 'TEA-1', globalUniqueId: '5940000001001', weight: '120', price: '24.50' });
    woo.catalog.addProduct({
      name: 'Hanorac',
      sku: 'HN',
      weight: '600',
      variations: [
        { option: 'S', sku: 'HN-S', globalUniqueId: '5940000001018' },
        { option: 'M', sku: 'HN-M', weight: '650' },
      ],
    });
    woo.catalog.addProduct({ name: 'Pachet', type: 'grouped' });
    await core.sql.begin((tx) => enqueue(tx, t.tenantId, 'channel.catalog_sync', { channelId: t.woo.channelId }, `channel.catalog_sync:${t.woo.channelId}:test`));
    await core.drainOutbox();
    const [item] = await core.sql`select status, last_error from outbox where tenant_id = ${t.tenantId} and kind = 'channel.catalog_sync'`;
    expect(item).toMatchObject({ status: 'done', last_error: null });
    expect(await product('TEA-1')).toMatchObject({ name: 'Ceai verde', barcode: '5940000001001', weight: '0.120' });
    expect(await product('HN-S')).toMatchObject({ name: 'Hanorac – S', barcode: '5940000001018', weight: '0.600' });
    expect(await product('HN-M')).toMatchObject({ name: 'Hanorac – M', weight: '0.650' });
    expect(await product('HN')).toBeUndefined();
    const ids = await core.sql`select external_variant_id, external_product_id from channel_variants where tenant_id = ${t.tenantId} and channel_id = ${t.woo.channelId} order by external_variant_id`;
    expect(ids).toHaveLength(3);
  });

  it('is idempotent on re-run', async () => {
    const before = await productCount();
    const r = await syncCatalog(core, t, t.woo.channelId);
    expect(r).toMatchObject({ created: 0, updated: 0, unchanged: 3, locations: null });
    expect(await productCount()).toBe(before);
  });

  it('a 401 marks the channel needs reconnect and the sync log says why', async () => {
    woo.failNext('401', 1);
    const res = await core.api(`/api/v1/channels/${t.woo.channelId}/catalog-sync`, { method: 'POST', key: t.apiKey });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const [ch] = await core.sql`select status from channels where tenant_id = ${t.tenantId} and id = ${t.woo.channelId}`;
    expect(ch!.status).toBe('needs_reconnect');
    await core.sql`update channels set status = 'active', status_reason = null where tenant_id = ${t.tenantId} and id = ${t.woo.channelId}`;
  });
});

describe('periodic catalog sync', () => {
  it('queues one channel.catalog_sync per connected store and hour; the outbox runs them', async () => {
    const at = new Date('2026-12-01T10:15:00Z');
    const deps = { ...core.deps, now: () => at };
    expect(await requestPeriodicCatalogSyncs(deps)).toBe(2);
    expect(await requestPeriodicCatalogSyncs(deps)).toBe(0);
    await core.drainOutbox();
    const items = await core.sql`select payload->>'channelId' as channel, status from outbox
      where tenant_id = ${t.tenantId} and kind = 'channel.catalog_sync' and idempotency_key like '%periodic:2026-12-01T10'`;
    expect(items.map((i) => i.channel).sort()).toEqual([t.shopify.channelId, t.woo.channelId].sort());
    expect(items.every((i) => i.status === 'done')).toBe(true);
  });
});
