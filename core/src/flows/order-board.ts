import type { Db } from '../db/connect.ts';
import { listOrders } from '../orders/index.ts';
import { shipmentsOfOrders } from '../shipping/index.ts';

type OrderFilters = Parameters<typeof listOrders>[2];

/** A page of the order list with each order's live AWBs beside it (one query for the page, not one per row). */
export async function listOrderBoard(db: Db, tenantId: string, f: OrderFilters) {
  const page = await listOrders(db, tenantId, f);
  const shipments = await shipmentsOfOrders(db, tenantId, page.orders.map((o) => o.id));
  return {
    ...page,
    orders: page.orders.map((o) => ({
      ...o,
      awbs: shipments.filter((s) => s.orderId === o.id).map((s) => ({ shipmentId: s.id, courier: s.courier, awb: s.awb, trackingUrl: s.trackingUrl, status: s.status })),
    })),
  };
}
