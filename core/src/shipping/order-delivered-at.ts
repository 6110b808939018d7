import type { Db } from '../db/connect.ts';

/** When the order's goods reached the customer: its last delivered shipment's delivery (the return window counts from it). */
export async function orderDeliveredAt(db: Db, tenantId: string, orderId: string): Promise<Date | null> {
  const [r] = await db<{ at: Date | null }[]>`
    select max(coalesce(delivered_at, last_event_at)) as at from shipments
    where tenant_id = ${tenantId} and order_id = ${orderId} and status = 'delivered'`;
  return r?.at ? new Date(r.at) : null;
}

/** The order's last delivered shipment (the status write-back of a return is sent on its context). */
export async function lastDeliveredShipmentId(db: Db, tenantId: string, orderId: string): Promise<string | null> {
  const [r] = await db<{ id: string }[]>`
    select id::text from shipments where tenant_id = ${tenantId} and order_id = ${orderId} and status = 'delivered' order by shipments.id desc limit 1`;
  return r?.id ?? null;
}
