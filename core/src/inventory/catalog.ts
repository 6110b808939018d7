import type { Db, Tx } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';

/*
 * The catalog: products and their variants. A variant is a `products` row (one SKU: stocked,
 * reserved, ordered, picked; its id is the `productId` of stock receipts, adjustments and order
 * lines). A product groups variants under a name; its id is the id of its first variant, so a
 * variant no product groups (a row a store pull or the demo wrote) is a product of its own with the
 * same id. Every variant is editable whatever its origin; an edit is stamped `edited_at`.
 */

export interface Variant {
  id: string;
  productId: string;
  sku: string;
  barcode: string | null;
  name: string;
  /** Decimal strings, as the columns hold them (kilograms, centimetres, percent, the catalog price). */
  weightKg: string | null;
  lengthCm: string | null;
  widthCm: string | null;
  heightCm: string | null;
  vatRate: string;
  vatCategory: 'S' | 'Z' | 'E' | 'AE' | null;
  vatExemptionCode: string | null;
  vatExemptionReason: string | null;
  price: string | null;
  archived: boolean;
  /** 'api', 'csv_import', 'channel' (originChannelId names the store), or null: written before origins were kept. */
  origin: string | null;
  originChannelId: string | null;
  /** When the variant was last edited here (null: never, it is as its origin wrote it). */
  editedAt: string | null;
  /** Whether the shop takes it back (products.returnable). */
  returnable: boolean;
  /** The store ids the variant is known by, per channel. */
  channels: Array<{ channelId: string; externalProductId: string | null; externalVariantId: string | null }>;
}

export interface CatalogProduct {
  id: string;
  name: string;
  /** Every variant archived. */
  archived: boolean;
  variants: Variant[];
}

export interface VariantFields {
  sku: string;
  barcode?: string | null | undefined;
  name?: string | undefined;
  weightKg?: string | null | undefined;
  lengthCm?: string | null | undefined;
  widthCm?: string | null | undefined;
  heightCm?: string | null | undefined;
  vatRate?: string | undefined;
  price?: string | null | undefined;
  vatCategory?: 'S' | 'Z' | 'E' | 'AE' | null | undefined;
  vatExemptionCode?: string | null | undefined;
  vatExemptionReason?: string | null | undefined;
}

export type VariantPatch = Partial<VariantFields> & { archived?: boolean | undefined };

export interface NewProduct {
  name: string;
  variants: VariantFields[];
  origin?: 'api' | 'csv_import' | undefined;
}

const MEASURES = { weightKg: 'weight_kg', lengthCm: 'length_cm', widthCm: 'width_cm', heightCm: 'height_cm' } as const;
const DECIMAL_RULES: Record<'weightKg' | 'lengthCm' | 'widthCm' | 'heightCm' | 'vatRate' | 'price', { int: number; frac: number; max?: number }> = {
  weightKg: { int: 7, frac: 3 },
  lengthCm: { int: 9, frac: 1 },
  widthCm: { int: 9, frac: 1 },
  heightCm: { int: 9, frac: 1 },
  vatRate: { int: 3, frac: 2, max: 100 },
  price: { int: 10, frac: 4 },
};

/** A decimal as a column takes it, or the reason it is not one ("0,5" from a Romanian spreadsheet is 0.5). */
export function checkDecimal(field: keyof typeof DECIMAL_RULES, raw: string): { value: string } | { reason: string } {
  const rule = DECIMAL_RULES[field];
  const s = raw.trim().replace(',', '.');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { reason: `must be a number ≥ 0 with at most ${rule.frac} decimals` };
  if (m[1]!.replace(/^0+(?=\d)/, '').length > rule.int || (m[2] ?? '').length > rule.frac) return { reason: `must be a number ≥ 0 with at most ${rule.frac} decimals` };
  if (rule.max !== undefined && Number(s) > rule.max) return { reason: `must be at most ${rule.max}` };
  return { value: s };
}

