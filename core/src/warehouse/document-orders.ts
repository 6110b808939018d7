import type { Db } from '../db/connect.ts';
import { isId } from '../shared/ids.ts';

export type WarehouseDocument = 'delivery_note' | 'pick_list' | 'packing_list';

/**
 * The orders a warehouse document serves (a pick list may serve several), or null when the tenant
 * has no such document: what a channel-bound credential is checked against.
 */
export async function documentOrderIds(db: Db, tenantId: string, kind: WarehouseDocument, id: string): Promise<string[] | null> {
  if (!isId(id)) return null;
  const rows =
    kind === 'delivery_note'
      ? await db<{ order_id: string }[]>`select order_id::text from delivery_notes where tenant_id = ${tenantId} and id = ${id}`
      : kind === 'packing_list'
        ? await db<{ order_id: string }[]>`select order_id::text from packing_lists where tenant_id = ${tenantId} and id = ${id}`
        : await db<{ order_id: string | null }[]>`
            select o.order_id::text from pick_lists p left join pick_list_orders o on o.tenant_id = p.tenant_id and o.pick_list_id = p.id
            where p.tenant_id = ${tenantId} and p.id = ${id}`;
  if (rows.length === 0) return null;
  return rows.map((r) => r.order_id).filter((x): x is string => x !== null);
}
