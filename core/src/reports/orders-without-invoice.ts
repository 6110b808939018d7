import type { Db } from '../db/connect.ts';

/**
 * A read model across orders, channels and invoices (reports/ is where cross-area joins live):
 * orders of channels with create_invoice = 'off' that reached shipping without an invoice, which
 * the stalls view lists as "invoice not generated".
 */
export async function ordersWithoutInvoiceBecauseOff(db: Db, tenantId: string): Promise<Array<{ orderId: string; channelId: string; message: string }>> {
  const rows = await db<{ orderId: string; channelId: string }[]>`
    select o.id::text as "orderId", o.channel_id::text as "channelId"
    from orders o join channels c on c.tenant_id = o.tenant_id and c.id = o.channel_id
    where o.tenant_id = ${tenantId} and c.create_invoice = 'off' and o.status in ('shipping','delivered')
      and not exists (select 1 from invoices i where i.tenant_id = o.tenant_id and i.order_id = o.id and i.kind = 'invoice')
    order by o.id limit 200`;
  return rows.map((r) => ({ ...r, message: 'invoice not generated (create_invoice off)' }));
}
