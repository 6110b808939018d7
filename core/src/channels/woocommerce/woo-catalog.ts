import { DomainError, isDomainError } from '../../shared/domain-error.ts';
import type { PulledCatalog, PushResult, StockLevelPush, StoreCatalogItem } from '../shop-connector.ts';
import type { WooRestClient } from './woo-rest-client.ts';

/*
 * WooCommerce's catalog and stock (REST v3): `GET /products` paged by page/per_page, each variable
 * product's `GET /products/{id}/variations`, the store's weight unit
 * (`GET /settings/products/woocommerce_weight_unit`), and one stock per unit:
 * `PUT /products/{id}` or `/products/{id}/variations/{vid}` with `manage_stock` and `stock_quantity`.
 */

interface WooCursor {
  page: number;
  /** The store's weight unit, read once per sync. */
  unit: string;
}

type WooProduct = {
  id: number;
  name: string;
  type: string;
  sku?: string;
  global_unique_id?: string;
  price?: string;
  weight?: string;
  manage_stock?: boolean | string;
  stock_quantity?: number | null;
};
type WooVariation = WooProduct & { attributes?: Array<{ name?: string; option?: string }> };

const KG_PER: Record<string, number> = { kg: 1, g: 0.001, lbs: 0.45359237, oz: 0.028349523125 };

/** A WooCommerce weight string in the store's unit, in kilograms (3 decimals); empty or 0 → null. */
export function wooWeightKg(weight: string | undefined | null, unit: string): string | null {
  const n = Number((weight ?? '').trim().replace(',', '.'));
  const factor = KG_PER[unit] ?? 1;
  if (!weight?.trim() || !Number.isFinite(n) || n <= 0) return null;
  const kg = Math.round(n * factor * 1000) / 1000;
  return kg > 0 ? kg.toFixed(3) : null;
}

async function weightUnit(client: WooRestClient, signal?: AbortSignal): Promise<string> {
  try {
    const res = await client.get<{ value?: unknown }>('settings/products/woocommerce_weight_unit', undefined, signal ? { signal } : undefined);
    const v = res.body?.value;
    return typeof v === 'string' && v in KG_PER ? v : 'kg';
  } catch (e) {
    // A key without settings access, or a store that hides the route: WooCommerce's default unit.
    if (isDomainError(e) && e.code === 'NOT_FOUND') return 'kg';
    throw e;
  }
}

function parseCursor(cursor: string | null): WooCursor | null {
  if (!cursor) return null;
  try {
    const c = JSON.parse(cursor) as Partial<WooCursor>;
    if (typeof c.page === 'number' && c.page >= 1 && typeof c.unit === 'string') return { page: c.page, unit: c.unit };
  } catch {}
  throw new DomainError('VALIDATION', `WooCommerce catalog cursor is unreadable: ${cursor.slice(0, 80)}.`, [{ path: 'cursor', reason: 'unreadable' }]);
}

const clean = (s: string | undefined): string | null => (s?.trim() ? s.trim() : null);

function item(p: WooProduct, parent: WooProduct | null, unit: string, title: string): StoreCatalogItem {
  return {
    externalVariantId: String(p.id),
    externalProductId: String(parent?.id ?? p.id),
    inventoryItemId: null,
    sku: clean(p.sku),
    barcode: clean(p.global_unique_id),
    title,
    price: clean(p.price),
    weightKg: wooWeightKg(p.weight, unit) ?? (parent ? wooWeightKg(parent.weight, unit) : null),
    tracksStock: p.manage_stock === true,
  };
}

export async function pullWooCatalog(client: WooRestClient, cursor: string | null, perPage: number, signal?: AbortSignal): Promise<PulledCatalog> {
  const opts = signal ? { signal } : undefined;
  const c = parseCursor(cursor) ?? { page: 1, unit: await weightUnit(client, signal) };
  const res = await client.get<WooProduct[]>('products', { per_page: perPage, page: c.page, orderby: 'id', order: 'asc' }, opts);
  if (!Array.isArray(res.body)) throw new DomainError('UPSTREAM', `WooCommerce store ${client.storeName} returned a non-list for GET /products.`);
  const items: StoreCatalogItem[] = [];
  for (const p of res.body) {
    if (p.type === 'variable') {
      for (let page = 1; page <= 100; page++) {
        const v = await client.get<WooVariation[]>(`products/${p.id}/variations`, { per_page: 100, page }, opts);
        if (!Array.isArray(v.body)) break;
        for (const variation of v.body) {
          const options = (variation.attributes ?? []).map((a) => a.option).filter(Boolean).join(', ');
          items.push(item(variation, p, c.unit, options ? `${p.name} – ${options}` : p.name));
        }
        const pages = Number(v.headers.get('x-wp-totalpages') ?? '1');
        if (page >= pages || v.body.length < 100) break;
      }
    } else if (p.type === 'simple' || p.type === undefined) {
      items.push(item(p, null, c.unit, p.name));
    }
    // grouped and external products have no stock of their own: nothing to ship, nothing to sync.
  }
  const totalPages = Number(res.headers.get('x-wp-totalpages') ?? 'NaN');
  const done = Number.isFinite(totalPages) ? c.page >= totalPages : res.body.length < perPage;
  return { items, nextCursor: done ? null : JSON.stringify({ page: c.page + 1, unit: c.unit }), done };
}

/**
 * Sets the unit's stock_quantity (and manage_stock, so WooCommerce counts it) to Expedio's
 * available stock. Reads first: a unit that already shows the number is not written.
 */
export async function pushWooStock(client: WooRestClient, level: StockLevelPush): Promise<PushResult> {
  const path = level.externalVariantId === level.externalProductId ? `products/${level.externalProductId}` : `products/${level.externalProductId}/variations/${level.externalVariantId}`;
  const available = Math.max(0, level.available);
  const now = await client.get<WooProduct>(path);
  const from = typeof now.body?.stock_quantity === 'number' ? now.body.stock_quantity : null;
  if (now.body?.manage_stock === true && from === available) return { outcome: 'unchanged', sku: level.sku, path, quantity: available };
  await client.put(path, { manage_stock: true, stock_quantity: available });
  return { outcome: 'ok', sku: level.sku, path, from, to: available };
}
