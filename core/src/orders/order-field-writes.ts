import type { Tx } from '../db/connect.ts';

/** The writes of an order's other columns (status is `move-order.ts`'s alone). */

export async function setApprovalStatus(tx: Tx, tenantId: string, orderId: string, approval: 'approved' | 'rejected'): Promise<void> {
  await tx`update orders set approval_status = ${approval}, updated_at = now() where tenant_id = ${tenantId} and id = ${orderId}`;
}

/** Part of the order ships later (a short pick, a partial delivery note): it is delivered in parts. */
export async function markDeliveryPartial(tx: Tx, tenantId: string, orderId: string): Promise<void> {
  await tx`update orders set delivery_type = 'partial', updated_at = now() where tenant_id = ${tenantId} and id = ${orderId}`;
}

/** Marks the order paid; false when it was paid already (so what follows a payment happens once). */
export async function markOrderPaid(tx: Tx, tenantId: string, orderId: string): Promise<boolean> {
  const rows = await tx`update orders set payment_status = 'paid', updated_at = now()
    where tenant_id = ${tenantId} and id = ${orderId} and payment_status <> 'paid' returning id`;
  return rows.length > 0;
}

/** Units reserved for a line changed (reserve, release, issue): the line's allocated count follows. */
export async function addLineReservation(tx: Tx, tenantId: string, orderId: string, lineNo: number, delta: number): Promise<void> {
  await tx`update order_lines set quantity_reserved = greatest(0, quantity_reserved + ${delta})
    where tenant_id = ${tenantId} and order_id = ${orderId} and line_no = ${lineNo}`;
}

/** Several lines at once, in one statement (a confirm reserving every line). */
export async function addLineReservations(tx: Tx, tenantId: string, orderId: string, lines: Array<{ lineNo: number; quantity: number }>): Promise<void> {
  if (lines.length === 0) return;
  if (lines.length === 1) return addLineReservation(tx, tenantId, orderId, lines[0]!.lineNo, lines[0]!.quantity);
  await tx`update order_lines l set quantity_reserved = greatest(0, l.quantity_reserved + d.quantity)
    from (select unnest(${lines.map((x) => x.lineNo)}::int[]) as line_no, unnest(${lines.map((x) => x.quantity)}::int[]) as quantity) d
    where l.tenant_id = ${tenantId} and l.order_id = ${orderId} and l.line_no = d.line_no`;
}

export async function clearLineReservations(tx: Tx, tenantId: string, orderId: string): Promise<void> {
  await tx`update order_lines set quantity_reserved = 0 where tenant_id = ${tenantId} and order_id = ${orderId}`;
}
