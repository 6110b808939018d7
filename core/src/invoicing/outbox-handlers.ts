import { inOneTransaction, type OutboxHandler } from '../db/outbox.ts';
import { emailInvoice } from './email-invoice.ts';

/**
 * Outbox kinds of the invoicing area alone (spread into the worker's table in
 * flows/outbox-handlers.ts); `invoice.issue` reads other areas, so it is the flows' handler.
 */
export const invoiceOutboxHandlers: Record<string, OutboxHandler> = {
  'invoice.email': inOneTransaction(async (tx, item, ctx) => {
    await emailInvoice(tx, item.tenantId, String(item.payload.invoiceId), (sealed) => ctx.box.open(sealed));
  }),
};
