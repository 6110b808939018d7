import { describe, expect, it } from 'vitest';
import { E_INVOICE_EVENTS, E_INVOICE_STATES, type EInvoiceEvent, type EInvoiceState, transition } from './e-invoice-state.ts';

const LEGAL: Array<[EInvoiceState, EInvoiceEvent, EInvoiceState]> = [
  ['pending', 'upload_accepted', 'in_processing'],
  ['pending', 'upload_refused', 'nok'],
  ['in_processing', 'processed_ok', 'ok'],
  ['in_processing', 'processed_nok', 'nok'],
  ['nok', 'resubmit', 'pending'],
  ['pending', 'gate_failed', 'held'],
  ['in_processing', 'status_failed', 'held'],
  ['held', 'resubmit', 'pending'],
];

describe('e-invoice state machine', () => {
  for (const [from, event, to] of LEGAL) {
    it(`${from} --${event}--> ${to}`, () => expect(transition(from, event, 'E-invoice 1')).toBe(to));
  }
  const legal = new Set(LEGAL.map(([f, e]) => `${f}:${e}`));
  for (const from of E_INVOICE_STATES) {
    for (const event of E_INVOICE_EVENTS) {
      if (legal.has(`${from}:${event}`)) continue;
      it(`${from} refuses ${event}`, () => expect(() => transition(from, event, 'E-invoice 1')).toThrow(/INVALID_STATE|not possible/));
    }
  }
});
