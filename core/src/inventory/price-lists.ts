import type { Db, Tx } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { fromUnits, mulDiv, toUnits } from '../shared/money.ts';

/**
 * Price lists: per-variant prices, and lists derived from another at a percent off ("B2B = Web −
 * 15 %"). A product's price in a list is the list's own item when it has one, else its base list's
 * price less the discount, rounded to cents; a list with neither does not price the product.
 */

export interface PriceListItemInput {
  productId?: string;
  sku?: string;
  /** null removes the item (a PATCH). */
  price: string | null;
}

export interface PriceListInput {
  name?: string;
  currency?: string;
  basePriceListId?: string | null;
  discountPercent?: string;
  items?: PriceListItemInput[];
}

export interface PriceList {
  id: string;
  name: string;
  currency: string;
  basePriceListId: string | null;
  discountPercent: string;
  items: Array<{ productId: string; sku: string; name: string; price: string }>;
  createdAt: string;
  updatedAt: string;
}

const MAX_DEPTH = 5;

const notFound = (id: string, path = 'id') => new DomainError('NOT_FOUND', `Price list ${id} does not exist.`, [{ path, reason: 'unknown price list' }]);

export async function listPriceLists(db: Db, tenantId: string): Promise<Array<Omit<PriceList, 'items'> & { itemCount: number }>> {
  const rows = await db<Array<Omit<PriceList, 'items' | 'createdAt' | 'updatedAt'> & { itemCount: number; createdAt: Date; updatedAt: Date }>>`
    select l.id::text, l.name, l.currency, l.base_price_list_id::text as "basePriceListId", l.discount_percent::text as "discountPercent",
      (select count(*)::int from price_list_items i where i.tenant_id = l.tenant_id and i.price_list_id = l.id) as "itemCount",
      l.created_at as "createdAt", l.updated_at as "updatedAt"
    from price_lists l where l.tenant_id = ${tenantId} order by l.id`;
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() }));
}

export async function getPriceList(db: Db, tenantId: string, id: string): Promise<PriceList> {
  if (!isId(id)) throw notFound(id);
  const [l] = await db<Array<Omit<PriceList, 'items' | 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date }>>`
    select id::text, name, currency, base_price_list_id::text as "basePriceListId", discount_percent::text as "discountPercent",
      created_at as "createdAt", updated_at as "updatedAt"
    from price_lists where tenant_id = ${tenantId} and id = ${id}`;
  if (!l) throw notFound(id);
  const items = await db<PriceList['items']>`
    select p.id::text as "productId", p.sku, p.name, i.price::text as price
    from price_list_items i join products p on p.tenant_id = i.tenant_id and p.id = i.product_id
    where i.tenant_id = ${tenantId} and i.price_list_id = ${id} order by p.sku`;
  return { ...l, items, createdAt: l.createdAt.toISOString(), updatedAt: l.updatedAt.toISOString() };
}

/** The price list's currency, or NOT_FOUND naming the field that gave the id. */
export async function priceListCurrency(db: Db, tenantId: string, id: string, path: string): Promise<string> {
  const [l] = isId(id) ? await db<{ currency: string }[]>`select currency from price_lists where tenant_id = ${tenantId} and id = ${id}` : [];
  if (!l) throw new DomainError('VALIDATION', `There is no price list ${id} in this tenant.`, [{ path, reason: 'unknown price list' }]);
  return l.currency;
}

export async function createPriceList(tx: Tx, tenantId: string, input: PriceListInput): Promise<PriceList> {
  const problems: ErrorDetail[] = [];
  if (!input.name?.trim()) problems.push({ path: 'name', reason: 'required' });
  if (!input.currency) problems.push({ path: 'currency', reason: 'required' });
  throwIf(problems);
  const [row] = await tx<{ id: string }[]>`insert into price_lists (tenant_id, name, currency) values (${tenantId}, ${input.name!.trim()}, ${input.currency!}) returning id::text`;
  return updatePriceList(tx, tenantId, row!.id, { ...input, name: undefined, currency: undefined });
}

