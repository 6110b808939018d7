import type { Db } from '../../db/connect.ts';
import { isoOrNull, orderRef, STALLS_PER_KIND, type Stall, type StallOptions } from '../stall.ts';

/** Delivery note not generated: confirmed, nothing covers it, and the channel does not auto-create. */
export async function detectDeliveryNoteNotGenerated(db: Db, tenantId: string, opts: StallOptions = {}): Promise<Stall[]> {
  const grace = opts.deliveryNoteGraceMinutes ?? 30;
  // The channels first (a handful): where every channel auto-creates, no order is looked at.
  const manual = await db<{ id: string }[]>`select id::text from channels where tenant_id = ${tenantId} and not auto_create_delivery_note`;
  if (manual.length === 0) return [];
  const rows = await db<{ id: string; external_number: string | null; channel: string; updated_at: Date }[]>`
    select o.id::text, o.external_number, c.name as channel, o.updated_at from orders o
    join channels c on c.tenant_id = o.tenant_id and c.id = o.channel_id
    where o.tenant_id = ${tenantId} and o.status = 'confirmed' and o.channel_id = any(${manual.map((c) => c.id)}::bigint[])
      and o.updated_at < now() - make_interval(mins => ${grace})
      and not exists (select 1 from delivery_notes d where d.tenant_id = o.tenant_id and d.order_id = o.id)
    order by o.updated_at, o.id limit ${STALLS_PER_KIND}`;
  return rows.map((o) => ({
    kind: 'delivery_note.not_generated',
    subjectType: 'order',
    subjectId: o.id,
    message: `${orderRef(o.id, o.external_number)} is confirmed but has no delivery note.`,
    why: `automatic delivery notes are off on channel ${o.channel}`,
    fix: 'Create the delivery note from the order, or turn on auto-create in the channel settings.',
    target: { resource: 'order', id: o.id },
    since: isoOrNull(o.updated_at),
  }));
}
