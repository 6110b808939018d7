import { createHash } from 'node:crypto';
import { DomainError } from '../../shared/domain-error.ts';
import type { PulledCatalog, PushResult, StockLevelPush, StoreCatalogItem, StoreLocationInfo } from '../shop-connector.ts';
import type { ShopifyAdminClient } from './shopify-admin-client.ts';

/*
 * Shopify's catalog and stock (GraphQL Admin API): product variants with their inventory item
 * (SKU, barcode, weight, price), the shop's locations, and `inventorySetQuantities` for the
 * "available" quantity at a location. Throttling is the admin client's: THROTTLED answers wait for
 * the bucket to refill, 429/503 for Retry-After, as in the order sync.
 */

export const CATALOG_QUERY = `query ExpedioPullCatalog($first: Int!, $after: String) {
  productVariants(first: $first, after: $after, sortKey: ID) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id sku barcode title price
      product { id title }
      inventoryItem { id tracked measurement { weight { unit value } } }
    }
  }
}`;

export const LOCATIONS_QUERY = `query ExpedioLocations($first: Int!, $after: String) {
  locations(first: $first, after: $after, includeInactive: true) {
    pageInfo { hasNextPage endCursor }
    nodes { id name isActive }
  }
}`;

export const INVENTORY_LEVELS_QUERY = `query ExpedioInventoryLevels($id: ID!) {
  inventoryItem(id: $id) {
    id tracked
    inventoryLevels(first: 50) { nodes { location { id } quantities(names: ["available"]) { name quantity } } }
  }
}`;

interface VariantNode {
  id: string;
  sku: string | null;
  barcode: string | null;
  title: string | null;
  price: string | null;
  product: { id: string; title: string } | null;
  inventoryItem: { id: string; tracked: boolean | null; measurement: { weight: { unit: string; value: number } | null } | null } | null;
}

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

const KG_PER: Record<string, number> = { GRAMS: 0.001, KILOGRAMS: 1, OUNCES: 0.028349523125, POUNDS: 0.45359237 };

/** Shopify's Weight { unit, value } in kilograms, 3 decimals; no weight or 0 → null. */
export function shopifyWeightKg(weight: { unit: string; value: number } | null | undefined): string | null {
  if (!weight || !(weight.value > 0)) return null;
  const factor = KG_PER[weight.unit];
  if (factor === undefined) return null;
  const kg = Math.round(weight.value * factor * 1000) / 1000;
  return kg > 0 ? kg.toFixed(3) : null;
}

function toItem(n: VariantNode): StoreCatalogItem {
  const productTitle = n.product?.title ?? '';
  const variantTitle = n.title && n.title !== 'Default Title' ? n.title : null;
  return {
    externalVariantId: n.id,
    externalProductId: n.product?.id ?? n.id,
    inventoryItemId: n.inventoryItem?.id ?? null,
    sku: n.sku,
    barcode: n.barcode,
    title: variantTitle ? `${productTitle} – ${variantTitle}` : productTitle || (variantTitle ?? n.id),
    price: n.price,
    weightKg: shopifyWeightKg(n.inventoryItem?.measurement?.weight),
    tracksStock: n.inventoryItem?.tracked === true,
  };
}

export async function pullShopifyCatalog(client: ShopifyAdminClient, cursor: string | null, pageSize: number, signal?: AbortSignal): Promise<PulledCatalog> {
  const data = await client.graphql<{ productVariants: Page<VariantNode> }>(CATALOG_QUERY, { first: pageSize, after: cursor }, signal);
  const { hasNextPage, endCursor } = data.productVariants.pageInfo;
  return { items: data.productVariants.nodes.map(toItem), nextCursor: hasNextPage ? endCursor : null, done: !hasNextPage || !endCursor };
}

export async function pullShopifyLocations(client: ShopifyAdminClient, signal?: AbortSignal): Promise<StoreLocationInfo[]> {
  const out: StoreLocationInfo[] = [];
  let after: string | null = null;
  for (let i = 0; i < 50; i++) {
    const data: { locations: Page<{ id: string; name: string; isActive: boolean }> } = await client.graphql(LOCATIONS_QUERY, { first: 50, after }, signal);
    out.push(...data.locations.nodes.map((l) => ({ externalLocationId: l.id, name: l.name, active: l.isActive })));
    if (!data.locations.pageInfo.hasNextPage || !data.locations.pageInfo.endCursor) break;
    after = data.locations.pageInfo.endCursor;
  }
  return out;
}

/**
 * The API version's compare-and-swap and idempotency words (Shopify's concurrency changes):
 * before 2026-01 each quantity carries `compareQuantity`; from 2026-01 `changeFromQuantity`
 * (mandatory from 2026-04) and the `@idempotent(key:)` directive (mandatory from 2026-04).
 */
export function inventorySetShape(apiVersion: string): { compareField: 'compareQuantity' | 'changeFromQuantity'; idempotent: boolean } {
  const modern = apiVersion >= '2026-01';
  return { compareField: modern ? 'changeFromQuantity' : 'compareQuantity', idempotent: modern };
}

