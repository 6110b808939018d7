import type { Db } from '../../db/connect.ts';
import { isoOrNull, orderRef, STALLS_PER_KIND, type Stall } from '../stall.ts';

/** What a hold reason says, read from the words intake and confirmation write into it. */
function classify(reason: string): { kind: string; why: string; fix: string } {
  if (reason.includes('client not created')) {
    return {
      kind: 'order.client_not_created',
      why: 'the customer has no e-mail and no name (duplicate or missing field in the store)',
      fix: 'Complete the customer in the store (e-mail or name), then confirm the order again.',
    };
  }
  if (reason.includes('unknown SKU')) {
    return {
      kind: 'order.unknown_sku',
      why: 'a line has a SKU no product carries',
      fix: 'Add the product with that SKU (or fix the SKU in the store), then confirm the order again.',
    };
  }
  return {
    kind: reason.startsWith('insufficient stock') ? 'order.short_stock' : 'order.on_hold',
    why: 'see the reason',
    fix: 'Restock and confirm again, choose partial delivery, or cancel.',
  };
}

/** Held orders: client not created, unknown SKU, short stock, manual hold. */
export async function detectHeldOrders(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ id: string; external_number: string | null; hold_reason: string | null; updated_at: Date }[]>`
    select id::text, external_number, hold_reason, updated_at from orders
    where tenant_id = ${tenantId} and status = 'on_hold' order by updated_at, orders.id limit ${STALLS_PER_KIND}`;
  return rows.map((o) => {
    const reason = o.hold_reason ?? 'on hold';
    return {
      ...classify(reason),
      subjectType: 'order',
      subjectId: o.id,
      message: `${orderRef(o.id, o.external_number)} is on hold: ${reason}.`,
      target: { resource: 'order', id: o.id },
      since: isoOrNull(o.updated_at),
    };
  });
}
