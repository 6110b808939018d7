import { createHash } from 'node:crypto';
import { DomainError } from '../../shared/domain-error.ts';
import { cmp, fromUnits, toUnits } from '../../shared/money.ts';
import type { StoreRefund, StoreVoucher } from '../shop-connector.ts';
import { toGid } from './push-shopify-fulfillment.ts';
import type { ShopifyAdminClient } from './shopify-admin-client.ts';
import { shopifyIdempotencyKey } from './shopify-catalog.ts';

/**
 * Money back through Shopify (contract §3.6): `refundCreate` on the order's own payment
 * transactions, and `giftCardCreate` for a voucher. Both read the store first: a refund whose note
 * carries our marker, or a gift card with our code, is the one a try whose answer was lost made,
 * and is returned instead of a second one. From API 2026-01 the refund also carries Shopify's
 * `@idempotent(key:)` (mandatory from 2026-04), derived from the same key.
 */

export const ORDER_MONEY_QUERY = `query ExpedioOrderMoney($id: ID!) {
  order(id: $id) {
    id
    transactions(first: 50) { id kind status gateway amountSet { shopMoney { amount currencyCode } } parentTransaction { id } }
    refunds(first: 50) { id note totalRefundedSet { shopMoney { amount currencyCode } } }
  }
}`;

export function refundCreateMutation(idempotencyKey: string | null): string {
  const directive = idempotencyKey ? ` @idempotent(key: ${JSON.stringify(idempotencyKey)})` : '';
  return `mutation ExpedioRefundCreate($input: RefundInput!) {
  refundCreate(input: $input)${directive} {
    refund { id note totalRefundedSet { shopMoney { amount currencyCode } } }
    userErrors { field message }
  }
}`;
}

export const GIFT_CARDS_BY_CODE_QUERY = `query ExpedioGiftCardByCode($query: String!) {
  giftCards(first: 5, query: $query) { nodes { id lastCharacters initialValue { amount currencyCode } note } }
}`;

export const GIFT_CARD_CREATE = `mutation ExpedioGiftCardCreate($input: GiftCardCreateInput!) {
  giftCardCreate(input: $input) {
    giftCard { id lastCharacters initialValue { amount currencyCode } }
    giftCardCode
    userErrors { field message code }
  }
}`;

export interface ShopifyMoney {
  amount: string;
  currencyCode: string;
}

export interface ShopifyTransaction {
  id: string;
  kind: string;
  status: string;
  gateway: string;
  amountSet: { shopMoney: ShopifyMoney };
  parentTransaction: { id: string } | null;
}

export interface ShopifyOrderMoney {
  id: string;
  transactions: ShopifyTransaction[];
  refunds: Array<{ id: string; note: string | null; totalRefundedSet: { shopMoney: ShopifyMoney } }>;
}

/** What travels in the refund's note so a later read finds it: short, not the caller's raw key. */
export function refundMarker(idempotencyKey: string): string {
  return `[expedio:${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}]`;
}

/** The refund our marker names, if a try already made it. */
export function findMarkedRefund(order: ShopifyOrderMoney, marker: string): { id: string; amount: string } | null {
  const r = order.refunds.find((x) => (x.note ?? '').includes(marker));
  return r ? { id: r.id, amount: r.totalRefundedSet.shopMoney.amount } : null;
}

/**
 * The refund's transactions: the amount spread over the order's successful SALE and CAPTURE
 * transactions (Shopify refunds only against those), each up to what is left on it after earlier
 * refunds, oldest first. Throws VALIDATION, with Shopify's numbers, when they cannot cover it:
 * nothing was paid through Shopify (cash on delivery not collected yet) or too little is left.
 */
export function planShopifyRefundTransactions(order: ShopifyOrderMoney, amount: string, currency: string): Array<{ orderId: string; parentId: string; gateway: string; kind: 'REFUND'; amount: string }> {
  const ok = order.transactions.filter((t) => t.status === 'SUCCESS');
  const refundedOf = new Map<string, bigint>();
  for (const t of ok.filter((x) => x.kind === 'REFUND' && x.parentTransaction)) {
    const p = t.parentTransaction!.id;
    refundedOf.set(p, (refundedOf.get(p) ?? 0n) + toUnits(t.amountSet.shopMoney.amount));
  }
  const parents = ok.filter((t) => t.kind === 'SALE' || t.kind === 'CAPTURE');
  if (parents.length === 0) {
    throw new DomainError('VALIDATION', `Shopify order ${order.id} has no captured payment to refund (nothing was paid through Shopify yet); give a voucher or a credit note instead.`, [{ path: 'amount', reason: 'no captured payment' }]);
  }
  const other = parents.find((t) => t.amountSet.shopMoney.currencyCode !== currency);
  if (other) {
    throw new DomainError('VALIDATION', `Shopify order ${order.id} was paid in ${other.amountSet.shopMoney.currencyCode}, not ${currency}.`, [{ path: 'currency', reason: 'not the currency of the payment' }]);
  }
  let left = toUnits(amount);
  const out: Array<{ orderId: string; parentId: string; gateway: string; kind: 'REFUND'; amount: string }> = [];
  for (const t of parents) {
    if (left <= 0n) break;
    const room = toUnits(t.amountSet.shopMoney.amount) - (refundedOf.get(t.id) ?? 0n);
    if (room <= 0n) continue;
    const take = room < left ? room : left;
    out.push({ orderId: order.id, parentId: t.id, gateway: t.gateway, kind: 'REFUND', amount: fromUnits(take) });
    left -= take;
  }
  if (left > 0n) {
    const refundable = fromUnits(toUnits(amount) - left);
    throw new DomainError('VALIDATION', `Shopify order ${order.id} has ${refundable} ${currency} left to refund on its payments, less than the ${amount} ${currency} asked.`, [{ path: 'amount', reason: `more than the ${refundable} refundable` }]);
  }
  return out;
}

