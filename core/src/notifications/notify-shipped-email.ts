import type { OutgoingMail } from './mailer.ts';

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

/**
 * The "your parcel is on its way" message. The Message-ID is stable per shipment so a resend after
 * a lost commit is recognisable as the same message by the receiving side.
 */
export function composeShippedEmail(i: ShippedEmailInput): OutgoingMail {
  const greeting = i.customerName ? `Bună ziua, ${i.customerName},` : 'Bună ziua,';
  const text = [
    greeting,
    '',
    `Comanda ${i.orderNumber} a fost predată curierului ${i.courierName}.`,
    `AWB: ${i.awb}`,
    ...(i.trackingUrl ? [`Urmărire colet: ${i.trackingUrl}`] : []),
    '',
    'Mulțumim,',
    i.seller,
  ].join('\n');
  const link = i.trackingUrl ? `<p><a href="${escapeHtml(i.trackingUrl)}">Urmărire colet</a>: ${escapeHtml(i.trackingUrl)}</p>` : '';
  const html = `<p>${escapeHtml(greeting)}</p><p>Comanda <strong>${escapeHtml(i.orderNumber)}</strong> a fost predată curierului ${escapeHtml(i.courierName)}.</p><p>AWB: <strong>${escapeHtml(i.awb)}</strong></p>${link}<p>Mulțumim,<br>${escapeHtml(i.seller)}</p>`;
  return {
    to: i.to,
    subject: `Comanda ${i.orderNumber} a fost expediată — AWB ${i.awb}`,
    text,
    html,
    messageId: `<shipped-${i.tenantId}-${i.shipmentId}@expedio.local>`,
  };
}
