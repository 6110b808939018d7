import type { Db } from '../db/connect.ts';
import { isId } from '../shared/ids.ts';

/** The order an invoice was issued for, or null when the tenant has no such invoice (or it has no order). */
export async function invoiceOrderId(db: Db, tenantId: string, id: string): Promise<string | null> {
  if (!isId(id)) return null;
  const [i] = await db<{ order_id: string | null }[]>`select order_id::text from invoices where tenant_id = ${tenantId} and id = ${id}`;
  return i?.order_id ?? null;
}