/** The RefundInput of a money back: lines never restocked by Shopify (Expedio's return receipt restocks), the customer not notified by Shopify (Expedio writes). */
export function shopifyRefundInput(order: ShopifyOrderMoney, refund: StoreRefund): Record<string, unknown> {
  const note = `${refund.note.slice(0, 200)} ${refundMarker(refund.idempotencyKey)}`.trim();
  return {
    orderId: order.id,
    note,
    notify: false,
    refundLineItems: refund.lines.map((l) => ({ lineItemId: toGid('LineItem', l.externalLineId), quantity: l.quantity, restockType: 'NO_RESTOCK' })),
    ...(refund.shipping && cmp(refund.shipping, '0') > 0 ? { shipping: { amount: refund.shipping } } : {}),
    transactions: planShopifyRefundTransactions(order, refund.amount, refund.currency),
  };
}

type UserErrors = Array<{ field: string[] | null; message: string; code?: string | null }>;
const whyOf = (errors: UserErrors) => errors.map((e) => `${(e.field ?? []).join('.') || 'input'}: ${e.message}`).join('; ');
const detailsOf = (errors: UserErrors) => errors.map((e) => ({ path: (e.field ?? ['input']).join('.'), reason: e.message }));

export async function pushShopifyRefund(client: ShopifyAdminClient, apiVersion: string, refund: StoreRefund) {
  const orderGid = toGid('Order', refund.orderId);
  const data = await client.graphql<{ order: ShopifyOrderMoney | null }>(ORDER_MONEY_QUERY, { id: orderGid });
  if (!data.order) throw new DomainError('NOT_FOUND', `Shopify ${client.shopDomain} has no order ${orderGid}.`);
  const found = findMarkedRefund(data.order, refundMarker(refund.idempotencyKey));
  if (found) return { outcome: 'already_done', externalId: found.id, amount: found.amount };
  const input = shopifyRefundInput(data.order, refund);
  const key = apiVersion >= '2026-01' ? shopifyIdempotencyKey(`refund:${refund.idempotencyKey}`) : null;
  const r = await client.graphql<{ refundCreate: { refund: { id: string; totalRefundedSet: { shopMoney: ShopifyMoney } } | null; userErrors: UserErrors } }>(refundCreateMutation(key), { input });
  const { refund: made, userErrors } = r.refundCreate;
  if (userErrors.length > 0 || !made) {
    throw new DomainError('VALIDATION', `Shopify refused the refund of ${refund.amount} ${refund.currency} on order ${orderGid}: ${whyOf(userErrors) || 'no refund returned'}.`, detailsOf(userErrors));
  }
  return { outcome: 'created', externalId: made.id, amount: made.totalRefundedSet.shopMoney.amount, transactions: (input.transactions as unknown[]).length };
}

export async function pushShopifyGiftCard(client: ShopifyAdminClient, voucher: StoreVoucher) {
  // Gift card search's default field is the code: the card a lost answer made is found by it.
  const existing = await client.graphql<{ giftCards: { nodes: Array<{ id: string; lastCharacters: string }> } }>(GIFT_CARDS_BY_CODE_QUERY, { query: voucher.code });
  const mine = existing.giftCards.nodes.find((g) => voucher.code.toLowerCase().endsWith(g.lastCharacters.toLowerCase()));
  if (mine) return { outcome: 'already_done', externalId: mine.id, code: voucher.code };
  const r = await client.graphql<{ giftCardCreate: { giftCard: { id: string } | null; giftCardCode: string | null; userErrors: UserErrors } }>(GIFT_CARD_CREATE, {
    input: { initialValue: voucher.amount, code: voucher.code, note: `${voucher.note.slice(0, 200)} ${refundMarker(voucher.idempotencyKey)}`.trim() },
  });
  const { giftCard, userErrors } = r.giftCardCreate;
  if (userErrors.length > 0 || !giftCard) {
    throw new DomainError('VALIDATION', `Shopify refused the gift card of ${voucher.amount} ${voucher.currency} for order ${voucher.orderId}: ${whyOf(userErrors) || 'no gift card returned'}.`, detailsOf(userErrors));
  }
  return { outcome: 'created', externalId: giftCard.id, code: r.giftCardCreate.giftCardCode ?? voucher.code };
}