/** Writes only the given keys; items are upserted by product (price null removes one). Checked whole under the list's row lock. */
export async function updatePriceList(tx: Tx, tenantId: string, id: string, input: PriceListInput): Promise<PriceList> {
  if (!isId(id)) throw notFound(id);
  const [cur] = await tx<{ currency: string; base: string | null; discount: string }[]>`
    select currency, base_price_list_id::text as base, discount_percent::text as discount from price_lists where tenant_id = ${tenantId} and id = ${id} for update`;
  if (!cur) throw notFound(id);
  const problems: ErrorDetail[] = [];
  const cols: Record<string, unknown> = {};
  if (input.name !== undefined) {
    if (!input.name.trim()) problems.push({ path: 'name', reason: 'required' });
    cols.name = input.name.trim();
  }
  if (input.currency !== undefined) cols.currency = input.currency;
  if (input.basePriceListId !== undefined) cols.base_price_list_id = input.basePriceListId;
  if (input.discountPercent !== undefined) cols.discount_percent = input.discountPercent;
  const currency = (cols.currency as string | undefined) ?? cur.currency;
  const base = input.basePriceListId !== undefined ? input.basePriceListId : cur.base;
  const discount = input.discountPercent ?? cur.discount;
  if (base) {
    // The chain up from the new base must not come back to this list, and stays short.
    const chain = await tx<{ id: string; currency: string }[]>`
      with recursive up(id, base, currency, depth) as (
        select id, base_price_list_id, currency, 1 from price_lists where tenant_id = ${tenantId} and id = ${base}
        union all
        select l.id, l.base_price_list_id, l.currency, up.depth + 1 from price_lists l join up on l.tenant_id = ${tenantId} and l.id = up.base where up.depth < ${MAX_DEPTH + 1}
      ) select id::text, currency from up`;
    if (chain.length === 0) problems.push({ path: 'basePriceListId', reason: 'unknown price list' });
    else if (chain.some((c) => c.id === id)) problems.push({ path: 'basePriceListId', reason: `price list ${base} is derived from this one` });
    else if (chain.length > MAX_DEPTH) problems.push({ path: 'basePriceListId', reason: `at most ${MAX_DEPTH} lists in a chain` });
    else if (chain[0]!.currency !== currency) problems.push({ path: 'basePriceListId', reason: `its currency is ${chain[0]!.currency}, this list's is ${currency}` });
  } else if (toUnits(discount) !== 0n) problems.push({ path: 'discountPercent', reason: 'a discount applies to a base price list; set basePriceListId' });
  if (input.currency !== undefined && input.currency !== cur.currency) {
    const [derived] = await tx`select 1 from price_lists where tenant_id = ${tenantId} and base_price_list_id = ${id} and currency <> ${currency}`;
    if (derived) problems.push({ path: 'currency', reason: 'lists derived from this one are in another currency' });
  }
  const items = input.items ?? [];
  const skus = items.filter((i) => !i.productId && i.sku).map((i) => i.sku!);
  const ids = items.filter((i) => i.productId).map((i) => i.productId!);
  const products = await tx<{ id: string; sku: string }[]>`
    select id::text, sku from products where tenant_id = ${tenantId} and (sku = any(${skus}) or id = any(${ids}::bigint[]))`;
  const resolved = items.map((item, i) => {
    const p = products.find((x) => (item.productId ? x.id === item.productId : x.sku === item.sku));
    if (!p) problems.push({ path: `items[${i}].${item.productId ? 'productId' : 'sku'}`, reason: `no product ${item.productId ?? item.sku}` });
    return { productId: p?.id ?? '', price: item.price };
  });
  const seen = new Set<string>();
  resolved.forEach((r, i) => {
    if (r.productId && seen.has(r.productId)) problems.push({ path: `items[${i}]`, reason: 'the product is listed twice' });
    seen.add(r.productId);
  });
  throwIf(problems);
  if (Object.keys(cols).length > 0) await tx`update price_lists set ${tx(cols)}, updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
  const upserts = resolved.filter((r) => r.price !== null);
  const removals = resolved.filter((r) => r.price === null).map((r) => r.productId);
  if (upserts.length > 0) {
    await tx`insert into price_list_items ${tx(upserts.map((r) => ({ tenant_id: tenantId, price_list_id: id, product_id: r.productId, price: r.price })))}
      on conflict (tenant_id, price_list_id, product_id) do update set price = excluded.price`;
  }
  if (removals.length > 0) await tx`delete from price_list_items where tenant_id = ${tenantId} and price_list_id = ${id} and product_id = any(${removals}::bigint[])`;
  if (items.length > 0 && Object.keys(cols).length === 0) await tx`update price_lists set updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
  return getPriceList(tx, tenantId, id);
}

