import { makeTransition } from './state-machine.ts';

/** Pick list: open until the picker starts, picking while lines are confirmed, picked when complete. */
export const PICK_LIST_STATUSES = ['open', 'picking', 'picked'] as const;
export type PickListStatus = (typeof PICK_LIST_STATUSES)[number];
export const PICK_LIST_EVENTS = ['start', 'complete'] as const;
export type PickListEvent = (typeof PICK_LIST_EVENTS)[number];

const TABLE: Record<PickListEvent, Partial<Record<PickListStatus, PickListStatus>>> = {
  start: { open: 'picking' },
  complete: { picking: 'picked' },
};

export const transition = makeTransition<PickListStatus, PickListEvent>(TABLE, { start: 'picking', complete: 'picked' }, 'pick list');
