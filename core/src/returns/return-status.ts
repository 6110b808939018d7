import { DomainError } from '../shared/domain-error.ts';

/**
 * A return's state machine: the only place that says which status may follow which.
 *
 * requested → receiving (some units scanned in) → received (every unit asked for) → approved (the
 * receipt approved: stock restocked or quarantined, the order's status follows) → settled (money
 * back given: a credit note at once, or a voucher / refund the store confirmed, `settling` until it
 * does). A manual return (no parcel, e.g. defective goods) is approved straight from requested.
 * A return may be cancelled until it is approved (its scans are undone; no stock moved yet).
 */
export const RETURN_STATUSES = ['requested', 'receiving', 'received', 'approved', 'settling', 'settled', 'cancelled'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_EVENTS = ['receive_some', 'receive_all', 'approve', 'approve_manual', 'ask_store', 'store_refused', 'settle', 'cancel'] as const;
export type ReturnEvent = (typeof RETURN_EVENTS)[number];

const TABLE: Record<ReturnEvent, Partial<Record<ReturnStatus, ReturnStatus>>> = {
  // A scan that leaves units still to come; a further scan keeps the return receiving.
  receive_some: { requested: 'receiving', receiving: 'receiving' },
  receive_all: { requested: 'received', receiving: 'received' },
  // The customer may send fewer units than asked: what was received is approved.
  approve: { receiving: 'approved', received: 'approved' },
  approve_manual: { requested: 'approved' },
  // A voucher or a refund is the store's to make: the return waits for its answer.
  ask_store: { approved: 'settling' },
  // The store refused (or the last try failed): the operator chooses again.
  store_refused: { settling: 'approved' },
  settle: { approved: 'settled', settling: 'settled' },
  // Before approval the return may be called off: the scans taken so far are undone (nothing moved stock yet).
  cancel: { requested: 'cancelled', receiving: 'cancelled', received: 'cancelled' },
};

export function canTransition(current: ReturnStatus, event: ReturnEvent): boolean {
  return TABLE[event][current] !== undefined;
}

/** The next status, or INVALID_STATE naming the return, its status and what was asked. */
export function transition(current: ReturnStatus, event: ReturnEvent, ref = 'The return'): ReturnStatus {
  const next = TABLE[event][current];
  if (!next) {
    throw new DomainError('INVALID_STATE', `${ref} is ${current}; it cannot be ${WORDS[event]}.`, [{ path: 'status', reason: `${event} is not allowed from ${current}` }]);
  }
  return next;
}

const WORDS: Record<ReturnEvent, string> = {
  receive_some: 'received into',
  receive_all: 'received into',
  approve: 'approved',
  approve_manual: 'approved without a receipt',
  ask_store: 'sent to the store for a voucher or refund',
  store_refused: 'marked refused by the store',
  settle: 'settled',
  cancel: 'cancelled',
};

export function isReturnStatus(s: string): s is ReturnStatus {
  return (RETURN_STATUSES as readonly string[]).includes(s);
}