/** Checks and normalises a variant's fields (decimals, trimmed texts); faults are named `${prefix}field`. */
export function checkVariantFields<T extends VariantPatch>(v: T, prefix = ''): { value: T; faults: ErrorDetail[] } {
  const faults: ErrorDetail[] = [];
  const out: Record<string, unknown> = { ...v };
  if (v.sku !== undefined) {
    const sku = v.sku.trim();
    if (sku === '' || sku.length > 100 || /\s/.test(sku)) faults.push({ path: `${prefix}sku`, reason: 'required: 1-100 characters without spaces' });
    out.sku = sku;
  }
  if (v.barcode !== undefined && v.barcode !== null) {
    const b = v.barcode.trim();
    if (b === '') out.barcode = null;
    else if (b.length > 64 || /\s/.test(b)) faults.push({ path: `${prefix}barcode`, reason: 'at most 64 characters without spaces' });
    else out.barcode = b;
  }
  if (v.name !== undefined) {
    const n = v.name.trim();
    if (n === '' || n.length > 300) faults.push({ path: `${prefix}name`, reason: 'required: 1-300 characters' });
    out.name = n;
  }
  for (const f of ['weightKg', 'lengthCm', 'widthCm', 'heightCm', 'vatRate', 'price'] as const) {
    const raw = v[f];
    if (raw === undefined || raw === null) continue;
    if (f === 'vatRate' || raw.trim() !== '') {
      const r = checkDecimal(f, raw);
      if ('reason' in r) faults.push({ path: `${prefix}${f}`, reason: r.reason });
      else out[f] = r.value;
    } else out[f] = null;
  }
  // A zero-rated or exempt product charges no VAT: its rate is 0.
  if ((v.vatCategory === 'Z' || v.vatCategory === 'E') && v.vatRate !== undefined && Number(v.vatRate) > 0) faults.push({ path: `${prefix}vatRate`, reason: `must be 0 for VAT category ${v.vatCategory}` });
  return { value: out as T, faults };
}

/** The tenant's variants already holding any of these SKUs or barcodes (other than `except`). */
async function takenBy(db: Db, tenantId: string, skus: string[], barcodes: string[], except: string[] = []) {
  const rows = await db<{ id: string; sku: string; barcode: string | null }[]>`
    select id::text, sku, barcode from products
    where tenant_id = ${tenantId} and (sku = any(${skus}::text[]) or barcode = any(${barcodes}::text[])) and not (id = any(${except}::bigint[]))`;
  return { sku: new Map(rows.map((r) => [r.sku, r.id])), barcode: new Map(rows.filter((r) => r.barcode !== null).map((r) => [r.barcode!, r.id])) };
}

/** A unique index refused the write (a race past our check): the same 409 as the check. */
function conflictOf(e: unknown, path: (f: 'sku' | 'barcode') => string): never {
  const pg = e as { code?: string; constraint_name?: string };
  if (pg.code === '23505') {
    const f = pg.constraint_name === 'products_barcode' ? 'barcode' : 'sku';
    throw new DomainError('CONFLICT', `Another variant took this ${f} at the same moment.`, [{ path: path(f), reason: `already used by another variant` }]);
  }
  throw e;
}

const dupes = (values: Array<string | null | undefined>) => {
  const seen = new Map<string, number>();
  return values.map((v, i) => {
    if (v === null || v === undefined) return null;
    const first = seen.get(v);
    if (first === undefined) seen.set(v, i);
    return first ?? null;
  });
};

/** Refuses SKUs and barcodes another variant (or another variant of the same input) already holds: 409 naming the field. */
async function checkUnique(db: Db, tenantId: string, variants: Array<Pick<VariantFields, 'sku' | 'barcode'>>, path: (i: number, f: string) => string, except: string[] = []) {
  const skus = variants.map((v) => v.sku).filter((s): s is string => s !== undefined);
  const barcodes = variants.map((v) => v.barcode).filter((b): b is string => typeof b === 'string');
  const taken = await takenBy(db, tenantId, skus, barcodes, except);
  const faults: ErrorDetail[] = [];
  const skuDup = dupes(variants.map((v) => v.sku));
  const barDup = dupes(variants.map((v) => v.barcode));
  variants.forEach((v, i) => {
    if (v.sku !== undefined && taken.sku.has(v.sku)) faults.push({ path: path(i, 'sku'), reason: `SKU ${v.sku} is already used by variant ${taken.sku.get(v.sku)}` });
    else if (skuDup[i] !== null) faults.push({ path: path(i, 'sku'), reason: `SKU ${v.sku} is given twice (also variants[${skuDup[i]}])` });
    if (typeof v.barcode === 'string' && taken.barcode.has(v.barcode)) faults.push({ path: path(i, 'barcode'), reason: `barcode ${v.barcode} is already used by variant ${taken.barcode.get(v.barcode)}` });
    else if (barDup[i] !== null) faults.push({ path: path(i, 'barcode'), reason: `barcode ${v.barcode} is given twice (also variants[${barDup[i]}])` });
  });
  if (faults.length > 0) throw new DomainError('CONFLICT', `Not saved: ${faults.map((f) => `${f.path}: ${f.reason}`).join('; ')}.`, faults);
}

