import type { OutgoingMail } from '../mailer.ts';
import type { CustomerLanguage } from './customer-language.ts';

export interface VoucherEmailInput {
  tenantId: string;
  /** The money back the voucher is (store_money_backs.id): the Message-ID is stable per voucher. */
  moneyBackId: string;
  to: string;
  orderNumber: string;
  code: string;
  amount: string;
  currency: string;
  /** Where it is spent: the store's name. */
  storeName: string;
  /** Gift card (Shopify) or coupon (WooCommerce): the word the customer sees at that store's checkout. */
  voucherKind: 'gift_card' | 'coupon';
  seller: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const TEXTS = {
  ro: {
    greeting: 'Bună ziua,',
    kind: { gift_card: 'card cadou', coupon: 'cupon' },
    body: (order: string, amount: string, kind: string, store: string) => `Pentru returul comenzii ${order} vă oferim un ${kind} de ${amount}, de folosit în ${store}.`,
    codeLine: 'Codul',
    howTo: 'Introduceți codul la finalizarea comenzii.',
    thanks: 'Mulțumim,',
    subject: (order: string, kind: 'gift_card' | 'coupon') => `Comanda ${order}: ${kind === 'gift_card' ? 'cardul cadou' : 'cuponul'} dumneavoastră`,
  },
  en: {
    greeting: 'Hello,',
    kind: { gift_card: 'gift card', coupon: 'coupon' },
    body: (order: string, amount: string, kind: string, store: string) => `For the return of order ${order} we give you a ${kind} worth ${amount}, to spend at ${store}.`,
    codeLine: 'Code',
    howTo: 'Enter the code at checkout.',
    thanks: 'Thank you,',
    subject: (order: string, kind: 'gift_card' | 'coupon') => `Order ${order}: your ${kind === 'gift_card' ? 'gift card' : 'coupon'}`,
  },
} satisfies Record<CustomerLanguage, unknown>;

/** The customer's voucher code, sent once the store made the gift card or coupon. */
export function composeVoucherEmail(i: VoucherEmailInput, lang: CustomerLanguage = 'ro'): OutgoingMail {
  const t = TEXTS[lang];
  const kind = t.kind[i.voucherKind];
  const amount = `${i.amount} ${i.currency}`;
  const text = [t.greeting, '', t.body(i.orderNumber, amount, kind, i.storeName), '', `${t.codeLine}: ${i.code}`, t.howTo, '', t.thanks, i.seller].join('\n');
  const html = `<p>${t.greeting}</p><p>${escapeHtml(t.body(i.orderNumber, amount, kind, i.storeName))}</p><p>${t.codeLine}: <strong style="font-size:1.3em;letter-spacing:2px">${escapeHtml(i.code)}</strong></p><p>${t.howTo}</p><p>${t.thanks}<br>${escapeHtml(i.seller)}</p>`;
  return {
    to: i.to,
    subject: t.subject(i.orderNumber, i.voucherKind),
    text,
    html,
    messageId: `<voucher-${i.tenantId}-${i.moneyBackId}@expedio.local>`,
  };
}
