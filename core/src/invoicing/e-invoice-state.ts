import { DomainError } from '../shared/domain-error.ts';

/**
 * The e-Factura of one invoice at ANAF. pending: built, not yet accepted for processing;
 * in_processing: uploaded (upload index known), ANAF checks it; ok: registered (download id, signed
 * ZIP stored); nok: refused (ANAF's errors stored) until fixed and resubmitted; held: never sent
 * because the official rules or the XSD fail (rule ids stored), or ANAF's status answers kept
 * failing — waits for the operator's fix and resubmission.
 */
export const E_INVOICE_STATES = ['pending', 'in_processing', 'ok', 'nok', 'held'] as const;
export type EInvoiceState = (typeof E_INVOICE_STATES)[number];

export const E_INVOICE_EVENTS = ['upload_accepted', 'upload_refused', 'processed_ok', 'processed_nok', 'resubmit', 'gate_failed', 'status_failed'] as const;
export type EInvoiceEvent = (typeof E_INVOICE_EVENTS)[number];

const TABLE: Record<EInvoiceState, Partial<Record<EInvoiceEvent, EInvoiceState>>> = {
  pending: { upload_accepted: 'in_processing', upload_refused: 'nok', gate_failed: 'held' },
  in_processing: { processed_ok: 'ok', processed_nok: 'nok', status_failed: 'held' },
  ok: {},
  nok: { resubmit: 'pending' },
  held: { resubmit: 'pending' },
};

export function canTransition(state: EInvoiceState, event: EInvoiceEvent): boolean {
  return TABLE[state][event] !== undefined;
}

export function transition(state: EInvoiceState, event: EInvoiceEvent, ref: string): EInvoiceState {
  const next = TABLE[state][event];
  if (!next) throw new DomainError('INVALID_STATE', `${ref} is ${state}; ${event.replace('_', ' ')} is not possible.`, [{ path: 'state', reason: `${event} not allowed from ${state}` }]);
  return next;
}
