import type { MessageKey, Translate } from './i18n.ts';

/** Every status and type the warehouse screens show, as words in the UI's language (never the code). */
const WORDS: Record<string, MessageKey> = {
  'delivery_note:ready_for_packing': 'dnReadyForPacking',
  'delivery_note:packed': 'dnPacked',
  'packing_list:ready_to_deliver': 'plReadyToDeliver',
  'packing_list:in_transit': 'plInTransit',
  'packing_list:delivered': 'plDelivered',
  'pick_list:open': 'statusOpen',
  'pick_list:picking': 'statusPicking',
  'pick_list:picked': 'statusPicked',
  'shipment:creating': 'shCreating',
  'shipment:created': 'shCreated',
  'shipment:picked_up': 'shPickedUp',
  'shipment:in_transit': 'shInTransit',
  'shipment:out_for_delivery': 'shOutForDelivery',
  'shipment:delivered': 'shDelivered',
  'shipment:failed_attempt': 'shFailedAttempt',
  'shipment:returned_to_sender': 'shReturned',
  'shipment:cancelled': 'shCancelled',
  'shipment:exception': 'shException',
  'type:total': 'typeTotal',
  'type:partial': 'typePartial',
};

export type WordedThing = 'delivery_note' | 'packing_list' | 'pick_list' | 'shipment' | 'type';

/** The word for a status; an unknown one (a newer status) is shown as it is rather than hidden. */
export const statusWord = (t: Translate, thing: WordedThing, status: string): string => {
  const key = WORDS[`${thing}:${status}`];
  return key ? t(key) : status;
};