function throwFaults(what: string, faults: ErrorDetail[]) {
  if (faults.length > 0) throw new DomainError('VALIDATION', `${what} was not saved: ${faults.map((f) => `${f.path} ${f.reason}`).join('; ')}.`, faults);
}

async function insertVariant(tx: Tx, tenantId: string, v: VariantFields, fallbackName: string, origin: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`insert into products (tenant_id, sku, barcode, name, vat_rate, weight_kg, length_cm, width_cm, height_cm, price, origin,
      vat_category, vat_exemption_code, vat_exemption_reason)
    values (${tenantId}, ${v.sku}, ${v.barcode ?? null}, ${v.name ?? fallbackName}, ${v.vatRate ?? '21'}, ${v.weightKg ?? null}, ${v.lengthCm ?? null},
            ${v.widthCm ?? null}, ${v.heightCm ?? null}, ${v.price ?? null}, ${origin}, ${v.vatCategory ?? null}, ${v.vatExemptionCode ?? null}, ${v.vatExemptionReason ?? null})
    returning id::text`.catch((e) => conflictOf(e, (f) => f));
  return row!.id;
}

/** A new product with its variants (at least one); SKUs and barcodes unique in the tenant (409 naming `variants[i].sku`). */
export async function createProduct(tx: Tx, tenantId: string, p: NewProduct): Promise<CatalogProduct> {
  const name = p.name.trim();
  const faults: ErrorDetail[] = [];
  if (name === '' || name.length > 300) faults.push({ path: 'name', reason: 'required: 1-300 characters' });
  if (p.variants.length === 0) faults.push({ path: 'variants', reason: 'a product needs at least one variant' });
  const variants = p.variants.map((v, i) => {
    const r = checkVariantFields(v, `variants[${i}].`);
    faults.push(...r.faults);
    return r.value;
  });
  throwFaults(`Product ${name}`, faults);
  await checkUnique(tx, tenantId, variants, (i, f) => `variants[${i}].${f}`);
  const ids: string[] = [];
  for (const v of variants) ids.push(await insertVariant(tx, tenantId, v, name, p.origin ?? 'api'));
  await tx`insert into catalog_products (tenant_id, id, name) values (${tenantId}, ${ids[0]!}, ${name})`;
  await tx`update products set catalog_product_id = ${ids[0]!} where tenant_id = ${tenantId} and id = any(${ids}::bigint[])`;
  return getProduct(tx, tenantId, ids[0]!);
}

/** The catalog row of a product, created for a variant that was a product of its own (so it can be named or given more variants). */
async function ensureCatalogRow(tx: Tx, tenantId: string, productId: string): Promise<void> {
  const [own] = await tx<{ catalog_product_id: string | null; name: string }[]>`
    select catalog_product_id::text, name from products where tenant_id = ${tenantId} and id = ${productId} for update`;
  if (!own || own.catalog_product_id !== null) return;
  await tx`insert into catalog_products (tenant_id, id, name) values (${tenantId}, ${productId}, ${own.name}) on conflict do nothing`;
  await tx`update products set catalog_product_id = ${productId} where tenant_id = ${tenantId} and id = ${productId}`;
}

const productNotFound = (id: string) => new DomainError('NOT_FOUND', `Product ${id} does not exist.`, [{ path: 'id', reason: 'unknown product' }]);

/** Another variant for an existing product. */
export async function addVariant(tx: Tx, tenantId: string, productId: string, v: VariantFields, origin: 'api' | 'csv_import' = 'api'): Promise<CatalogProduct> {
  const product = await getProduct(tx, tenantId, productId);
  const r = checkVariantFields(v);
  throwFaults(`Variant ${v.sku}`, r.faults);
  await checkUnique(tx, tenantId, [r.value], (_i, f) => f);
  await ensureCatalogRow(tx, tenantId, product.id);
  const id = await insertVariant(tx, tenantId, r.value, product.name, origin);
  await tx`update products set catalog_product_id = ${product.id} where tenant_id = ${tenantId} and id = ${id}`;
  return getProduct(tx, tenantId, product.id);
}

