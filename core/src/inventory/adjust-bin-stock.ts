import type { Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { noteStockChanged } from './channel-catalog.ts';
import { type BinRef, binKey, type ProductRef, refKey, refValue, resolveBins, resolveProducts, warehouseNotFound } from './stock-receipts.ts';

export type StockAdjustmentInput = ProductRef &
  BinRef & {
    warehouseId: string;
    reason: string;
  } & ({ delta: number } | { countedQuantity: number });

export interface StockAdjustment {
  movementId: string;
  kind: 'stock_adjustment' | 'stock_count';
  warehouseId: string;
  binId: string;
  productId: string;
  delta: number;
  onHand: number;
  reserved: number;
  reason: string;
}

/**
 * Corrects a bin's on hand: by a delta, or to a counted quantity (a stock count). The stock row is
 * locked before the check, so a confirm reserving the same bin cannot slip in between; on hand never
 * goes below what is reserved (those units are promised to orders: release them first). The
 * 'adjustment' movement carries the reason and cites itself (an adjustment has no other document).
 */
export async function adjustBinStock(tx: Tx, tenantId: string, a: StockAdjustmentInput): Promise<StockAdjustment> {
  const [wh] = await tx<{ id: string }[]>`select id::text from warehouses where tenant_id = ${tenantId} and id = ${isId(a.warehouseId) ? a.warehouseId : '0'}`;
  if (!wh) throw warehouseNotFound(a.warehouseId);
  const pk = refKey(a);
  const bk = binKey(a);
  const pv = refValue(a, pk);
  const bv = refValue(a, bk);
  const [products, bins] = await Promise.all([resolveProducts(tx, tenantId, [a]), resolveBins(tx, tenantId, a.warehouseId, [a])]);
  const product = products.get(`${pk}:${pv}`);
  const bin = bins.get(`${bk}:${bv}`);
  const faults = [
    ...(product ? [] : [{ path: pk, reason: `unknown product ${pv}` }]),
    ...(!bin ? [{ path: bk, reason: bk === 'binCode' ? `no bin ${bv} in warehouse ${a.warehouseId}` : `unknown bin ${bv}` }] : []),
    ...(bin && bin.warehouseId !== a.warehouseId ? [{ path: bk, reason: `bin ${bin.code} is in warehouse ${bin.warehouseId}, not ${a.warehouseId}` }] : []),
    ...(bin && bin.warehouseId === a.warehouseId && !bin.active && !('countedQuantity' in a && a.countedQuantity === 0) ? [{ path: bk, reason: `bin ${bin.code} is deactivated` }] : []),
  ];
  if (faults.length > 0 || !product || !bin) {
    throw new DomainError('VALIDATION', `The stock adjustment was not recorded: ${faults.map((f) => `${f.path} ${f.reason}`).join('; ')}.`, faults);
  }

  // The row exists from here on (a count of an empty bin starts at 0), and is ours until commit.
  await tx`insert into stock (tenant_id, warehouse_id, product_id, bin_id) values (${tenantId}, ${a.warehouseId}, ${product.id}, ${bin.id})
    on conflict (tenant_id, warehouse_id, product_id, bin_id) do nothing`;
  const [row] = await tx<{ on_hand: number; reserved: number }[]>`select on_hand, reserved from stock
    where tenant_id = ${tenantId} and warehouse_id = ${a.warehouseId} and product_id = ${product.id} and bin_id = ${bin.id} for update`;
  const { on_hand: onHand, reserved } = row!;
  const counted = 'countedQuantity' in a;
  const delta = counted ? a.countedQuantity - onHand : a.delta;
  const field = counted ? 'countedQuantity' : 'delta';
  if (!Number.isSafeInteger(delta) || (!counted && delta === 0) || (counted && a.countedQuantity < 0)) {
    throw new DomainError('VALIDATION', `Invalid ${field}: ${counted ? 'a count is a whole number, 0 or more' : 'a delta is a whole number other than 0'}.`, [
      { path: field, reason: counted ? 'must be a whole number >= 0' : 'must be a non-zero whole number' },
    ]);
  }
  if (onHand + delta < reserved) {
    throw new DomainError(
      'VALIDATION',
      `Bin ${bin.code} holds ${onHand} of ${product.sku}, ${reserved} of them reserved for orders; on hand cannot go to ${onHand + delta}. Release the reservations first.`,
      [{ path: field, reason: `on hand ${onHand + delta} would be below the ${reserved} reserved (on hand now ${onHand})` }],
    );
  }
  await tx`update stock set on_hand = on_hand + ${delta}, updated_at = now()
    where tenant_id = ${tenantId} and warehouse_id = ${a.warehouseId} and product_id = ${product.id} and bin_id = ${bin.id}`;
  const kind = counted ? 'stock_count' : 'stock_adjustment';
  // The movement's own id is its cause id: one statement takes the id and writes the row.
  const [m] = await tx<{ id: string }[]>`with n as (select nextval(pg_get_serial_sequence('stock_movements', 'id')) as id)
    insert into stock_movements (tenant_id, id, warehouse_id, bin_id, product_id, kind, on_hand_delta, cause_type, cause_id, note)
    overriding system value
    select ${tenantId}, n.id, ${a.warehouseId}, ${bin.id}, ${product.id}, 'adjustment', ${delta}, ${kind}, n.id::text, ${a.reason} from n
    returning id::text`;
  await noteStockChanged(tx, tenantId, [product.id]);
  return { movementId: m!.id, kind, warehouseId: a.warehouseId, binId: bin.id, productId: product.id, delta, onHand: onHand + delta, reserved, reason: a.reason };
}
