import { makeTransition } from './state-machine.ts';

/**
 * Packing list: ready to deliver until the courier collects the parcel (AWB generated → in transit),
 * delivered when the courier confirms. The last two are set by shipping.
 */
export const PACKING_LIST_STATUSES = ['ready_to_deliver', 'in_transit', 'delivered'] as const;
export type PackingListStatus = (typeof PACKING_LIST_STATUSES)[number];
export const PACKING_LIST_EVENTS = ['dispatch', 'deliver', 'recall'] as const;
export type PackingListEvent = (typeof PACKING_LIST_EVENTS)[number];

const TABLE: Record<PackingListEvent, Partial<Record<PackingListStatus, PackingListStatus>>> = {
  dispatch: { ready_to_deliver: 'in_transit' },
  deliver: { in_transit: 'delivered' },
  // The AWB was cancelled before the courier collected the parcel: it waits for a new AWB.
  recall: { in_transit: 'ready_to_deliver' },
};

export const transition = makeTransition<PackingListStatus, PackingListEvent>(
  TABLE,
  { dispatch: 'in_transit', deliver: 'delivered', recall: 'ready_to_deliver' },
  'packing list',
);
