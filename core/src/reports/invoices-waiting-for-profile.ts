import type { Db } from '../db/connect.ts';

/**
 * A read model across the outbox and the invoicing profile: the orders whose invoice is queued
 * (`invoice.issue`) while the tenant has no invoicing profile, so it cannot be issued. Empty once
 * a profile exists.
 */
export async function invoicesWaitingForProfile(db: Db, tenantId: string): Promise<{ orderIds: string[]; since: Date | null }> {
  const rows = await db<{ orderId: string; createdAt: Date }[]>`
    select o.payload->>'orderId' as "orderId", o.created_at as "createdAt"
    from outbox o
    where o.tenant_id = ${tenantId} and o.kind = 'invoice.issue' and o.status in ('pending', 'stalled')
      and not exists (select 1 from invoicing_profiles p where p.tenant_id = o.tenant_id)
    order by o.created_at, o.id
    limit 1000`;
  return { orderIds: rows.map((r) => r.orderId), since: rows[0]?.createdAt ?? null };
}
