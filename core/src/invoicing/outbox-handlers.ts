import { markOutboxDone, type OutboxHandler } from '../db/outbox.ts';
import { emailInvoice } from './email-invoice.ts';

/**
 * Outbox kinds of the invoicing area alone (spread into the worker's table in
 * flows/outbox-handlers.ts); `invoice.issue` reads other areas, so it is the flows' handler.
 */
export const invoiceOutboxHandlers: Record<string, OutboxHandler> = {
  // No transaction open during the SMTP call: the invoice is marked sent with the item done, after it.
  'invoice.email': async (db, item, ctx) => {
    await emailInvoice(db, item.tenantId, String(item.payload.invoiceId), (sealed) => ctx.box.open(sealed), (tx) => markOutboxDone(tx, item));
  },
};
