import type { Db } from '../db/connect.ts';
import { isId } from '../shared/ids.ts';

/** The channel an order came from, or null when the tenant has no such order. */
export async function findOrderChannelId(db: Db, tenantId: string, orderId: string): Promise<string | null> {
  if (!isId(orderId)) return null;
  const [o] = await db<{ channel_id: string }[]>`select channel_id::text from orders where tenant_id = ${tenantId} and id = ${orderId}`;
  return o ? o.channel_id : null;
}

/** The channels the given orders came from (unknown ids are left out). */
export async function findOrderChannelIds(db: Db, tenantId: string, orderIds: string[]): Promise<string[]> {
  const ids = orderIds.filter(isId);
  if (ids.length === 0) return [];
  const rows = await db<{ channel_id: string }[]>`select distinct channel_id::text from orders where tenant_id = ${tenantId} and id = any(${ids}::bigint[])`;
  return rows.map((r) => r.channel_id);
}

/** The store's numbers of the given orders (a list screen names orders by them); unknown ids are left out. */
export async function orderNumbers(db: Db, tenantId: string, orderIds: string[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(orderIds.filter(isId))];
  if (ids.length === 0) return new Map();
  const rows = await db<{ id: string; external_number: string | null }[]>`select id::text, external_number from orders where tenant_id = ${tenantId} and id = any(${ids}::bigint[])`;
  return new Map(rows.map((r) => [r.id, r.external_number]));
}
