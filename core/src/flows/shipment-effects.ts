import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { moveOrder as moveOrderIfAllowed, markOrderPaid, orderLines } from '../orders/index.ts';
import type { OrderEvent, OrderStatus } from '../orders/index.ts';
import { liveShipmentsOfOrder } from '../shipping/index.ts';
import { getPackingList, orderPackingProgress, transitionPackingList } from '../warehouse/index.ts';

/**
 * What a shipment's moves cause outside the shipping area, in the caller's transaction: the packing
 * list and the order follow the parcel, and the order is marked paid when the courier has the cash.
 */

const moveOrder = (tx: Tx, tenantId: string, orderId: string, event: OrderEvent): Promise<OrderStatus | null> =>
  moveOrderIfAllowed(tx, tenantId, orderId, event, { ifAllowed: true });

/** AWB created: the packing list leaves (in_transit) and the order is shipping (4). */
export async function dispatchForShipment(tx: Tx, tenantId: string, packingListId: string, orderId: string): Promise<void> {
  await transitionPackingList(tx, tenantId, packingListId, 'dispatch');
  // A second packing list of a partial order finds the order shipping already.
  await moveOrder(tx, tenantId, orderId, 'ship');
}

/** Delivered: the packing list is delivered; the order is delivered (5) once all its packing lists are. */
export async function deliverForShipment(tx: Tx, tenantId: string, packingListId: string | null, orderId: string | null): Promise<void> {
  if (packingListId) {
    const pl = await getPackingList(tx, tenantId, packingListId);
    if (pl.status === 'in_transit') await transitionPackingList(tx, tenantId, packingListId, 'deliver');
  }
  if (!orderId) return;
  const [progress, lines] = await Promise.all([orderPackingProgress(tx, tenantId, orderId), orderLines(tx, tenantId, orderId)]);
  // Lines of the order not packed yet (a remainder still in the warehouse) keep it shipping.
  const unpacked = lines.filter((l) => l.quantity > (progress.packedByLine.get(l.line_no) ?? 0)).length;
  if (progress.undelivered === 0 && unpacked === 0) await moveOrder(tx, tenantId, orderId, 'deliver');
}

/**
 * The AWB was cancelled: the packing list waits for a new AWB; the order goes back to ready when no
 * other live shipment carries part of it.
 */
export async function recallForShipment(tx: Tx, tenantId: string, shipmentId: string, packingListId: string | null, orderId: string | null): Promise<void> {
  if (packingListId) {
    const pl = await getPackingList(tx, tenantId, packingListId);
    if (pl.status === 'in_transit') await transitionPackingList(tx, tenantId, packingListId, 'recall');
  }
  if (!orderId) return;
  if ((await liveShipmentsOfOrder(tx, tenantId, orderId, shipmentId)) === 0) await moveOrder(tx, tenantId, orderId, 'cancel_shipment');
}

/** The courier collected (or paid over) the cash: the customer has paid. Invoicing on payment follows the channel's setting. */
export async function markOrderPaidByCod(tx: Tx, tenantId: string, orderId: string): Promise<boolean> {
  if (!(await markOrderPaid(tx, tenantId, orderId))) return false;
  await enqueue(tx, tenantId, 'invoice.issue', { orderId, trigger: 'on_paid' }, `invoice.issue:${orderId}:on_paid`);
  return true;
}

/** Cash on delivery is what the customer still owes when the store says it is paid on delivery. */
export function isCashOnDelivery(paymentMethod: string | null, paymentStatus: string): boolean {
  if (paymentStatus === 'paid' || paymentStatus === 'refunded' || paymentStatus === 'voided') return false;
  return !!paymentMethod && /(^|[^a-z])cod([^a-z]|$)|cash on delivery|ramburs|plata la livrare/i.test(paymentMethod);
}
