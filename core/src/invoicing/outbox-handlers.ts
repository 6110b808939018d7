import type { OutboxHandler } from '../db/outbox.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { emailInvoice } from './email-invoice.ts';
import { type InvoiceTrigger, issueInvoiceForOrder } from './issue-invoice.ts';

const TRIGGERS: readonly InvoiceTrigger[] = ['on_paid', 'on_shipping', 'manual'];

/** Outbox kinds of the invoicing area (spread into the worker's table in flows/outbox-handlers.ts). */
export const invoiceOutboxHandlers: Record<string, OutboxHandler> = {
  // Payload: { orderId, trigger: 'on_paid' | 'on_shipping', awbNumber?, trackingUrl? }. The shipping
  // flow enqueues it with trigger 'on_shipping' and the AWB; the paid intake with 'on_paid'.
  'invoice.issue': async (tx, item) => {
    const p = item.payload;
    const trigger = TRIGGERS.includes(p.trigger as InvoiceTrigger) ? (p.trigger as InvoiceTrigger) : 'on_shipping';
    try {
      await issueInvoiceForOrder(tx, item.tenantId, String(p.orderId), trigger, {
        awbNumber: typeof p.awbNumber === 'string' ? p.awbNumber : null,
        trackingUrl: typeof p.trackingUrl === 'string' ? p.trackingUrl : null,
      });
    } catch (e) {
      // The order was cancelled or removed before the worker got to it: nothing to invoice.
      if (isDomainError(e) && (e.code === 'INVALID_STATE' || e.code === 'NOT_FOUND')) return;
      throw e;
    }
  },
  'invoice.email': async (tx, item) => {
    await emailInvoice(tx, item.tenantId, String(item.payload.invoiceId));
  },
};
