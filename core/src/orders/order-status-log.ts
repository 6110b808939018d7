import type { Db } from '../db/connect.ts';
import { literalLimit } from '../db/where.ts';

export interface OrderStatusChange {
  status: string;
  reason: string | null;
  at: string;
}

/** The order's statuses as they were written (orders/move-order.ts), newest first, at most `limit`. */
export async function orderStatusLog(db: Db, tenantId: string, orderId: string, limit: number): Promise<OrderStatusChange[]> {
  const rows = await db<{ status: string; reason: string | null; created_at: Date }[]>`
    select status, reason, created_at from order_status_log
    where tenant_id = ${tenantId} and order_id = ${orderId}
    order by order_status_log.id desc limit ${db.unsafe(literalLimit(limit))}`;
  return rows.map((r) => ({ status: r.status, reason: r.reason, at: r.created_at.toISOString() }));
}