/** Renames a product. */
export async function updateProduct(tx: Tx, tenantId: string, productId: string, patch: { name?: string | undefined; returnable?: boolean | undefined }): Promise<CatalogProduct> {
  await getProduct(tx, tenantId, productId);
  // Whether the shop takes the goods back (hygiene goods, made to measure: no), for every variant; the returns' eligibility reads it.
  if (patch.returnable !== undefined) {
    await tx`update products set returnable = ${patch.returnable}, edited_at = now()
      where tenant_id = ${tenantId} and coalesce(catalog_product_id, id) = ${productId} and returnable <> ${patch.returnable}`;
  }
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    throwFaults(`Product ${productId}`, name === '' || name.length > 300 ? [{ path: 'name', reason: 'required: 1-300 characters' }] : []);
    await ensureCatalogRow(tx, tenantId, productId);
    await tx`update catalog_products set name = ${name}, updated_at = now() where tenant_id = ${tenantId} and id = ${productId}`;
  }
  return getProduct(tx, tenantId, productId);
}

/**
 * Edits a variant, whatever wrote it (a store pull included): only the fields given; null clears a
 * barcode, a measure or the price. A SKU or barcode another variant holds is refused (409 naming it).
 */
export async function updateVariant(tx: Tx, tenantId: string, productId: string, variantId: string, patch: VariantPatch): Promise<CatalogProduct> {
  const product = await getProduct(tx, tenantId, productId);
  if (!product.variants.some((v) => v.id === variantId)) {
    throw new DomainError('NOT_FOUND', `Product ${productId} has no variant ${variantId}.`, [{ path: 'variantId', reason: 'not a variant of this product' }]);
  }
  const r = checkVariantFields(patch);
  throwFaults(`Variant ${variantId}`, r.faults);
  const p = r.value;
  if (p.sku !== undefined || typeof p.barcode === 'string') await checkUnique(tx, tenantId, [{ sku: p.sku, barcode: p.barcode }] as VariantFields[], (_i, f) => f, [variantId]);
  const set: Record<string, unknown> = {};
  if (p.sku !== undefined) set.sku = p.sku;
  if (p.barcode !== undefined) set.barcode = p.barcode;
  if (p.name !== undefined) set.name = p.name;
  if (p.vatRate !== undefined) set.vat_rate = p.vatRate;
  if (p.vatCategory !== undefined) set.vat_category = p.vatCategory;
  if (p.vatExemptionCode !== undefined) set.vat_exemption_code = p.vatExemptionCode;
  if (p.vatExemptionReason !== undefined) set.vat_exemption_reason = p.vatExemptionReason;
  if (p.price !== undefined) set.price = p.price;
  for (const [k, col] of Object.entries(MEASURES)) if (p[k as keyof typeof MEASURES] !== undefined) set[col] = p[k as keyof typeof MEASURES];
  if (p.archived !== undefined) set.archived_at = p.archived ? new Date() : null;
  if (typeof (patch as { returnable?: unknown }).returnable === 'boolean') set.returnable = (patch as { returnable: boolean }).returnable;
  if (Object.keys(set).length > 0) {
    await tx`update products set ${tx(set)}, edited_at = now() where tenant_id = ${tenantId} and id = ${variantId}`.catch((e) => conflictOf(e, (f) => f));
  }
  return getProduct(tx, tenantId, productId);
}

/** Archives (or restores) every variant of a product: it leaves the catalog list, its history and stock stay. */
export async function archiveProduct(tx: Tx, tenantId: string, productId: string, archived: boolean): Promise<CatalogProduct> {
  await getProduct(tx, tenantId, productId);
  await tx`update products set archived_at = ${archived ? new Date() : null}, edited_at = now()
    where tenant_id = ${tenantId} and coalesce(catalog_product_id, id) = ${productId} and (archived_at is null) = ${archived}`;
  return getProduct(tx, tenantId, productId);
}

interface VariantRow extends Omit<Variant, 'archived' | 'editedAt'> {
  archivedAt: Date | null;
  editedAt: Date | null;
}

const toVariant = ({ archivedAt, editedAt, ...r }: VariantRow): Variant => ({ ...r, archived: archivedAt !== null, editedAt: editedAt ? editedAt.toISOString() : null });