/** What each product costs in the list (own item, else the base list's price less the discount); products it does not price are absent. */
export async function resolvePrices(db: Db, tenantId: string, priceListId: string, productIds: string[]): Promise<Map<string, string>> {
  if (productIds.length === 0) return new Map();
  const chain = await db<{ id: string; discount: string }[]>`
    with recursive up(id, base, discount, depth) as (
      select id, base_price_list_id, discount_percent, 1 from price_lists where tenant_id = ${tenantId} and id = ${priceListId}
      union all
      select l.id, l.base_price_list_id, l.discount_percent, up.depth + 1 from price_lists l join up on l.tenant_id = ${tenantId} and l.id = up.base where up.depth < ${MAX_DEPTH}
    ) select id::text, discount::text from up order by depth`;
  if (chain.length === 0) return new Map();
  const items = await db<{ listId: string; productId: string; price: string }[]>`
    select price_list_id::text as "listId", product_id::text as "productId", price::text from price_list_items
    where tenant_id = ${tenantId} and price_list_id = any(${chain.map((c) => c.id)}::bigint[]) and product_id = any(${productIds}::bigint[])`;
  const out = new Map<string, string>();
  for (const productId of new Set(productIds)) {
    // The nearest list that prices the product; every list between it and the asked one takes its discount.
    const at = chain.findIndex((c) => items.some((i) => i.listId === c.id && i.productId === productId));
    if (at < 0) continue;
    let units = toUnits(items.find((i) => i.listId === chain[at]!.id && i.productId === productId)!.price);
    for (let k = at - 1; k >= 0; k--) units = mulDiv(units, toUnits('100') - toUnits(chain[k]!.discount), toUnits('100'));
    out.set(productId, at === 0 ? fromUnits(units, 4).replace(/(\.\d\d)00$/, '$1') : fromUnits(units, 2));
  }
  return out;
}

/** Catalog products by id or SKU, as an order line names them. */
export async function catalogProducts(db: Db, tenantId: string, ref: { ids: string[]; skus: string[] }): Promise<Array<{ id: string; sku: string; name: string; vatRate: string }>> {
  if (ref.ids.length === 0 && ref.skus.length === 0) return [];
  return db<Array<{ id: string; sku: string; name: string; vatRate: string }>>`
    select id::text, sku, name, vat_rate::text as "vatRate" from products
    where tenant_id = ${tenantId} and (id = any(${ref.ids.filter(isId)}::bigint[]) or sku = any(${ref.skus}))`;
}

/** The tenant's warehouse when it has exactly one (what a new manual channel ships from); else null. */
export async function soleWarehouseId(db: Db, tenantId: string): Promise<string | null> {
  const rows = await db<{ id: string }[]>`select id::text from warehouses where tenant_id = ${tenantId} order by warehouses.id limit 2`;
  return rows.length === 1 ? rows[0]!.id : null;
}

function throwIf(problems: ErrorDetail[]): void {
  if (problems.length > 0) throw new DomainError('VALIDATION', `Invalid ${problems[0]!.path}: ${problems[0]!.reason}.`, problems);
}

/** The catalog an order form offers (SKU and name), each with its price in the price list when it has one. */
export async function catalogChoices(db: Db, tenantId: string, priceListId: string | null, limit = 1000): Promise<Array<{ id: string; sku: string; name: string; price: string | null }>> {
  const rows = await db<Array<{ id: string; sku: string; name: string }>>`select id::text, sku, name from products where tenant_id = ${tenantId} order by sku limit ${limit}`;
  const prices = priceListId ? await resolvePrices(db, tenantId, priceListId, rows.map((r) => r.id)) : new Map<string, string>();
  return rows.map((r) => ({ ...r, price: prices.get(r.id) ?? null }));
}
