import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain-error.ts';
import { RETURN_EVENTS, RETURN_STATUSES, type ReturnEvent, type ReturnStatus, transition } from './return-status.ts';

// Every legal transition, written out by hand; every other (status, event) pair must be refused.
const LEGAL: Array<[ReturnStatus, ReturnEvent, ReturnStatus]> = [
  ['requested', 'receive_some', 'receiving'],
  ['receiving', 'receive_some', 'receiving'],
  ['requested', 'receive_all', 'received'],
  ['receiving', 'receive_all', 'received'],
  ['receiving', 'approve', 'approved'],
  ['received', 'approve', 'approved'],
  ['requested', 'approve_manual', 'approved'],
  ['approved', 'ask_store', 'settling'],
  ['settling', 'store_refused', 'approved'],
  ['approved', 'settle', 'settled'],
  ['settling', 'settle', 'settled'],
  ['requested', 'cancel', 'cancelled'],
  ['receiving', 'cancel', 'cancelled'],
  ['received', 'cancel', 'cancelled'],
];

describe('return status machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  const illegal: Array<[ReturnStatus, ReturnEvent]> = [];
  for (const s of RETURN_STATUSES) for (const e of RETURN_EVENTS) if (!LEGAL.some(([f, ev]) => f === s && ev === e)) illegal.push([s, e]);

  it('lists every (status, event) pair as either legal or illegal', () => {
    expect(LEGAL.length + illegal.length).toBe(RETURN_STATUSES.length * RETURN_EVENTS.length);
    expect(illegal.length).toBeGreaterThan(0);
  });

  it.each(illegal)('refuses %s --%s--> with INVALID_STATE naming the return and its status', (from, event) => {
    try {
      transition(from, event, 'Return 7');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('INVALID_STATE');
      expect((e as DomainError).message).toContain(`Return 7 is ${from}`);
      expect((e as DomainError).details).toEqual([{ path: 'status', reason: `${event} is not allowed from ${from}` }]);
    }
  });

  it('nothing leaves settled or cancelled', () => {
    for (const e of RETURN_EVENTS) {
      expect(() => transition('settled', e)).toThrow(DomainError);
      expect(() => transition('cancelled', e)).toThrow(DomainError);
    }
  });
});
