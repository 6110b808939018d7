import { ORDER_STATUSES, type OrderStatus } from '../contracts/order.ts';
import { DomainError } from '../shared/domain-error.ts';

/**
 * The order's fulfilment state machine: the only place that says which status may follow which.
 * Payment (paid, code 14) is kept apart in `payment_status` and shown beside the status.
 */
export { ORDER_STATUSES, type OrderStatus };

/**
 * Numeric codes kept for reports and for stores migrating from the CRM in the seeds. The warehouse
 * steps picking/picked/packed had no code there (the CRM kept such orders at 3 - Confirmed), so they
 * report 3.
 */
export const ORDER_STATUS_CODES: Record<OrderStatus, number> = {
  draft: 0,
  new: 1,
  processing: 2,
  confirmed: 3,
  picking: 3,
  picked: 3,
  packed: 3,
  ready: 15,
  shipping: 4,
  delivered: 5,
  cancelled: 8,
  on_hold: 9,
  // The CRM kept one code for a return (its Goods Return Receipt said how much came back).
  partially_returned: 6,
  returned: 6,
};
export const PAID_STATUS_CODE = 14;

export const ORDER_EVENTS = [
  'submit',
  'validate',
  'confirm',
  'hold',
  'release_hold',
  'start_picking',
  'complete_pick',
  'pack',
  'mark_ready',
  'ship',
  'deliver',
  'cancel',
  'cancel_shipment',
  'return_partly',
  'return_all',
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

const TABLE: Record<OrderEvent, Partial<Record<OrderStatus, OrderStatus>>> = {
  // draft → new: the store says the order is real (e.g. WooCommerce pending → processing).
  submit: { draft: 'new' },
  // stock and client checks start; an order on hold is re-validated after a restock.
  validate: { new: 'processing', on_hold: 'processing' },
  // checks passed and stock reserved (in full, or partially when the operator chose partial delivery).
  confirm: { processing: 'confirmed', on_hold: 'confirmed' },
  hold: { new: 'on_hold', processing: 'on_hold', confirmed: 'on_hold', picking: 'on_hold', picked: 'on_hold' },
  release_hold: { on_hold: 'new' },
  start_picking: { confirmed: 'picking' },
  complete_pick: { picking: 'picked' },
  pack: { picked: 'packed' },
  mark_ready: { packed: 'ready' },
  ship: { ready: 'shipping' },
  deliver: { shipping: 'delivered' },
  // The AWB was cancelled at the courier before pickup: the parcel is back on the shelf, ready for a new AWB.
  cancel_shipment: { shipping: 'ready' },
  // An approved return receipt: some of the delivered units came back, or the last of them did.
  return_partly: { delivered: 'partially_returned' },
  return_all: { delivered: 'returned', partially_returned: 'returned' },
  cancel: {
    draft: 'cancelled',
    new: 'cancelled',
    processing: 'cancelled',
    confirmed: 'cancelled',
    on_hold: 'cancelled',
    picking: 'cancelled',
    picked: 'cancelled',
    packed: 'cancelled',
    ready: 'cancelled',
  },
};

const EVENT_TARGET: Record<OrderEvent, string> = {
  submit: 'new',
  validate: 'processing',
  confirm: 'confirmed',
  hold: 'on_hold',
  release_hold: 'new',
  start_picking: 'picking',
  complete_pick: 'picked',
  pack: 'packed',
  mark_ready: 'ready',
  ship: 'shipping',
  deliver: 'delivered',
  cancel: 'cancelled',
  cancel_shipment: 'ready',
  return_partly: 'partially_returned',
  return_all: 'returned',
};

export function canTransition(current: OrderStatus, event: OrderEvent): boolean {
  return TABLE[event][current] !== undefined;
}

/** The next status, or INVALID_STATE naming the current and the requested status. */
export function transition(current: OrderStatus, event: OrderEvent, orderRef = 'The order'): OrderStatus {
  const next = TABLE[event][current];
  if (!next) {
    throw new DomainError(
      'INVALID_STATE',
      `${orderRef} is ${current}; it cannot be ${describe(event)} (requested status: ${EVENT_TARGET[event]}).`,
      [{ path: 'status', reason: `${event} is not allowed from ${current}` }],
    );
  }
  return next;
}

function describe(event: OrderEvent): string {
  switch (event) {
    case 'cancel':
      return 'cancelled';
    case 'hold':
      return 'put on hold';
    case 'release_hold':
      return 'released from hold';
    case 'confirm':
      return 'confirmed';
    case 'validate':
      return 'validated';
    case 'submit':
      return 'submitted';
    case 'start_picking':
      return 'sent to picking';
    case 'complete_pick':
      return 'marked picked';
    case 'pack':
      return 'packed';
    case 'mark_ready':
      return 'marked ready';
    case 'ship':
      return 'shipped';
    case 'deliver':
      return 'marked delivered';
    case 'cancel_shipment':
      return 'taken back from the courier';
    case 'return_partly':
      return 'partly returned';
    case 'return_all':
      return 'returned';
  }
}

export function isOrderStatus(s: string): s is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(s);
}

/** Statuses in which reservations are held. */
export const RESERVING_STATUSES: readonly OrderStatus[] = ['confirmed', 'picking', 'picked', 'packed', 'ready'];
