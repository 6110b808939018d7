import type { Db, Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { DomainError } from '../shared/domain-error.ts';

/*
 * The store's catalog in Expedio: each store variant (a Shopify product variant, a WooCommerce
 * variation or simple product) is tied to one product, found by the mapping, else by SKU, else
 * created. Which value wins when the store and Expedio disagree (the rule, ARCHITECTURE.md):
 *
 *   The store fills the catalog; Expedio keeps what was edited in Expedio. For SKU, barcode, name
 *   and weight, a sync writes the store's value only where the product still holds the store's
 *   value of the previous sync (or nothing at all). A product value that differs from it was edited
 *   in Expedio (or, for a product that existed before the store was linked, is Expedio's own) and
 *   is kept; the sync says so, field by field, in its result (`keptLocal`) and in the sync log.
 *   A store value another product already holds (SKU, barcode are unique) is not written either.
 *
 * Store variants without a SKU are skipped (orders find their products by SKU).
 */

export interface StoreVariant {
  externalVariantId: string;
  externalProductId: string;
  inventoryItemId: string | null;
  sku: string | null;
  barcode: string | null;
  /** The name the store shows: "Product – Variant". */
  title: string;
  price: string | null;
  /** Decimal kilograms, at most 3 decimals, or null. */
  weightKg: string | null;
  tracksStock: boolean;
}

export type CatalogField = 'sku' | 'barcode' | 'name' | 'weightKg';

export interface KeptLocalValue {
  externalVariantId: string;
  productId: string;
  sku: string;
  field: CatalogField;
  expedio: string | null;
  store: string | null;
  reason: string;
}

export interface CatalogUpsertResult {
  created: number;
  linked: number;
  updated: number;
  unchanged: number;
  skipped: Array<{ externalVariantId: string; title: string; reason: string }>;
  keptLocal: KeptLocalValue[];
}

export const emptyCatalogResult = (): CatalogUpsertResult => ({ created: 0, linked: 0, updated: 0, unchanged: 0, skipped: [], keptLocal: [] });

interface ProductRow {
  id: string;
  sku: string;
  barcode: string | null;
  name: string;
  weightKg: string | null;
}

interface MappingRow {
  productId: string;
  syncedSku: string;
  syncedBarcode: string | null;
  syncedName: string;
  syncedWeightKg: string | null;
}

const COLUMN: Record<CatalogField, string> = { sku: 'sku', barcode: 'barcode', name: 'name', weightKg: 'weight_kg' };

function same(field: CatalogField, a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return field === 'weightKg' ? Number(a) === Number(b) : a === b;
}

const clean = (s: string | null | undefined): string | null => {
  const t = s?.trim();
  return t ? t : null;
};

/** Upserts one page of a channel's store variants into the catalog under the rule above. */
export async function upsertChannelVariants(tx: Tx, tenantId: string, channelId: string, variants: StoreVariant[], into = emptyCatalogResult()): Promise<CatalogUpsertResult> {
  for (const v of variants) {
    const sku = clean(v.sku);
    if (!sku) {
      into.skipped.push({ externalVariantId: v.externalVariantId, title: v.title, reason: 'no SKU in the store (orders find their products by SKU)' });
      continue;
    }
    const store: Record<CatalogField, string | null> = { sku, barcode: clean(v.barcode), name: clean(v.title) ?? sku, weightKg: v.weightKg };
    const [mapping] = await tx<MappingRow[]>`
      select product_id::text as "productId", synced_sku as "syncedSku", synced_barcode as "syncedBarcode",
             synced_name as "syncedName", synced_weight_kg::text as "syncedWeightKg"
      from channel_variants where tenant_id = ${tenantId} and channel_id = ${channelId} and external_variant_id = ${v.externalVariantId}
      for update`;
    let product = mapping ? await productById(tx, tenantId, mapping.productId) : null;
    let outcome: 'created' | 'linked' | 'updated' | 'unchanged' = 'unchanged';
    if (!product) {
      product = await productBySku(tx, tenantId, sku);
      if (product) outcome = 'linked';
    }
    if (!product) {
      const barcodeFree = store.barcode === null || !(await holder(tx, tenantId, 'barcode', store.barcode, null));
      if (!barcodeFree) {
        into.keptLocal.push({ externalVariantId: v.externalVariantId, productId: '', sku, field: 'barcode', expedio: null, store: store.barcode, reason: `barcode ${store.barcode} belongs to another product` });
      }
      const [p] = await tx<{ id: string }[]>`
        insert into products (tenant_id, sku, barcode, name, weight_kg, origin, origin_channel_id)
        values (${tenantId}, ${sku}, ${barcodeFree ? store.barcode : null}, ${store.name}, ${store.weightKg}, 'channel', ${channelId})
        returning id::text`;
      product = { id: p!.id, sku, barcode: barcodeFree ? store.barcode : null, name: store.name!, weightKg: store.weightKg };
      if (!barcodeFree) into.keptLocal.at(-1)!.productId = p!.id;
      outcome = 'created';
    } else {
      const synced: Record<CatalogField, string | null> | null = mapping
        ? { sku: mapping.syncedSku, barcode: mapping.syncedBarcode, name: mapping.syncedName, weightKg: mapping.syncedWeightKg }
        : null;
      const local: Record<CatalogField, string | null> = { sku: product.sku, barcode: product.barcode, name: product.name, weightKg: product.weightKg };
      const writes: Partial<Record<CatalogField, string | null>> = {};
      for (const field of ['sku', 'barcode', 'name', 'weightKg'] as const) {
        if (same(field, local[field], store[field])) continue;
        const untouched = local[field] === null || (synced !== null && same(field, local[field], synced[field]));
        const keep = (reason: string) =>
          into.keptLocal.push({ externalVariantId: v.externalVariantId, productId: product!.id, sku: product!.sku, field, expedio: local[field], store: store[field], reason });
        if (!untouched) {
          keep(synced ? 'edited in Expedio since the last sync' : "Expedio's own value (the product existed before the store was linked)");
          continue;
        }
        if ((field === 'sku' || field === 'barcode') && store[field] !== null && (await holder(tx, tenantId, field, store[field]!, product.id))) {
          keep(`${field === 'sku' ? 'SKU' : 'barcode'} ${store[field]} belongs to another product`);
          continue;
        }
        writes[field] = store[field];
      }
      if (Object.keys(writes).length > 0) {
        const cols: Record<string, string | null> = {};
        for (const [f, value] of Object.entries(writes)) cols[COLUMN[f as CatalogField]] = value;
        await tx`update products set ${tx(cols)} where tenant_id = ${tenantId} and id = ${product.id}`;
        if (outcome === 'unchanged') outcome = 'updated';
      }
    }
    await tx`
      insert into channel_variants (tenant_id, channel_id, external_variant_id, external_product_id, inventory_item_id, product_id,
        store_title, store_price, store_tracks_stock, synced_sku, synced_barcode, synced_name, synced_weight_kg, synced_at)
      values (${tenantId}, ${channelId}, ${v.externalVariantId}, ${v.externalProductId}, ${v.inventoryItemId}, ${product.id},
        ${v.title}, ${v.price}, ${v.tracksStock}, ${sku}, ${store.barcode}, ${store.name}, ${store.weightKg}, now())
      on conflict (tenant_id, channel_id, external_variant_id) do update set
        external_product_id = excluded.external_product_id, inventory_item_id = excluded.inventory_item_id, product_id = excluded.product_id,
        store_title = excluded.store_title, store_price = excluded.store_price, store_tracks_stock = excluded.store_tracks_stock,
        synced_sku = excluded.synced_sku, synced_barcode = excluded.synced_barcode, synced_name = excluded.synced_name,
        synced_weight_kg = excluded.synced_weight_kg, synced_at = now()`;
    into[outcome]++;
  }
  return into;
}

/**
 * After a complete pass: the store units the pass did not see (deleted in the store) lose their tie
 * to the product; the product itself stays (orders and stock may cite it). `since` is the database
 * time the pass started.
 */
export async function forgetUnseenChannelVariants(tx: Tx, tenantId: string, channelId: string, since: string): Promise<number> {
  const rows = await tx`delete from channel_variants where tenant_id = ${tenantId} and channel_id = ${channelId} and synced_at < ${since}::timestamptz returning 1`;
  return rows.length;
}

/** The database's clock, where a pass that spans transactions starts. */
export async function catalogClock(db: Db): Promise<string> {
  const [r] = await db<{ now: string }[]>`select now()::text as now`;
  return r!.now;
}

async function productById(db: Db, tenantId: string, id: string): Promise<ProductRow | null> {
  const [p] = await db<ProductRow[]>`select id::text, sku, barcode, name, weight_kg::text as "weightKg" from products where tenant_id = ${tenantId} and id = ${id} for update`;
  return p ?? null;
}

async function productBySku(db: Db, tenantId: string, sku: string): Promise<ProductRow | null> {
  const [p] = await db<ProductRow[]>`select id::text, sku, barcode, name, weight_kg::text as "weightKg" from products where tenant_id = ${tenantId} and sku = ${sku} for update`;
  return p ?? null;
}

/** Whether another product than `except` holds this SKU or barcode. */
async function holder(db: Db, tenantId: string, field: 'sku' | 'barcode', value: string, except: string | null): Promise<boolean> {
  const rows =
    field === 'sku'
      ? await db`select 1 from products where tenant_id = ${tenantId} and sku = ${value} and id <> ${except ?? '0'}`
      : await db`select 1 from products where tenant_id = ${tenantId} and barcode = ${value} and id <> ${except ?? '0'}`;
  return rows.length > 0;
}

export interface ChannelVariant {
  externalVariantId: string;
  externalProductId: string;
  inventoryItemId: string | null;
  productId: string;
  sku: string;
  storeTitle: string;
  storePrice: string | null;
  storeTracksStock: boolean;
  syncedAt: Date;
}

/** The channel's store variants and the products they are tied to, by SKU. */
export async function listChannelVariants(db: Db, tenantId: string, channelId: string, opts: { limit?: number; afterSku?: string } = {}): Promise<ChannelVariant[]> {
  return await db<ChannelVariant[]>`
    select v.external_variant_id as "externalVariantId", v.external_product_id as "externalProductId", v.inventory_item_id as "inventoryItemId",
           v.product_id::text as "productId", p.sku, v.store_title as "storeTitle", v.store_price::text as "storePrice",
           v.store_tracks_stock as "storeTracksStock", v.synced_at as "syncedAt"
    from channel_variants v join products p on p.tenant_id = v.tenant_id and p.id = v.product_id
    where v.tenant_id = ${tenantId} and v.channel_id = ${channelId} and p.sku > ${opts.afterSku ?? ''}
    order by p.sku, v.external_variant_id
    limit ${opts.limit ?? 500}`;
}

// ---- locations ----

export interface StoreLocation {
  externalLocationId: string;
  name: string;
  active: boolean;
}

export interface ChannelLocation extends StoreLocation {
  warehouseId: string | null;
  syncedAt: Date;
}

/** Records the store's locations; one the store no longer lists is kept (with its mapping) as inactive. */
export async function upsertChannelLocations(tx: Tx, tenantId: string, channelId: string, locations: StoreLocation[]): Promise<void> {
  for (const l of locations) {
    await tx`insert into channel_locations (tenant_id, channel_id, external_location_id, name, active, synced_at)
      values (${tenantId}, ${channelId}, ${l.externalLocationId}, ${l.name}, ${l.active}, now())
      on conflict (tenant_id, channel_id, external_location_id) do update set name = excluded.name, active = excluded.active, synced_at = now()`;
  }
  await tx`update channel_locations set active = false
    where tenant_id = ${tenantId} and channel_id = ${channelId} and not (external_location_id = any(${locations.map((l) => l.externalLocationId)}::text[]))`;
}

export async function listChannelLocations(db: Db, tenantId: string, channelId: string): Promise<ChannelLocation[]> {
  return await db<ChannelLocation[]>`
    select external_location_id as "externalLocationId", name, active, warehouse_id::text as "warehouseId", synced_at as "syncedAt"
    from channel_locations where tenant_id = ${tenantId} and channel_id = ${channelId} order by name, external_location_id`;
}

/** Maps a store location to a warehouse (null: unmapped, the location gets no stock from Expedio). */
export async function mapChannelLocation(tx: Tx, tenantId: string, channelId: string, externalLocationId: string, warehouseId: string | null): Promise<ChannelLocation> {
  if (warehouseId !== null) {
    const [wh] = await tx`select 1 from warehouses where tenant_id = ${tenantId} and id = ${/^\d{1,18}$/.test(warehouseId) ? warehouseId : '0'}`;
    if (!wh) throw new DomainError('VALIDATION', `There is no warehouse ${warehouseId} in this tenant.`, [{ path: 'warehouseId', reason: 'unknown warehouse' }]);
  }
  const [row] = await tx<ChannelLocation[]>`
    update channel_locations set warehouse_id = ${warehouseId}
    where tenant_id = ${tenantId} and channel_id = ${channelId} and external_location_id = ${externalLocationId}
    returning external_location_id as "externalLocationId", name, active, warehouse_id::text as "warehouseId", synced_at as "syncedAt"`;
  if (!row) {
    throw new DomainError('NOT_FOUND', `Channel ${channelId} has no store location ${externalLocationId}; run a catalog sync to fetch the store's locations.`, [
      { path: 'locationId', reason: 'unknown location' },
    ]);
  }
  return row;
}

// ---- stock push ----

export const STOCK_PUSH_KIND = 'channel.stock_push';

/**
 * Called in the transaction of every change of on hand or reserved: each store variant of these
 * products on a channel that pushes stock gets its sequence bumped and a stock push queued with
 * that sequence. The push reads the stock when it runs and does nothing when a newer push of the
 * same variant is queued, so a burst of changes makes one call to the store.
 */
export async function noteStockChanged(tx: Tx, tenantId: string, productIds: readonly string[]): Promise<number> {
  if (productIds.length === 0) return 0;
  const rows = await tx<{ channelId: string; externalVariantId: string; seq: string }[]>`
    update channel_variants v set stock_seq = v.stock_seq + 1
    from channels c
    where v.tenant_id = ${tenantId} and v.product_id = any(${[...new Set(productIds)]}::bigint[])
      and c.tenant_id = v.tenant_id and c.id = v.channel_id and c.push_stock and c.status = 'active'
    returning v.channel_id::text as "channelId", v.external_variant_id as "externalVariantId", v.stock_seq::text as seq`;
  for (const r of rows) await enqueueStockPush(tx, tenantId, r);
  return rows.length;
}

/** Queues a push of every store variant of the channel (push turned on, a location mapped, a catalog sync). */
export async function requestChannelStockPush(tx: Tx, tenantId: string, channelId: string): Promise<number> {
  const rows = await tx<{ channelId: string; externalVariantId: string; seq: string }[]>`
    update channel_variants v set stock_seq = v.stock_seq + 1
    from channels c
    where v.tenant_id = ${tenantId} and v.channel_id = ${channelId}
      and c.tenant_id = v.tenant_id and c.id = v.channel_id and c.push_stock and c.status = 'active'
    returning v.channel_id::text as "channelId", v.external_variant_id as "externalVariantId", v.stock_seq::text as seq`;
  for (const r of rows) await enqueueStockPush(tx, tenantId, r);
  return rows.length;
}

async function enqueueStockPush(tx: Tx, tenantId: string, r: { channelId: string; externalVariantId: string; seq: string }): Promise<void> {
  await enqueue(tx, tenantId, STOCK_PUSH_KIND, { channelId: r.channelId, externalVariantId: r.externalVariantId, seq: r.seq }, `${STOCK_PUSH_KIND}:${r.channelId}:${r.externalVariantId}:${r.seq}`);
}

export interface StockToPush {
  seq: string;
  productId: string;
  sku: string;
  externalVariantId: string;
  externalProductId: string;
  inventoryItemId: string | null;
  /** Available (on hand − reserved) in the given warehouses, or in all of them. */
  available: number;
  /** Per mapped store location: the available stock of its warehouse. */
  locations: Array<{ externalLocationId: string; warehouseId: string; available: number }>;
}

/**
 * What a store variant's push sets, read when the push runs. `warehouseId` limits `available` to
 * one warehouse (a WooCommerce channel's default warehouse); null sums every warehouse.
 */
export async function stockToPush(db: Db, tenantId: string, channelId: string, externalVariantId: string, warehouseId: string | null): Promise<StockToPush | null> {
  const [v] = await db<Omit<StockToPush, 'available' | 'locations'>[]>`
    select v.stock_seq::text as seq, v.product_id::text as "productId", p.sku, v.external_variant_id as "externalVariantId",
           v.external_product_id as "externalProductId", v.inventory_item_id as "inventoryItemId"
    from channel_variants v join products p on p.tenant_id = v.tenant_id and p.id = v.product_id
    where v.tenant_id = ${tenantId} and v.channel_id = ${channelId} and v.external_variant_id = ${externalVariantId}`;
  if (!v) return null;
  const [total] = await db<{ available: number }[]>`
    select coalesce(sum(on_hand - reserved), 0)::int as available from stock
    where tenant_id = ${tenantId} and product_id = ${v.productId} and (${warehouseId}::bigint is null or warehouse_id = ${warehouseId}::bigint)`;
  const locations = await db<StockToPush['locations']>`
    select l.external_location_id as "externalLocationId", l.warehouse_id::text as "warehouseId",
           coalesce((select sum(s.on_hand - s.reserved) from stock s
                     where s.tenant_id = l.tenant_id and s.warehouse_id = l.warehouse_id and s.product_id = ${v.productId}), 0)::int as available
    from channel_locations l
    where l.tenant_id = ${tenantId} and l.channel_id = ${channelId} and l.warehouse_id is not null and l.active
    order by l.external_location_id`;
  return { ...v, available: total!.available, locations };
}
