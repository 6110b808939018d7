import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/domain-error.ts';
import { TRACKING_STATUSES } from './courier-adapter.ts';
import { FINAL_SHIPMENT_STATUSES, reportOf, SHIPMENT_EVENTS, SHIPMENT_STATUSES, type ShipmentEvent, type ShipmentStatus, transition } from './shipment-status.ts';

// Every legal transition, written out by hand; every other (status, event) pair must be refused.
const LEGAL: Array<[ShipmentStatus, ShipmentEvent, ShipmentStatus]> = [
  ['creating', 'confirm_awb', 'created'],
  ['created', 'cancel_awb', 'cancelled'],
  ['picked_up', 'cancel_awb', 'cancelled'],
  ['in_transit', 'cancel_awb', 'cancelled'],
  ['out_for_delivery', 'cancel_awb', 'cancelled'],
  ['delivered', 'cancel_awb', 'cancelled'],
  ['failed_attempt', 'cancel_awb', 'cancelled'],
  ['returned_to_sender', 'cancel_awb', 'cancelled'],
  ['exception', 'cancel_awb', 'cancelled'],
  ['created', 'report_created', 'created'],
  ['picked_up', 'report_created', 'created'],
  ['in_transit', 'report_created', 'created'],
  ['out_for_delivery', 'report_created', 'created'],
  ['failed_attempt', 'report_created', 'created'],
  ['exception', 'report_created', 'created'],
  ['created', 'report_picked_up', 'picked_up'],
  ['picked_up', 'report_picked_up', 'picked_up'],
  ['in_transit', 'report_picked_up', 'picked_up'],
  ['out_for_delivery', 'report_picked_up', 'picked_up'],
  ['failed_attempt', 'report_picked_up', 'picked_up'],
  ['exception', 'report_picked_up', 'picked_up'],
  ['created', 'report_in_transit', 'in_transit'],
  ['picked_up', 'report_in_transit', 'in_transit'],
  ['in_transit', 'report_in_transit', 'in_transit'],
  ['out_for_delivery', 'report_in_transit', 'in_transit'],
  ['failed_attempt', 'report_in_transit', 'in_transit'],
  ['exception', 'report_in_transit', 'in_transit'],
  ['created', 'report_out_for_delivery', 'out_for_delivery'],
  ['picked_up', 'report_out_for_delivery', 'out_for_delivery'],
  ['in_transit', 'report_out_for_delivery', 'out_for_delivery'],
  ['out_for_delivery', 'report_out_for_delivery', 'out_for_delivery'],
  ['failed_attempt', 'report_out_for_delivery', 'out_for_delivery'],
  ['exception', 'report_out_for_delivery', 'out_for_delivery'],
  ['created', 'report_delivered', 'delivered'],
  ['picked_up', 'report_delivered', 'delivered'],
  ['in_transit', 'report_delivered', 'delivered'],
  ['out_for_delivery', 'report_delivered', 'delivered'],
  ['failed_attempt', 'report_delivered', 'delivered'],
  ['exception', 'report_delivered', 'delivered'],
  ['created', 'report_failed_attempt', 'failed_attempt'],
  ['picked_up', 'report_failed_attempt', 'failed_attempt'],
  ['in_transit', 'report_failed_attempt', 'failed_attempt'],
  ['out_for_delivery', 'report_failed_attempt', 'failed_attempt'],
  ['failed_attempt', 'report_failed_attempt', 'failed_attempt'],
  ['exception', 'report_failed_attempt', 'failed_attempt'],
  ['created', 'report_returned_to_sender', 'returned_to_sender'],
  ['picked_up', 'report_returned_to_sender', 'returned_to_sender'],
  ['in_transit', 'report_returned_to_sender', 'returned_to_sender'],
  ['out_for_delivery', 'report_returned_to_sender', 'returned_to_sender'],
  ['failed_attempt', 'report_returned_to_sender', 'returned_to_sender'],
  ['exception', 'report_returned_to_sender', 'returned_to_sender'],
  ['created', 'report_cancelled', 'cancelled'],
  ['picked_up', 'report_cancelled', 'cancelled'],
  ['in_transit', 'report_cancelled', 'cancelled'],
  ['out_for_delivery', 'report_cancelled', 'cancelled'],
  ['failed_attempt', 'report_cancelled', 'cancelled'],
  ['exception', 'report_cancelled', 'cancelled'],
  ['created', 'report_exception', 'exception'],
  ['picked_up', 'report_exception', 'exception'],
  ['in_transit', 'report_exception', 'exception'],
  ['out_for_delivery', 'report_exception', 'exception'],
  ['failed_attempt', 'report_exception', 'exception'],
  ['exception', 'report_exception', 'exception'],
];

describe('shipment status machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  const illegal: Array<[ShipmentStatus, ShipmentEvent]> = [];
  for (const s of SHIPMENT_STATUSES)
    for (const e of SHIPMENT_EVENTS) if (!LEGAL.some(([f, ev]) => f === s && ev === e)) illegal.push([s, e]);

  it('lists every (status, event) pair as either legal or illegal', () => {
    expect(LEGAL.length + illegal.length).toBe(SHIPMENT_STATUSES.length * SHIPMENT_EVENTS.length);
  });

  it.each(illegal)('refuses %s --%s--> with INVALID_STATE naming both statuses', (from, event) => {
    try {
      transition(from, event, 'Shipment 77');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('INVALID_STATE');
      expect((e as DomainError).message).toContain(`Shipment 77 is ${from}`);
      expect((e as DomainError).message).toContain('requested status');
    }
  });

  it('refuses a second AWB confirmation with the sentence an operator reads', () => {
    expect(() => transition('created', 'confirm_awb', 'Shipment 77')).toThrow(
      'Shipment 77 is created; it cannot be confirmed with an AWB (requested status: created).',
    );
    expect(() => transition('delivered', 'report_in_transit', 'Shipment 77')).toThrow(
      'Shipment 77 is delivered; it cannot be reported in transit by the courier (requested status: in_transit).',
    );
  });

  it('has one report event per tracking status, and nothing leaves a final status but a cancellation the courier accepted', () => {
    expect(TRACKING_STATUSES.map(reportOf).every((e) => SHIPMENT_EVENTS.includes(e))).toBe(true);
    for (const s of FINAL_SHIPMENT_STATUSES)
      for (const e of SHIPMENT_EVENTS) if (e !== 'cancel_awb') expect(LEGAL.some(([f, ev]) => f === s && ev === e)).toBe(false);
  });
});
