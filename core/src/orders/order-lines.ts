import type { Db } from '../db/connect.ts';

export interface OrderLineRow {
  line_no: number;
  product_id: string | null;
  sku: string | null;
  name: string;
  quantity: number;
  /** Units allocated to the line: reserved or already issued. */
  quantity_reserved: number;
}

export async function orderLines(db: Db, tenantId: string, orderId: string): Promise<OrderLineRow[]> {
  return db<OrderLineRow[]>`
    select line_no, product_id::text, sku, name, quantity, quantity_reserved
    from order_lines where tenant_id = ${tenantId} and order_id = ${orderId} order by line_no`;
}

/** What shipping needs to know of an order: who pays how much, how, and from which warehouse. */
export interface OrderForShipping {
  id: string;
  channelId: string;
  /** The order's own warehouse; null: the channel's default applies. */
  warehouseId: string | null;
  externalNumber: string | null;
  paymentMethod: string | null;
  paymentStatus: string;
  total: string;
  currency: string;
  email: string | null;
}

export async function orderForShipping(db: Db, tenantId: string, orderId: string): Promise<OrderForShipping | null> {
  const [o] = await db<OrderForShipping[]>`
    select id::text, channel_id::text as "channelId", warehouse_id::text as "warehouseId", external_number as "externalNumber",
      payment_method as "paymentMethod", payment_status as "paymentStatus", total::text, currency, email
    from orders where tenant_id = ${tenantId} and id = ${orderId}`;
  return o ?? null;
}

/** Where the order ships to, as the store gave it (the packing list starts from it). */
export async function orderShippingAddress(db: Db, tenantId: string, orderId: string): Promise<Record<string, unknown> | null> {
  const [o] = await db<{ address: Record<string, unknown> | null }[]>`select shipping_address as address from orders where tenant_id = ${tenantId} and id = ${orderId}`;
  return o?.address ?? null;
}

/**
 * Locks orders for a warehouse step (a wave), in id order so that concurrent waves sharing
 * orders queue instead of deadlocking; what the step needs of each.
 */
export async function lockOrdersInIdOrder(tx: Db, tenantId: string, orderIds: string[]): Promise<Array<{ id: string; status: string; warehouse_id: string | null }>> {
  return tx<{ id: string; status: string; warehouse_id: string | null }[]>`
    select id::text, status, warehouse_id::text from orders where tenant_id = ${tenantId} and id = any(${orderIds}::bigint[])
    order by orders.id for update`;
}

/** The order a store order became, by the store's id. */
export async function findStoreOrder(db: Db, tenantId: string, channelId: string, externalOrderId: string): Promise<{ id: string; status: string } | null> {
  const [o] = await db<{ id: string; status: string }[]>`select id::text, status from orders
    where tenant_id = ${tenantId} and channel_id = ${channelId} and external_order_id = ${externalOrderId}`;
  return o ?? null;
}
