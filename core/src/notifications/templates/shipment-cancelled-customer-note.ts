import type { CustomerLanguage } from './customer-language.ts';

/**
 * The note a store posts to the customer for an AWB cancelled with nothing replacing it. The text is fixed
 * per AWB: the write-back recognises a note it already posted by its exact text.
 */
export function shipmentCancelledCustomerNote(lang: CustomerLanguage, i: { courierName: string; awb: string }): string {
  if (lang === 'en') return `The shipment with AWB ${i.awb} (${i.courierName}) was cancelled. We will let you know when the parcel leaves again.`;
  return `Expedierea cu AWB ${i.awb} (${i.courierName}) a fost anulată. Vă anunțăm când coletul pleacă din nou.`;
}