async function loadProducts(db: Db, tenantId: string, ids: string[]): Promise<CatalogProduct[]> {
  if (ids.length === 0) return [];
  const [rows, named] = await Promise.all([
    db<VariantRow[]>`
      select p.id::text, coalesce(p.catalog_product_id, p.id)::text as "productId", p.sku, p.barcode, p.name,
             p.weight_kg::text as "weightKg", p.length_cm::text as "lengthCm", p.width_cm::text as "widthCm", p.height_cm::text as "heightCm",
             p.vat_rate::text as "vatRate", p.vat_category as "vatCategory", p.vat_exemption_code as "vatExemptionCode",
             p.vat_exemption_reason as "vatExemptionReason", p.price::text as price, p.archived_at as "archivedAt", p.origin, p.origin_channel_id::text as "originChannelId",
             p.edited_at as "editedAt", p.returnable,
             coalesce((select json_agg(json_build_object('channelId', c.channel_id::text, 'externalProductId', c.external_product_id,
                                                         'externalVariantId', nullif(c.external_variant_id, '')) order by c.channel_id)
                       from product_channel_ids c where c.tenant_id = p.tenant_id and c.product_id = p.id), '[]'::json) as channels
      from products p
      where p.tenant_id = ${tenantId} and coalesce(p.catalog_product_id, p.id) = any(${ids}::bigint[])
      order by p.id`,
    db<{ id: string; name: string }[]>`select id::text, name from catalog_products where tenant_id = ${tenantId} and id = any(${ids}::bigint[])`,
  ]);
  const names = new Map(named.map((n) => [n.id, n.name]));
  const byProduct = new Map<string, Variant[]>();
  for (const r of rows) {
    const list = byProduct.get(r.productId) ?? [];
    list.push(toVariant(r));
    byProduct.set(r.productId, list);
  }
  return ids.flatMap((id) => {
    const variants = byProduct.get(id);
    if (!variants) return [];
    return [{ id, name: names.get(id) ?? variants[0]!.name, archived: variants.every((v) => v.archived), variants }];
  });
}

export async function getProduct(db: Db, tenantId: string, id: string): Promise<CatalogProduct> {
  if (!isId(id)) throw productNotFound(id);
  const [p] = await loadProducts(db, tenantId, [id]);
  if (!p) throw productNotFound(id);
  return p;
}

/** `like` pattern of a literal text. */
const likeText = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Products whose name, or any variant's SKU, barcode or name, contains the search text (any case,
 * barcodes exactly); in id order, keyset-paged (the cursor is the last product id of the page).
 * Archived products only when asked for.
 */
export async function listProducts(
  db: Db,
  tenantId: string,
  f: { q?: string | undefined; archived?: 'exclude' | 'only' | 'all' | undefined; limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<{ products: CatalogProduct[]; nextCursor: string | null }> {
  const limit = f.limit ?? 50;
  if (f.cursor !== undefined && !isId(f.cursor)) throw new DomainError('VALIDATION', 'The cursor is not one this API returned.', [{ path: 'cursor', reason: 'malformed cursor' }]);
  const q = f.q?.trim() ? f.q.trim() : null;
  const archived = f.archived ?? 'exclude';
  const rows = await db<{ id: string }[]>`
    select m.pid::text as id from (
      select coalesce(p.catalog_product_id, p.id) as pid, p.archived_at
      from products p
      left join catalog_products cp on cp.tenant_id = p.tenant_id and cp.id = p.catalog_product_id
      where p.tenant_id = ${tenantId}
        and (${q}::text is null or p.sku ilike ${likeText(q ?? '')} or p.name ilike ${likeText(q ?? '')} or p.barcode = ${q} or cp.name ilike ${likeText(q ?? '')})
    ) m
    where (${f.cursor ?? null}::bigint is null or m.pid > ${f.cursor ?? null}::bigint)
    group by m.pid
    having ${archived}::text = 'all' or (${archived}::text = 'only') = bool_and(m.archived_at is not null)
    order by m.pid limit ${limit + 1}`;
  const page = rows.slice(0, limit).map((r) => r.id);
  return { products: await loadProducts(db, tenantId, page), nextCursor: rows.length > limit ? (page[page.length - 1] ?? null) : null };
}

/** The variants holding these SKUs, with the product each belongs to (for imports). */
export async function variantsBySku(db: Db, tenantId: string, skus: string[]): Promise<Map<string, { id: string; productId: string; barcode: string | null }>> {
  if (skus.length === 0) return new Map();
  const rows = await db<{ id: string; productId: string; sku: string; barcode: string | null }[]>`
    select id::text, coalesce(catalog_product_id, id)::text as "productId", sku, barcode from products where tenant_id = ${tenantId} and sku = any(${skus}::text[])`;
  return new Map(rows.map((r) => [r.sku, r]));
}
