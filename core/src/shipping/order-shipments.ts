import type { Db } from '../db/connect.ts';

/** Shipments of an order that still carry goods (neither an unconfirmed attempt nor cancelled), other than one. */
export async function liveShipmentsOfOrder(db: Db, tenantId: string, orderId: string, exceptShipmentId: string): Promise<number> {
  const [live] = await db<{ n: number }[]>`select count(*)::int as n from shipments where tenant_id = ${tenantId} and order_id = ${orderId}
    and id <> ${exceptShipmentId} and status not in ('creating', 'cancelled')`;
  return live!.n;
}

/** Whether a live shipment of the order already collects its cash on delivery (later parcels carry none). */
export async function orderHasCodShipment(db: Db, tenantId: string, orderId: string): Promise<boolean> {
  const [prior] = await db<{ n: number }[]>`select count(*)::int as n from shipments where tenant_id = ${tenantId} and order_id = ${orderId}
    and status not in ('cancelled') and cod_amount is not null`;
  return prior!.n > 0;
}

/** The shipments of one courier leaving one warehouse on one day with an AWB (the hand-over manifest). */
export async function shipmentIdsForManifest(db: Db, tenantId: string, q: { courier: string; warehouseId: string; day: string }): Promise<string[]> {
  const ids = await db<{ id: string }[]>`select id::text from shipments where tenant_id = ${tenantId} and courier = ${q.courier} and warehouse_id = ${q.warehouseId}
    and ship_date = ${q.day}::date and awb is not null and status not in ('creating', 'cancelled') order by shipments.id`;
  return ids.map((r) => r.id);
}
