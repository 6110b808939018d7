import type { Db } from '../db/connect.ts';

/**
 * Units of each order line that left the warehouse: the lines of the order's approved delivery
 * notes (approval issues the stock). A return never takes back more than this.
 */
export async function issuedQuantities(db: Db, tenantId: string, orderId: string): Promise<Map<number, number>> {
  const rows = await db<{ orderLineNo: number; quantity: number }[]>`
    select l.order_line_no as "orderLineNo", sum(l.quantity)::int as quantity
    from delivery_notes n join delivery_note_lines l on l.tenant_id = n.tenant_id and l.delivery_note_id = n.id
    where n.tenant_id = ${tenantId} and n.order_id = ${orderId} and n.approved_at is not null
    group by l.order_line_no`;
  return new Map(rows.map((r) => [r.orderLineNo, r.quantity]));
}
