import type { Db, Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { noteStockChanged } from './channel-catalog.ts';

/*
 * Goods that come back from a customer (a return receipt approved, a quarantine released): put
 * into a bin of the warehouse, available again, one 'return' movement citing the return. Restock
 * takes the stock row's lock like a receipt; nothing here is called twice for the same receipt
 * line (the returns area marks the receipt approved in the same transaction).
 */

/** A bin of the warehouse that takes goods, by id or by the code scanned on the phone; the path names the field. */
export async function returnBin(db: Db, tenantId: string, warehouseId: string, ref: { binId?: string | undefined; binCode?: string | undefined }, path = 'binCode'): Promise<{ id: string; code: string }> {
  const byId = ref.binId !== undefined;
  if (byId && !isId(ref.binId!)) throw new DomainError('VALIDATION', `Bin ${ref.binId} does not exist.`, [{ path: 'binId', reason: 'unknown bin' }]);
  const [b] = await db<{ id: string; code: string; active: boolean }[]>`
    select id::text, code, active from bins
    where tenant_id = ${tenantId} and warehouse_id = ${warehouseId} and ${byId ? db`id = ${ref.binId!}` : db`code = ${ref.binCode ?? ''}`}`;
  const field = byId ? 'binId' : path;
  if (!b) throw new DomainError('VALIDATION', `No bin ${ref.binId ?? ref.binCode} in warehouse ${warehouseId}.`, [{ path: field, reason: `no bin ${ref.binId ?? ref.binCode} in warehouse ${warehouseId}` }]);
  if (!b.active) throw new DomainError('VALIDATION', `Bin ${b.code} is deactivated; it takes no goods.`, [{ path: field, reason: 'bin is deactivated' }]);
  return { id: b.id, code: b.code };
}

/** Returned units into a bin: on hand up, a 'return' movement citing the return, the stores told. */
export async function restockReturnedUnits(
  tx: Tx,
  tenantId: string,
  a: { warehouseId: string; binId: string; productId: string; quantity: number; returnId: string; note: string },
): Promise<void> {
  if (a.quantity <= 0) return;
  await tx`insert into stock (tenant_id, warehouse_id, product_id, bin_id, on_hand)
    values (${tenantId}, ${a.warehouseId}, ${a.productId}, ${a.binId}, ${a.quantity})
    on conflict (tenant_id, warehouse_id, product_id, bin_id)
    do update set on_hand = stock.on_hand + ${a.quantity}, updated_at = now()`;
  await tx`insert into stock_movements (tenant_id, warehouse_id, bin_id, product_id, kind, on_hand_delta, cause_type, cause_id, note)
    values (${tenantId}, ${a.warehouseId}, ${a.binId}, ${a.productId}, 'return', ${a.quantity}, 'return', ${a.returnId}, ${a.note})`;
  await noteStockChanged(tx, tenantId, [a.productId]);
}

/**
 * The restock step's undo: the units taken back out of the bin (never below what is reserved
 * there), a 'return' movement with the negative delta citing the same return.
 */
export async function unstockReturnedUnits(
  tx: Tx,
  tenantId: string,
  a: { warehouseId: string; binId: string; productId: string; quantity: number; returnId: string; note: string },
): Promise<number> {
  const [s] = await tx<{ free: number }[]>`
    select (on_hand - reserved)::int as free from stock
    where tenant_id = ${tenantId} and warehouse_id = ${a.warehouseId} and product_id = ${a.productId} and bin_id = ${a.binId} for update`;
  const take = Math.min(a.quantity, Math.max(0, s?.free ?? 0));
  if (take === 0) return 0;
  await tx`update stock set on_hand = on_hand - ${take}, updated_at = now()
    where tenant_id = ${tenantId} and warehouse_id = ${a.warehouseId} and product_id = ${a.productId} and bin_id = ${a.binId}`;
  await tx`insert into stock_movements (tenant_id, warehouse_id, bin_id, product_id, kind, on_hand_delta, cause_type, cause_id, note)
    values (${tenantId}, ${a.warehouseId}, ${a.binId}, ${a.productId}, 'return', ${-take}, 'return', ${a.returnId}, ${a.note})`;
  await noteStockChanged(tx, tenantId, [a.productId]);
  return take;
}

/** Which of these products the shop takes back (products.returnable). */
export async function productsReturnable(db: Db, tenantId: string, productIds: readonly string[]): Promise<Map<string, boolean>> {
  if (productIds.length === 0) return new Map();
  const rows = await db<{ id: string; returnable: boolean }[]>`
    select id::text, returnable from products where tenant_id = ${tenantId} and id = any(${productIds as string[]}::bigint[])`;
  return new Map(rows.map((r) => [r.id, r.returnable]));
}
