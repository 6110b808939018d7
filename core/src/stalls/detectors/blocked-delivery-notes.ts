import type { Db } from '../../db/connect.ts';
import { blockedDeliveryNotes } from '../../reports/index.ts';
import type { Stall } from '../stall.ts';

/** Delivery notes blocked by stock. */
export async function detectBlockedDeliveryNotes(db: Db, tenantId: string): Promise<Stall[]> {
  const { deliveryNotes } = await blockedDeliveryNotes(db, tenantId);
  return deliveryNotes.map((note) => {
    const missing = (note.blockedDetails ?? []).map((b) => `${b.sku ?? '?'} ×${b.missing}`).join(', ');
    return {
      kind: 'delivery_note.blocked',
      subjectType: 'delivery_note',
      subjectId: note.id,
      message: `Delivery note ${note.id} (order ${note.orderId}) is blocked by stock${missing ? `: missing ${missing}` : ''}.`,
      why: 'stock in the warehouse does not cover its lines',
      fix: 'Receive or adjust stock, then recheck blocked delivery notes; or deliver partially.',
      target: { resource: 'delivery_note', id: note.id },
      since: note.createdAt,
    };
  });
}
