import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain-error.ts';
import { ORDER_EVENTS, ORDER_STATUS_CODES, ORDER_STATUSES, type OrderEvent, type OrderStatus, transition } from './order-status.ts';

// Every legal transition, written out by hand; every other (status, event) pair must be refused.
const LEGAL: Array<[OrderStatus, OrderEvent, OrderStatus]> = [
  ['draft', 'submit', 'new'],
  ['new', 'validate', 'processing'],
  ['on_hold', 'validate', 'processing'],
  ['processing', 'confirm', 'confirmed'],
  ['on_hold', 'confirm', 'confirmed'],
  ['new', 'hold', 'on_hold'],
  ['processing', 'hold', 'on_hold'],
  ['confirmed', 'hold', 'on_hold'],
  ['picking', 'hold', 'on_hold'],
  ['picked', 'hold', 'on_hold'],
  ['on_hold', 'release_hold', 'new'],
  ['confirmed', 'start_picking', 'picking'],
  ['picking', 'complete_pick', 'picked'],
  ['picked', 'pack', 'packed'],
  ['packed', 'mark_ready', 'ready'],
  ['ready', 'ship', 'shipping'],
  ['shipping', 'deliver', 'delivered'],
  ['shipping', 'cancel_shipment', 'ready'],
  ['delivered', 'return_partly', 'partially_returned'],
  ['delivered', 'return_all', 'returned'],
  ['partially_returned', 'return_all', 'returned'],
  ['draft', 'cancel', 'cancelled'],
  ['new', 'cancel', 'cancelled'],
  ['processing', 'cancel', 'cancelled'],
  ['confirmed', 'cancel', 'cancelled'],
  ['on_hold', 'cancel', 'cancelled'],
  ['picking', 'cancel', 'cancelled'],
  ['picked', 'cancel', 'cancelled'],
  ['packed', 'cancel', 'cancelled'],
  ['ready', 'cancel', 'cancelled'],
];

describe('order status machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  const illegal: Array<[OrderStatus, OrderEvent]> = [];
  for (const s of ORDER_STATUSES)
    for (const e of ORDER_EVENTS) if (!LEGAL.some(([f, ev]) => f === s && ev === e)) illegal.push([s, e]);

  it('lists every (status, event) pair as either legal or illegal', () => {
    expect(LEGAL.length + illegal.length).toBe(ORDER_STATUSES.length * ORDER_EVENTS.length);
  });

  it.each(illegal)('refuses %s --%s--> with INVALID_STATE naming both statuses', (from, event) => {
    try {
      transition(from, event, 'Order 1042');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('INVALID_STATE');
      expect((e as DomainError).message).toContain(`Order 1042 is ${from}`);
      expect((e as DomainError).message).toContain('requested status');
    }
  });

  it('refuses to cancel a shipping order with the sentence an operator reads', () => {
    expect(() => transition('shipping', 'cancel', 'Order 1042')).toThrow(
      'Order 1042 is shipping; it cannot be cancelled (requested status: cancelled).',
    );
  });

  it('keeps the CRM codes for reports', () => {
    expect(ORDER_STATUS_CODES).toMatchObject({ draft: 0, new: 1, processing: 2, confirmed: 3, shipping: 4, delivered: 5, cancelled: 8, on_hold: 9, ready: 15 });
  });
});
