import type { Tx } from '../db/connect.ts';
import { noteStockChanged } from './channel-catalog.ts';

export interface StockNeed {
  lineNo: number;
  productId: string;
  quantity: number;
}

export interface Shortage {
  lineNo: number;
  productId: string;
  needed: number;
  available: number;
  missing: number;
}

interface StockRow {
  product_id: string;
  bin_id: string;
  on_hand: number;
  reserved: number;
}

/**
 * Reserves stock for order lines in one warehouse. Rows are locked in a fixed order (product id,
 * then bin pick sequence) so that concurrent confirms touching the same products queue instead of
 * deadlocking; availability is computed under those locks, so two confirms can never both take the
 * last unit. `all_or_nothing` reserves nothing when any line is short; `partial` takes what is there.
 * Bins are drawn in pick-sequence order, which is also the order the picker walks.
 */
export async function reserveOrderStock(
  tx: Tx,
  tenantId: string,
  orderId: string,
  warehouseId: string,
  needs: StockNeed[],
  mode: 'all_or_nothing' | 'partial',
): Promise<{ shortages: Shortage[]; reservedUnits: number; reservedByLine: Array<{ lineNo: number; quantity: number }> }> {
  const productIds = [...new Set(needs.map((n) => n.productId))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  if (productIds.length === 0) return { shortages: [], reservedUnits: 0, reservedByLine: [] };
  const rows = await tx<StockRow[]>`
    select s.product_id::text, s.bin_id::text, s.on_hand, s.reserved
    from stock s join bins b on b.tenant_id = s.tenant_id and b.id = s.bin_id
    where s.tenant_id = ${tenantId} and s.warehouse_id = ${warehouseId} and s.product_id = any(${productIds}::bigint[])
    order by s.product_id, b.pick_sequence, s.bin_id
    for update of s`;
  const binsByProduct = new Map<string, StockRow[]>();
  for (const r of rows) {
    const list = binsByProduct.get(r.product_id) ?? [];
    list.push(r);
    binsByProduct.set(r.product_id, list);
  }

  // Several lines may share a product: availability is consumed line by line.
  const free = new Map<string, number>();
  for (const [pid, list] of binsByProduct) free.set(pid, list.reduce((a, r) => a + r.on_hand - r.reserved, 0));
  const shortages: Shortage[] = [];
  const plan: Array<{ need: StockNeed; take: number }> = [];
  for (const need of needs) {
    const available = free.get(need.productId) ?? 0;
    const take = Math.min(available, need.quantity);
    if (take < need.quantity) {
      shortages.push({ lineNo: need.lineNo, productId: need.productId, needed: need.quantity, available, missing: need.quantity - take });
    }
    free.set(need.productId, available - take);
    plan.push({ need, take });
  }
  if (mode === 'all_or_nothing' && shortages.length > 0) return { shortages, reservedUnits: 0, reservedByLine: [] };

  let reservedUnits = 0;
  for (const { need, take } of plan) {
    let left = take;
    for (const bin of binsByProduct.get(need.productId) ?? []) {
      if (left === 0) break;
      const q = Math.min(left, bin.on_hand - bin.reserved);
      if (q <= 0) continue;
      bin.reserved += q;
      left -= q;
      reservedUnits += q;
      // The bin's reserved count, the reservation and its ledger row: one statement, one round trip.
      await tx`with s as (
          update stock set reserved = reserved + ${q}, updated_at = now()
          where tenant_id = ${tenantId} and warehouse_id = ${warehouseId} and product_id = ${need.productId} and bin_id = ${bin.bin_id}
        ), r as (
          insert into stock_reservations (tenant_id, order_id, line_no, warehouse_id, bin_id, product_id, quantity)
          values (${tenantId}, ${orderId}, ${need.lineNo}, ${warehouseId}, ${bin.bin_id}, ${need.productId}, ${q})
          on conflict (tenant_id, order_id, line_no, bin_id) do update set quantity = stock_reservations.quantity + excluded.quantity
        )
        insert into stock_movements (tenant_id, warehouse_id, bin_id, product_id, kind, reserved_delta, cause_type, cause_id)
        values (${tenantId}, ${warehouseId}, ${bin.bin_id}, ${need.productId}, 'reserve', ${q}, 'order', ${orderId})`;
    }
  }
  if (reservedUnits > 0) await noteStockChanged(tx, tenantId, plan.filter((p) => p.take > 0).map((p) => p.need.productId));
  // The order lines' allocated counts are the orders area's to write: the caller applies these.
  const reservedByLine = plan.filter((p) => p.take > 0).map((p) => ({ lineNo: p.need.lineNo, quantity: p.take }));
  return { shortages, reservedUnits, reservedByLine };
}

/** Locks the stock rows an order holds reservations on, in the reservation's order: product id, then bin. */
export async function lockOrderStock(tx: Tx, tenantId: string, orderId: string): Promise<void> {
  await tx`select 1 from stock s
    where s.tenant_id = ${tenantId}
      and (s.warehouse_id, s.product_id, s.bin_id) in (select warehouse_id, product_id, bin_id from stock_reservations
                                                      where tenant_id = ${tenantId} and order_id = ${orderId})
    order by s.product_id, s.bin_id for update`;
}

/**
 * Gives back every unit an order holds (cancel, reject); a movement row per bin names the order.
 * The caller clears the order lines' allocated counts (`clearLineReservations` in orders/).
 */
export async function releaseOrderStock(tx: Tx, tenantId: string, orderId: string, note: string): Promise<number> {
  const held = await tx<{ line_no: number; warehouse_id: string; bin_id: string; product_id: string; quantity: number }[]>`
    select r.line_no, r.warehouse_id::text, r.bin_id::text, r.product_id::text, r.quantity
    from stock_reservations r
    where r.tenant_id = ${tenantId} and r.order_id = ${orderId}
    order by r.product_id, r.bin_id`;
  if (held.length === 0) return 0;
  await lockOrderStock(tx, tenantId, orderId);
  let units = 0;
  for (const h of held) {
    units += h.quantity;
    await tx`update stock set reserved = reserved - ${h.quantity}, updated_at = now()
      where tenant_id = ${tenantId} and warehouse_id = ${h.warehouse_id} and product_id = ${h.product_id} and bin_id = ${h.bin_id}`;
    await tx`insert into stock_movements (tenant_id, warehouse_id, bin_id, product_id, kind, reserved_delta, cause_type, cause_id, note)
      values (${tenantId}, ${h.warehouse_id}, ${h.bin_id}, ${h.product_id}, 'release', ${-h.quantity}, 'order', ${orderId}, ${note})`;
  }
  await tx`delete from stock_reservations where tenant_id = ${tenantId} and order_id = ${orderId}`;
  await noteStockChanged(tx, tenantId, held.map((h) => h.product_id));
  return units;
}

/** Receipt or adjustment of stock in a bin (seeding, restock); writes the movement. */
export async function adjustStock(
  tx: Tx,
  tenantId: string,
  a: { warehouseId: string; binId: string; productId: string; delta: number; kind: 'receipt' | 'adjustment'; causeType: string; causeId: string; note?: string },
): Promise<void> {
  await tx`insert into stock (tenant_id, warehouse_id, product_id, bin_id, on_hand)
    values (${tenantId}, ${a.warehouseId}, ${a.productId}, ${a.binId}, ${Math.max(0, a.delta)})
    on conflict (tenant_id, warehouse_id, product_id, bin_id)
    do update set on_hand = stock.on_hand + ${a.delta}, updated_at = now()`;
  await tx`insert into stock_movements (tenant_id, warehouse_id, bin_id, product_id, kind, on_hand_delta, cause_type, cause_id, note)
    values (${tenantId}, ${a.warehouseId}, ${a.binId}, ${a.productId}, ${a.kind}, ${a.delta}, ${a.causeType}, ${a.causeId}, ${a.note ?? null})`;
  await noteStockChanged(tx, tenantId, [a.productId]);
}

/** Units an order holds reserved (not yet issued), per order line. */
export async function reservedByLine(tx: Tx, tenantId: string, orderId: string): Promise<Map<number, number>> {
  const rows = await tx<{ line_no: number; q: number }[]>`select line_no, sum(quantity)::int as q from stock_reservations
    where tenant_id = ${tenantId} and order_id = ${orderId} group by line_no`;
  return new Map(rows.map((r) => [r.line_no, r.q]));
}
