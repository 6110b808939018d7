import type { Db } from '../db/connect.ts';
import { isId } from '../shared/ids.ts';

/** The channel a courier account is scoped to (null: tenant-wide), or undefined when the tenant has no such account. */
export async function courierAccountChannelId(db: Db, tenantId: string, id: string): Promise<string | null | undefined> {
  if (!isId(id)) return undefined;
  const [a] = await db<{ channel_id: string | null }[]>`select channel_id::text from courier_accounts where tenant_id = ${tenantId} and id = ${id}`;
  return a ? a.channel_id : undefined;
}

/** The order a shipment is for, or null when the tenant has no such shipment. */
export async function shipmentOrderId(db: Db, tenantId: string, id: string): Promise<string | null> {
  if (!isId(id)) return null;
  const [s] = await db<{ order_id: string | null }[]>`select order_id::text from shipments where tenant_id = ${tenantId} and id = ${id}`;
  return s?.order_id ?? null;
}
