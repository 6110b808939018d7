import type { Db } from '../db/connect.ts';

/**
 * A read model across orders, channels and invoices (reports/ is where cross-area joins live):
 * orders of channels with create_invoice = 'off' that reached shipping without an invoice, which
 * the stalls view lists as "invoice not generated".
 */
export async function ordersWithoutInvoiceBecauseOff(db: Db, tenantId: string): Promise<Array<{ orderId: string; channelId: string; message: string }>> {
  // The channels first (a handful): with none set to off, nothing is scanned at all.
  const off = await db<{ id: string }[]>`select id::text from channels where tenant_id = ${tenantId} and create_invoice = 'off'`;
  if (off.length === 0) return [];
  const rows = await db<{ orderId: string; channelId: string }[]>`
    select o.id::text as "orderId", o.channel_id::text as "channelId"
    from orders o
    where o.tenant_id = ${tenantId} and o.channel_id = any(${off.map((c) => c.id)}::bigint[]) and o.status in ('shipping','delivered')
      and not exists (select 1 from invoices i where i.tenant_id = o.tenant_id and i.order_id = o.id and i.kind = 'invoice')
    order by o.id limit 200`;
  return rows.map((r) => ({ ...r, message: 'invoice not generated (create_invoice off)' }));
}
