import type { Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { lockOrderStock } from './reserve-order-stock.ts';

/*
 * The two stock writes the warehouse causes (goods leaving, short picks written off). They consume
 * reservations the way reserve-order-stock.ts made them: same rows, same lock order.
 */

/**
 * Issues goods that leave the warehouse: for each order line, its reservations are consumed in pick
 * sequence, on hand and reserved both go down, and one 'issue' movement per bin cites the cause.
 * order_lines.quantity_reserved is left as is: it counts units allocated to the line (reserved or
 * issued), so a later confirm never reserves again what has already shipped.
 */
export async function issueOrderStock(
  tx: Tx,
  tenantId: string,
  a: { orderId: string; warehouseId: string; lines: Array<{ orderLineNo: number; productId: string; quantity: number }>; causeType: string; causeId: string },
): Promise<void> {
  await lockOrderStock(tx, tenantId, a.orderId);
  const reservations = await tx<{ line_no: number; bin_id: string; product_id: string; quantity: number }[]>`
    select r.line_no, r.bin_id::text, r.product_id::text, r.quantity
    from stock_reservations r join bins b on b.tenant_id = r.tenant_id and b.id = r.bin_id
    where r.tenant_id = ${tenantId} and r.order_id = ${a.orderId} and r.warehouse_id = ${a.warehouseId}
    order by r.line_no, b.pick_sequence, r.bin_id`;
  for (const line of a.lines) {
    let left = line.quantity;
    for (const r of reservations) {
      if (left === 0) break;
      if (r.line_no !== line.orderLineNo || r.quantity === 0) continue;
      const q = Math.min(left, r.quantity);
      r.quantity -= q;
      left -= q;
      await consume(tx, tenantId, a.orderId, a.warehouseId, r.line_no, r.bin_id, r.product_id, q);
      await tx`insert into stock_movements (tenant_id, warehouse_id, bin_id, product_id, kind, on_hand_delta, reserved_delta, cause_type, cause_id)
        values (${tenantId}, ${a.warehouseId}, ${r.bin_id}, ${r.product_id}, 'issue', ${-q}, ${-q}, ${a.causeType}, ${a.causeId})`;
    }
    if (left > 0) {
      // Guarded by the blocked check before; reaching here means the reservations changed under us.
      throw new DomainError('INSUFFICIENT_STOCK', `Order ${a.orderId} line ${line.orderLineNo} has ${left} unit(s) fewer reserved than ${a.causeType.replace('_', ' ')} ${a.causeId} ships.`, [
        { path: `lines.${line.orderLineNo}`, reason: `${left} not reserved` },
      ]);
    }
  }
  // No stock push: issued units were reserved, so available (what stores are told) does not move.
}

async function consume(tx: Tx, tenantId: string, orderId: string, warehouseId: string, lineNo: number, binId: string, productId: string, q: number) {
  await tx`update stock set on_hand = on_hand - ${q}, reserved = reserved - ${q}, updated_at = now()
    where tenant_id = ${tenantId} and warehouse_id = ${warehouseId} and product_id = ${productId} and bin_id = ${binId}`;
  // A reservation row holds at least one unit (check constraint): the last units delete it.
  await tx`delete from stock_reservations where tenant_id = ${tenantId} and order_id = ${orderId} and line_no = ${lineNo} and bin_id = ${binId} and quantity <= ${q}`;
  await tx`update stock_reservations set quantity = quantity - ${q}
    where tenant_id = ${tenantId} and order_id = ${orderId} and line_no = ${lineNo} and bin_id = ${binId}`;
}

/**
 * A short pick: the picker did not find units the books say are in the bin. The books follow the
 * shelf (on hand and reserved down, one 'adjustment' movement citing the pick list) and the units
 * go back to the order line's unallocated quantity (the caller gives them back with orders'
 * `addLineReservation`), so a restock or re-confirm reserves them again.
 */
export async function writeOffShortPick(
  tx: Tx,
  tenantId: string,
  a: { orderId: string; warehouseId: string; orderLineNo: number; binId: string; productId: string; quantity: number; pickListId: string },
): Promise<void> {
  await lockOrderStock(tx, tenantId, a.orderId);
  await consume(tx, tenantId, a.orderId, a.warehouseId, a.orderLineNo, a.binId, a.productId, a.quantity);
  await tx`insert into stock_movements (tenant_id, warehouse_id, bin_id, product_id, kind, on_hand_delta, reserved_delta, cause_type, cause_id, note)
    values (${tenantId}, ${a.warehouseId}, ${a.binId}, ${a.productId}, 'adjustment', ${-a.quantity}, ${-a.quantity}, 'pick_list', ${a.pickListId},
            ${`short pick for order ${a.orderId}`})`;
  // Like an issue, a written-off reservation leaves available as it was: no stock push.
}
