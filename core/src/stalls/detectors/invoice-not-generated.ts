import type { Db } from '../../db/connect.ts';
import { ordersWithoutInvoiceBecauseOff } from '../../reports/index.ts';
import type { Stall } from '../stall.ts';

/** Invoice not generated because the channel's create_invoice is off. */
export async function detectInvoiceNotGenerated(db: Db, tenantId: string): Promise<Stall[]> {
  return (await ordersWithoutInvoiceBecauseOff(db, tenantId)).map((o) => ({
    kind: 'invoice.not_generated',
    subjectType: 'order',
    subjectId: o.orderId,
    message: o.message,
    why: 'create_invoice is off on the channel',
    fix: 'Issue the invoice from the order, or set create_invoice to on_shipping / on_paid on the channel.',
    target: { resource: 'order', id: o.orderId },
    since: null,
  }));
}
