import type { Db } from '../../db/connect.ts';
import { isoOrNull, STALLS_PER_KIND, type Stall, type StallOptions } from '../stall.ts';

/** The second parcel of a partial delivery, forgotten. */
export async function detectForgottenPartialParcel(db: Db, tenantId: string, opts: StallOptions = {}): Promise<Stall[]> {
  const hours = opts.partialParcelHours ?? 24;
  const rows = await db<{ id: string; order_id: string; created_at: Date }[]>`
    select id::text, order_id::text, created_at from packing_lists
    where tenant_id = ${tenantId} and type = 'partial' and status = 'ready_to_deliver'
      and created_at < now() - make_interval(hours => ${hours})
    order by created_at, packing_lists.id limit ${STALLS_PER_KIND}`;
  return rows.map((p) => ({
    kind: 'packing_list.partial_forgotten',
    subjectType: 'packing_list',
    subjectId: p.id,
    message: `Partial packing list ${p.id} (order ${p.order_id}) has waited more than ${hours} h without an AWB.`,
    why: 'the rest of a two-tranche delivery has not left',
    fix: 'Generate its AWB, or merge it with the remainder when the stock arrives.',
    target: { resource: 'packing_list', id: p.id },
    since: isoOrNull(p.created_at),
  }));
}
