import { DomainError } from '../shared/domain-error.ts';

/**
 * The e-Factura of one invoice at ANAF. pending: built, not yet accepted for processing;
 * in_processing: uploaded (upload index known), ANAF checks it; ok: registered (download id, signed
 * ZIP stored); nok: refused (ANAF's errors stored) until fixed and resubmitted.
 */
export const E_INVOICE_STATES = ['pending', 'in_processing', 'ok', 'nok'] as const;
export type EInvoiceState = (typeof E_INVOICE_STATES)[number];

export const E_INVOICE_EVENTS = ['upload_accepted', 'upload_refused', 'processed_ok', 'processed_nok', 'resubmit'] as const;
export type EInvoiceEvent = (typeof E_INVOICE_EVENTS)[number];

const TABLE: Record<EInvoiceState, Partial<Record<EInvoiceEvent, EInvoiceState>>> = {
  pending: { upload_accepted: 'in_processing', upload_refused: 'nok' },
  in_processing: { processed_ok: 'ok', processed_nok: 'nok' },
  ok: {},
  nok: { resubmit: 'pending' },
};

export function canTransition(state: EInvoiceState, event: EInvoiceEvent): boolean {
  return TABLE[state][event] !== undefined;
}

export function transition(state: EInvoiceState, event: EInvoiceEvent, ref: string): EInvoiceState {
  const next = TABLE[state][event];
  if (!next) throw new DomainError('INVALID_STATE', `${ref} is ${state}; ${event.replace('_', ' ')} is not possible.`, [{ path: 'state', reason: `${event} not allowed from ${state}` }]);
  return next;
}
