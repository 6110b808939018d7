import { DomainError } from '../shared/domain-error.ts';
import type { TrackingStatus } from './courier-adapter.ts';

/**
 * The shipment's state machine: the only place that says which status may follow which. The
 * statuses are the DB CHECK of `shipments.status` (migration 005): our own `creating` (the request
 * is sent, the AWB not yet confirmed) and the couriers' one tracking vocabulary (courier-adapter.ts).
 * `move-shipment.ts` is the only writer of the status and goes through `transition` here.
 */
import { SHIPMENT_STATUSES, type ShipmentStatus } from '../contracts/courier.ts';

export { SHIPMENT_STATUSES, type ShipmentStatus };

/** Nothing moves a shipment out of these; tracking stops polling them. */
export const FINAL_SHIPMENT_STATUSES: readonly ShipmentStatus[] = ['delivered', 'returned_to_sender', 'cancelled'];

/** A courier reporting one of its tracking statuses, as an event of this machine. */
export type ReportEvent = `report_${TrackingStatus}`;

export const SHIPMENT_EVENTS = [
  // The courier confirmed the AWB (or an operator attached the one found in the courier's portal).
  'confirm_awb',
  // We cancelled the AWB at the courier and it accepted.
  'cancel_awb',
  'report_created',
  'report_picked_up',
  'report_in_transit',
  'report_out_for_delivery',
  'report_delivered',
  'report_failed_attempt',
  'report_returned_to_sender',
  'report_cancelled',
  'report_exception',
] as const satisfies readonly (ReportEvent | 'confirm_awb' | 'cancel_awb')[];
export type ShipmentEvent = (typeof SHIPMENT_EVENTS)[number];

/** The event of a courier reporting `status`. */
export const reportOf = (status: TrackingStatus): ShipmentEvent => `report_${status}`;

/**
 * Statuses a courier report may move: every status with an AWB that is not final. From `creating`
 * there is no AWB, so no courier can report on it (every tracking path looks shipments up by AWB).
 */
const TRACKED: readonly ShipmentStatus[] = ['created', 'picked_up', 'in_transit', 'out_for_delivery', 'failed_attempt', 'exception'];

/**
 * A courier report moves a tracked shipment to the reported status, whatever it was: couriers skip
 * scans and the order of the events is the courier's clock, not a rule of ours (recordTrackResult
 * drops events older than the last applied one before asking). Odd but kept as the code always did:
 * a report may move a shipment "back" (in_transit → created when the courier re-sends its creation
 * event later, without a time) and a repeated report keeps the status (the tracker then records no move).
 */
const reports = (to: ShipmentStatus): Partial<Record<ShipmentStatus, ShipmentStatus>> => Object.fromEntries(TRACKED.map((s) => [s, to]));

const TABLE: Record<ShipmentEvent, Partial<Record<ShipmentStatus, ShipmentStatus>>> = {
  confirm_awb: { creating: 'created' },
  // cancelAwb checks `created` before calling the courier and writes after the courier accepted;
  // a poll may have moved the shipment in between, and the record then follows the courier's
  // acceptance whatever the poll wrote (even a final status). Only an unconfirmed attempt (no AWB
  // to cancel; it is discarded instead) and an already cancelled shipment refuse.
  cancel_awb: {
    created: 'cancelled',
    picked_up: 'cancelled',
    in_transit: 'cancelled',
    out_for_delivery: 'cancelled',
    delivered: 'cancelled',
    failed_attempt: 'cancelled',
    returned_to_sender: 'cancelled',
    exception: 'cancelled',
  },
  report_created: reports('created'),
  report_picked_up: reports('picked_up'),
  report_in_transit: reports('in_transit'),
  report_out_for_delivery: reports('out_for_delivery'),
  report_delivered: reports('delivered'),
  report_failed_attempt: reports('failed_attempt'),
  report_returned_to_sender: reports('returned_to_sender'),
  report_cancelled: reports('cancelled'),
  report_exception: reports('exception'),
};

const EVENT_TARGET: Record<ShipmentEvent, ShipmentStatus> = {
  confirm_awb: 'created',
  cancel_awb: 'cancelled',
  report_created: 'created',
  report_picked_up: 'picked_up',
  report_in_transit: 'in_transit',
  report_out_for_delivery: 'out_for_delivery',
  report_delivered: 'delivered',
  report_failed_attempt: 'failed_attempt',
  report_returned_to_sender: 'returned_to_sender',
  report_cancelled: 'cancelled',
  report_exception: 'exception',
};

export function canTransition(current: ShipmentStatus, event: ShipmentEvent): boolean {
  return TABLE[event][current] !== undefined;
}

/** The next status, or INVALID_STATE naming the current and the requested status. */
export function transition(current: ShipmentStatus, event: ShipmentEvent, shipmentRef = 'The shipment'): ShipmentStatus {
  const next = TABLE[event][current];
  if (!next) {
    throw new DomainError(
      'INVALID_STATE',
      `${shipmentRef} is ${current}; it cannot be ${describe(event)} (requested status: ${EVENT_TARGET[event]}).`,
      [{ path: 'status', reason: `${event} is not allowed from ${current}` }],
    );
  }
  return next;
}

function describe(event: ShipmentEvent): string {
  switch (event) {
    case 'confirm_awb':
      return 'confirmed with an AWB';
    case 'cancel_awb':
      return 'cancelled';
    default:
      return `reported ${EVENT_TARGET[event].replaceAll('_', ' ')} by the courier`;
  }
}

export function isShipmentStatus(s: string): s is ShipmentStatus {
  return (SHIPMENT_STATUSES as readonly string[]).includes(s);
}
