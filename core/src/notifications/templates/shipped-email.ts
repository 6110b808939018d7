import type { OutgoingMail } from '../mailer.ts';
import type { CustomerLanguage } from './customer-language.ts';

export interface ShippedEmailInput {
  tenantId: string;
  shipmentId: string;
  to: string;
  customerName: string | null;
  orderNumber: string;
  courierName: string;
  awb: string;
  trackingUrl: string | null;
  seller: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const TEXTS = {
  ro: {
    greeting: (name: string | null) => (name ? `Bună ziua, ${name},` : 'Bună ziua,'),
    handedOver: (order: string, courier: string) => `Comanda ${order} a fost predată curierului ${courier}.`,
    handedOverHtml: (order: string, courier: string) => `Comanda <strong>${order}</strong> a fost predată curierului ${courier}.`,
    track: 'Urmărire colet',
    thanks: 'Mulțumim,',
    subject: (order: string, awb: string) => `Comanda ${order} a fost expediată — AWB ${awb}`,
  },
  en: {
    greeting: (name: string | null) => (name ? `Hello, ${name},` : 'Hello,'),
    handedOver: (order: string, courier: string) => `Order ${order} was handed to the courier ${courier}.`,
    handedOverHtml: (order: string, courier: string) => `Order <strong>${order}</strong> was handed to the courier ${courier}.`,
    track: 'Track the parcel',
    thanks: 'Thank you,',
    subject: (order: string, awb: string) => `Order ${order} has shipped — AWB ${awb}`,
  },
} satisfies Record<CustomerLanguage, unknown>;

/**
 * The "your parcel is on its way" message. The Message-ID is stable per shipment so a resend after
 * a lost commit is recognisable as the same message by the receiving side.
 */
export function composeShippedEmail(i: ShippedEmailInput, lang: CustomerLanguage = 'ro'): OutgoingMail {
  const t = TEXTS[lang];
  const greeting = t.greeting(i.customerName);
  const text = [
    greeting,
    '',
    t.handedOver(i.orderNumber, i.courierName),
    `AWB: ${i.awb}`,
    ...(i.trackingUrl ? [`${t.track}: ${i.trackingUrl}`] : []),
    '',
    t.thanks,
    i.seller,
  ].join('\n');
  const link = i.trackingUrl ? `<p><a href="${escapeHtml(i.trackingUrl)}">${t.track}</a>: ${escapeHtml(i.trackingUrl)}</p>` : '';
  const html = `<p>${escapeHtml(greeting)}</p><p>${t.handedOverHtml(escapeHtml(i.orderNumber), escapeHtml(i.courierName))}</p><p>AWB: <strong>${escapeHtml(i.awb)}</strong></p>${link}<p>${t.thanks}<br>${escapeHtml(i.seller)}</p>`;
  return {
    to: i.to,
    subject: t.subject(i.orderNumber, i.awb),
    text,
    html,
    messageId: `<shipped-${i.tenantId}-${i.shipmentId}@expedio.local>`,
  };
}
