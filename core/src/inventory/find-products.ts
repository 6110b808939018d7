import type { Db } from '../db/connect.ts';

export interface CatalogMatch {
  id: string;
  sku: string;
  vatRate: string;
  /** The price in the given price list, when it lists the product. */
  price: string | null;
}

/** Products of the tenant by SKU, with their price in a price list (the channel's). */
export async function findProductsBySku(tx: Db, tenantId: string, skus: string[], priceListId: string | null): Promise<Map<string, CatalogMatch>> {
  if (skus.length === 0) return new Map();
  const rows = await tx<CatalogMatch[]>`
    select p.id::text, p.sku, p.vat_rate::text as "vatRate", pli.price::text
    from products p
    left join price_list_items pli on pli.tenant_id = p.tenant_id and pli.product_id = p.id and pli.price_list_id = ${priceListId}
    where p.tenant_id = ${tenantId} and p.sku = any(${skus})`;
  return new Map(rows.map((p) => [p.sku, p]));
}

/** The catalog VAT rate of each product (the rate an order line without its own falls back on). */
export async function productVatRates(db: Db, tenantId: string, productIds: string[]): Promise<Map<string, string>> {
  if (productIds.length === 0) return new Map();
  const rows = await db<{ id: string; vatRate: string }[]>`
    select id::text, vat_rate::text as "vatRate" from products where tenant_id = ${tenantId} and id = any(${productIds}::bigint[])`;
  return new Map(rows.map((r) => [r.id, r.vatRate]));
}

/** Each product's own VAT treatment (category, exemption code and text) for its invoice lines; products with none are left out. */
export async function productVatTreatments(
  db: Db,
  tenantId: string,
  productIds: string[],
): Promise<Map<string, { vatCategory: 'S' | 'Z' | 'E' | 'AE' | null; exemptionCode: string | null; exemptionReason: string | null }>> {
  if (productIds.length === 0) return new Map();
  const rows = await db<{ id: string; vatCategory: 'S' | 'Z' | 'E' | 'AE' | null; exemptionCode: string | null; exemptionReason: string | null }[]>`
    select id::text, vat_category as "vatCategory", vat_exemption_code as "exemptionCode", vat_exemption_reason as "exemptionReason"
    from products where tenant_id = ${tenantId} and id = any(${productIds}::bigint[]) and vat_category is not null`;
  return new Map(rows.map(({ id, ...t }) => [id, t]));
}

/** The product a barcode names, as a scan reports it. */
export async function productByBarcode(db: Db, tenantId: string, barcode: string): Promise<{ id: string; sku: string; name: string } | null> {
  const [p] = await db<{ id: string; sku: string; name: string }[]>`select id::text, sku, name from products where tenant_id = ${tenantId} and barcode = ${barcode}`;
  return p ?? null;
}