/** A UUID-shaped key from our outbox key: the same push retried sends the same key. */
export function shopifyIdempotencyKey(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function inventorySetMutation(idempotencyKey: string | null): string {
  const directive = idempotencyKey ? ` @idempotent(key: ${JSON.stringify(idempotencyKey)})` : '';
  return `mutation ExpedioSetAvailable($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input)${directive} {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}`;
}

interface LevelsData {
  inventoryItem: {
    id: string;
    tracked: boolean | null;
    inventoryLevels: { nodes: Array<{ location: { id: string }; quantities: Array<{ name: string; quantity: number }> }> };
  } | null;
}

// The quantity moved under us (a sale in the shop between our read and our write): read again and retry.
const RETRYABLE = new Set(['COMPARE_QUANTITY_STALE', 'CHANGE_FROM_QUANTITY_STALE', 'IDEMPOTENCY_CONCURRENT_REQUEST']);

/**
 * Sets "available" at each mapped location to Expedio's available stock. Reads the levels first:
 * a location that already shows the number is left alone (a retry after a lost answer writes
 * nothing), and the read quantity is the compare-and-swap value, so a sale the shop records
 * between the read and the write makes Shopify refuse the write (retried with a fresh read).
 */
export async function pushShopifyStock(client: ShopifyAdminClient, apiVersion: string, level: StockLevelPush): Promise<PushResult> {
  if (!level.inventoryItemId) {
    throw new DomainError('VALIDATION', `Shopify variant ${level.externalVariantId} (${level.sku}) has no inventory item; run a catalog sync.`, [{ path: 'inventoryItemId', reason: 'missing' }]);
  }
  if (level.locations.length === 0) return { outcome: 'skipped', reason: 'no Shopify location is mapped to a warehouse' };
  const data = await client.graphql<LevelsData>(INVENTORY_LEVELS_QUERY, { id: level.inventoryItemId });
  if (!data.inventoryItem) {
    throw new DomainError('NOT_FOUND', `Shopify has no inventory item ${level.inventoryItemId} (${level.sku}); it was deleted in the store.`, [{ path: 'inventoryItemId', reason: 'deleted in the store' }]);
  }
  const current = new Map(data.inventoryItem.inventoryLevels.nodes.map((n) => [n.location.id, n.quantities.find((q) => q.name === 'available')?.quantity ?? 0]));
  const notStocked = level.locations.filter((l) => !current.has(l.externalLocationId)).map((l) => l.externalLocationId);
  const changes = level.locations
    .filter((l) => current.has(l.externalLocationId) && current.get(l.externalLocationId) !== l.available)
    .map((l) => ({ locationId: l.externalLocationId, from: current.get(l.externalLocationId)!, to: l.available }));
  const details = { sku: level.sku, inventoryItemId: level.inventoryItemId, ...(notStocked.length ? { notStockedAt: notStocked } : {}) };
  if (changes.length === 0) {
    return notStocked.length
      ? { outcome: 'skipped', reason: `${level.sku} is not stocked at ${notStocked.join(', ')} in Shopify`, ...details }
      : { outcome: 'unchanged', ...details, quantities: level.locations };
  }
  const shape = inventorySetShape(apiVersion);
  const key = shape.idempotent ? shopifyIdempotencyKey(`${level.idempotencyKey}:${changes.map((c) => `${c.locationId}=${c.from}>${c.to}`).join(',')}`) : null;
  const input = {
    name: 'available',
    reason: 'correction',
    referenceDocumentUri: `gid://expedio/StockPush/${encodeURIComponent(level.idempotencyKey)}`,
    quantities: changes.map((c) => ({ inventoryItemId: level.inventoryItemId, locationId: c.locationId, quantity: c.to, [shape.compareField]: c.from })),
  };
  const r = await client.graphql<{ inventorySetQuantities: { inventoryAdjustmentGroup: { id: string } | null; userErrors: Array<{ field: string[] | null; message: string; code: string | null }> } }>(
    inventorySetMutation(key),
    { input },
  );
  const errors = r.inventorySetQuantities.userErrors;
  if (errors.length > 0) {
    const text = errors.map((e) => `${e.code ?? 'ERROR'}: ${e.message}`).join('; ');
    if (errors.every((e) => e.code && RETRYABLE.has(e.code))) throw new DomainError('UPSTREAM', `Shopify's quantity of ${level.sku} changed while Expedio set it (${text}); retrying with a fresh read.`);
    throw new DomainError('VALIDATION', `Shopify refused the stock of ${level.sku}: ${text}.`, errors.map((e) => ({ path: (e.field ?? ['input']).join('.'), reason: e.message })));
  }
  return { outcome: 'ok', ...details, adjustmentGroupId: r.inventorySetQuantities.inventoryAdjustmentGroup?.id ?? null, changes };
}
