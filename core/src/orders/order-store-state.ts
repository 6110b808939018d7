import type { Db } from '../db/connect.ts';
import type { OrderStatus } from './order-status.ts';

/** What a store write-back of an order's hold or cancellation needs to know, read (not locked) when it runs. */
export interface OrderStoreState {
  orderId: string;
  channelId: string;
  externalOrderId: string;
  orderNumber: string;
  status: OrderStatus;
  holdReason: string | null;
  /** Held for short stock (the confirm found missing quantities, or a short pick). */
  outOfStock: boolean;
  rejected: boolean;
  cancelReason: string | null;
}

export async function orderStoreState(db: Db, tenantId: string, orderId: string): Promise<OrderStoreState | null> {
  if (!/^\d{1,18}$/.test(orderId)) return null;
  const [r] = await db<(Omit<OrderStoreState, 'outOfStock' | 'cancelReason'> & { details: Record<string, unknown> | null })[]>`
    select id::text as "orderId", channel_id::text as "channelId", external_order_id as "externalOrderId",
      coalesce(external_number, external_order_id) as "orderNumber", status, hold_reason as "holdReason",
      hold_details as details, approval_status = 'rejected' as rejected
    from orders where tenant_id = ${tenantId} and id = ${orderId}`;
  if (!r) return null;
  const { details, ...rest } = r;
  const cancelReason = typeof details?.['cancelReason'] === 'string' ? details['cancelReason'] : null;
  return { ...rest, rejected: rest.rejected === true, outOfStock: Boolean(details?.['missing'] || details?.['shortPick']), cancelReason };
}
