import type { Db } from '../db/connect.ts';

export interface MovementProduct {
  id: string;
  sku: string;
  name: string;
  barcode: string | null;
}

/**
 * The product a stock-movement filter names: a scanned barcode or a typed SKU. The barcode wins
 * when a code is both (a scanner only ever sends barcodes); null when the tenant has neither.
 */
export async function findMovementProduct(db: Db, tenantId: string, code: string): Promise<MovementProduct | null> {
  const c = code.trim();
  if (!c) return null;
  const [p] = await db<MovementProduct[]>`
    select id::text, sku, name, barcode from products
    where tenant_id = ${tenantId} and (barcode = ${c} or sku = ${c})
    order by (barcode = ${c}) desc nulls last, products.id
    limit 1`;
  return p ?? null;
}

/**
 * What the movement history can be filtered by: the tenant's warehouses and the cause types its
 * ledger holds. Cause types are read by a skip scan over the (tenant, cause_type, cause_id) index,
 * so a ledger of millions of rows costs one index probe per distinct type, not a full scan.
 */
export async function stockMovementFilterOptions(db: Db, tenantId: string): Promise<{ warehouses: Array<{ id: string; code: string; name: string }>; causeTypes: string[] }> {
  const [warehouses, causes] = await Promise.all([
    db<{ id: string; code: string; name: string }[]>`select id::text, code, name from warehouses where tenant_id = ${tenantId} order by code`,
    db<{ c: string }[]>`
      with recursive t(c) as (
        (select cause_type from stock_movements where tenant_id = ${tenantId} order by cause_type limit 1)
        union all
        select (select m.cause_type from stock_movements m where m.tenant_id = ${tenantId} and m.cause_type > t.c order by m.cause_type limit 1)
        from t where t.c is not null
      )
      select c from t where c is not null limit 100`,
  ]);
  return { warehouses: [...warehouses], causeTypes: causes.map((r) => r.c) };
}

/** The packing list of each delivery note that has one: the screen a delivery note's movements link to. */
export async function packingListsOfDeliveryNotes(db: Db, tenantId: string, deliveryNoteIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(deliveryNoteIds.filter((id) => /^\d{1,18}$/.test(id)))];
  if (ids.length === 0) return new Map();
  const rows = await db<{ deliveryNoteId: string; id: string }[]>`
    select distinct on (delivery_note_id) delivery_note_id::text as "deliveryNoteId", id::text
    from packing_lists where tenant_id = ${tenantId} and delivery_note_id = any(${ids}::bigint[])
    order by delivery_note_id, packing_lists.id`;
  return new Map(rows.map((r) => [r.deliveryNoteId, r.id]));
}
