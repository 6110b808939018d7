import type { CustomerLanguage } from './customer-language.ts';

export interface ShippedCustomerNoteInput {
  courierName: string;
  awb: string;
  trackingUrl: string | null;
  /** Cancelled AWBs this parcel replaces: the note then says the parcel has a new AWB. */
  replacesAwbs: string[];
}

/**
 * The note a store posts to the customer for a parcel that left (WooCommerce e-mails its customer
 * notes). It names the AWB: the write-back finds its own note again by the AWB, so a retry posts
 * no second one.
 */
export function shippedCustomerNote(lang: CustomerLanguage, i: ShippedCustomerNoteInput): string {
  if (lang === 'en') {
    const link = i.trackingUrl ? `. Track the parcel: ${i.trackingUrl}` : '';
    return i.replacesAwbs.length > 0
      ? `Your parcel has a new AWB with ${i.courierName}: ${i.awb} (replaces AWB ${i.replacesAwbs.join(', ')}, cancelled)${link}`
      : `Your order was handed to the courier ${i.courierName}. AWB: ${i.awb}${link}`;
  }
  const link = i.trackingUrl ? `. Urmărire colet: ${i.trackingUrl}` : '';
  return i.replacesAwbs.length > 0
    ? `Coletul are un AWB nou la ${i.courierName}: ${i.awb} (înlocuiește AWB ${i.replacesAwbs.join(', ')}, anulat)${link}`
    : `Comanda a fost predată curierului ${i.courierName}. AWB: ${i.awb}${link}`;
}
