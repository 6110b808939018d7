import { makeTransition } from './state-machine.ts';

/** Delivery note: created ready for packing; packed once packing lists cover all its lines. */
export const DELIVERY_NOTE_STATUSES = ['ready_for_packing', 'packed'] as const;
export type DeliveryNoteStatus = (typeof DELIVERY_NOTE_STATUSES)[number];
export const DELIVERY_NOTE_EVENTS = ['pack'] as const;
export type DeliveryNoteEvent = (typeof DELIVERY_NOTE_EVENTS)[number];

const TABLE: Record<DeliveryNoteEvent, Partial<Record<DeliveryNoteStatus, DeliveryNoteStatus>>> = {
  pack: { ready_for_packing: 'packed' },
};

export const transition = makeTransition<DeliveryNoteStatus, DeliveryNoteEvent>(TABLE, { pack: 'packed' }, 'delivery note');
