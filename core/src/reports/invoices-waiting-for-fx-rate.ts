import type { Db } from '../db/connect.ts';

/**
 * A read model across the outbox, the orders and the exchange rates: per foreign currency, the
 * orders whose invoice is queued (`invoice.issue`) while the tenant has no rate for that currency
 * on or before today, so it cannot be issued in lei. Empty once a rate exists.
 */
export async function invoicesWaitingForFxRate(db: Db, tenantId: string): Promise<Array<{ currency: string; orderIds: string[]; since: Date }>> {
  const rows = await db<{ currency: string; orderIds: string[]; since: Date }[]>`
    select ord.currency, array_agg(ord.id::text order by ob.created_at, ob.id) as "orderIds", min(ob.created_at) as since
    from outbox ob
    join orders ord on ord.tenant_id = ob.tenant_id and ord.id = (ob.payload->>'orderId')::bigint
    where ob.tenant_id = ${tenantId} and ob.kind = 'invoice.issue' and ob.status in ('pending', 'stalled')
      and ord.currency <> 'RON'
      and not exists (
        select 1 from invoicing_fx_rates r
        where r.tenant_id = ob.tenant_id and r.currency = ord.currency and r.valid_on <= current_date)
    group by ord.currency
    order by min(ob.created_at), ord.currency`;
  return rows;
}
