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
