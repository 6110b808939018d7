import type { Tx } from '../db/connect.ts';
import { RESERVING_STATUSES } from './order-status.ts';

/** The privacy side of orders (Shopify's mandatory compliance webhooks). */

/** A channel's orders of these clients, or with these store ids. */
export async function exportCustomerOrders(tx: Tx, tenantId: string, channelId: string, clientIds: string[], externalOrderIds: string[]) {
  return tx`select id::text, external_order_id, external_number, status, total::text, currency, billing_address,
      shipping_address, email, created_at
    from orders where tenant_id = ${tenantId} and channel_id = ${channelId}
      and (client_id = any(${clientIds}::bigint[]) or external_order_id = any(${externalOrderIds}))`;
}

/** Removes the personal data of those orders; they stay as anonymous accounting records. Returns how many. */
export async function redactCustomerOrders(tx: Tx, tenantId: string, channelId: string, clientIds: string[], externalOrderIds: string[]): Promise<number> {
  const rows = await tx`update orders set billing_address = null, shipping_address = null, email = null, note = null
    where tenant_id = ${tenantId} and channel_id = ${channelId}
      and (client_id = any(${clientIds}::bigint[]) or external_order_id = any(${externalOrderIds}))
    returning id`;
  return rows.length;
}

/** The clients a channel's orders name, and the orders still holding stock (to be cancelled before they go). */
export async function channelOrderFacts(tx: Tx, tenantId: string, channelId: string): Promise<{ clientIds: string[]; reservingOrderIds: string[] }> {
  const rows = await tx<{ id: string; client_id: string | null; status: string }[]>`
    select id::text, client_id::text, status from orders where tenant_id = ${tenantId} and channel_id = ${channelId}`;
  return {
    clientIds: [...new Set(rows.map((r) => r.client_id).filter((c): c is string => c !== null))],
    reservingOrderIds: rows.filter((r) => (RESERVING_STATUSES as readonly string[]).includes(r.status)).map((r) => r.id),
  };
}

export async function deleteChannelOrders(tx: Tx, tenantId: string, channelId: string): Promise<number> {
  const rows = await tx`delete from orders where tenant_id = ${tenantId} and channel_id = ${channelId} returning id`;
  return rows.length;
}

/** Those of the clients that still have an order on any channel. */
export async function clientsWithOrders(tx: Tx, tenantId: string, clientIds: string[]): Promise<Set<string>> {
  if (clientIds.length === 0) return new Set();
  const rows = await tx<{ id: string }[]>`select distinct client_id::text as id from orders where tenant_id = ${tenantId} and client_id = any(${clientIds}::bigint[])`;
  return new Set(rows.map((r) => r.id));
}
