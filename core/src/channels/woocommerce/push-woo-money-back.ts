import { createHash } from 'node:crypto';
import { DomainError, isDomainError } from '../../shared/domain-error.ts';
import { fromUnits, mulDiv, toUnits } from '../../shared/money.ts';
import type { StoreRefund, StoreVoucher } from '../shop-connector.ts';
import type { WooRestClient } from './woo-rest-client.ts';

/**
 * Money back through WooCommerce (contract §7.5): `POST /orders/{id}/refunds` and `POST /coupons`.
 * Both carry our marker (meta `expedio_money_back`; WooCommerce hides `_`-prefixed meta from REST,
 * so the key is public) and are looked up by it, or by the coupon's code, before anything is
 * made: a try whose answer was lost is found, never repeated.
 */

export const MONEY_BACK_META_KEY = 'expedio_money_back';

/**
 * Gateways that move no money themselves (cash on delivery, bank transfer, cheque): WooCommerce
 * cannot refund through them, so the refund is recorded as manual (`api_refund: false`) and the
 * merchant pays it out. Any other gateway is asked to refund (`api_refund: true`); one that cannot
 * is a refusal the operator sees.
 */
const OFFLINE_GATEWAYS = new Set(['', 'cod', 'bacs', 'cheque']);

export function moneyBackMarker(idempotencyKey: string): string {
  return `expedio:${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;
}

interface WooMeta {
  key: string;
  value: unknown;
}

export interface WooOrderForRefund {
  id: number;
  currency: string;
  payment_method: string;
  line_items: Array<{ id: number; quantity: number; total: string; taxes?: Array<{ id: number; total: string }> }>;
  shipping_lines?: Array<{ id: number; total: string; taxes?: Array<{ id: number; total: string }> }>;
}

export interface WooRefundRow {
  id: number;
  amount: string;
  reason?: string;
  refunded_payment?: boolean;
  meta_data?: WooMeta[];
}

const hasMarker = (meta: WooMeta[] | undefined, marker: string) => (meta ?? []).some((m) => m.key === MONEY_BACK_META_KEY && m.value === marker);

export function findMarkedWooRefund(refunds: WooRefundRow[], marker: string): WooRefundRow | null {
  return refunds.find((r) => hasMarker(r.meta_data, marker) || (r.reason ?? '').includes(`[${marker}]`)) ?? null;
}

/**
 * The body of `POST /orders/{id}/refunds`: the amount, each line's share (its total and taxes
 * per unit × the quantity returned, for the store's records) and, when the delivery is given back,
 * the shipping lines whole, never restocked by WooCommerce
 * (Expedio's return receipt restocks), and `api_refund` by the order's gateway.
 */
export function wooRefundBody(order: WooOrderForRefund, refund: StoreRefund): Record<string, unknown> {
  if (order.currency !== refund.currency) {
    throw new DomainError('VALIDATION', `WooCommerce order ${order.id} is in ${order.currency}, not ${refund.currency}.`, [{ path: 'currency', reason: 'not the order currency' }]);
  }
  const lineItems = refund.lines.map((l) => {
    const line = order.line_items.find((x) => String(x.id) === l.externalLineId);
    if (!line) throw new DomainError('VALIDATION', `WooCommerce order ${order.id} has no line item ${l.externalLineId}.`, [{ path: 'lines', reason: `unknown line item ${l.externalLineId}` }]);
    if (l.quantity > line.quantity) {
      throw new DomainError('VALIDATION', `WooCommerce order ${order.id} line ${line.id} has ${line.quantity}, fewer than the ${l.quantity} refunded.`, [{ path: 'lines', reason: 'more than ordered' }]);
    }
    const share = (total: string) => fromUnits(mulDiv(toUnits(total), BigInt(l.quantity), BigInt(line.quantity)));
    return { id: line.id, quantity: l.quantity, refund_total: share(line.total), refund_tax: (line.taxes ?? []).map((t) => ({ id: t.id, refund_total: share(t.total) })) };
  });
  // The delivery given back (a whole order withdrawn): each shipping line refunded whole, for the store's records.
  const shippingItems = refund.shipping && toUnits(refund.shipping) > 0n
    ? (order.shipping_lines ?? []).map((l) => ({ id: l.id, refund_total: l.total, refund_tax: (l.taxes ?? []).map((t) => ({ id: t.id, refund_total: t.total })) }))
    : [];
  const marker = moneyBackMarker(refund.idempotencyKey);
  return {
    amount: refund.amount,
    reason: `${refund.note.slice(0, 200)} [${marker}]`.trim(),
    api_refund: !OFFLINE_GATEWAYS.has(order.payment_method ?? ''),
    api_restock: false,
    line_items: [...lineItems, ...shippingItems],
    meta_data: [{ key: MONEY_BACK_META_KEY, value: marker }],
  };
}

/** The body of `POST /coupons`: one use, a fixed amount off the cart, for the customer's e-mail only. */
export function wooCouponBody(voucher: StoreVoucher): Record<string, unknown> {
  return {
    code: voucher.code,
    discount_type: 'fixed_cart',
    amount: voucher.amount,
    individual_use: false,
    usage_limit: 1,
    ...(voucher.customerEmail ? { email_restrictions: [voucher.customerEmail] } : {}),
    description: `${voucher.note.slice(0, 200)} (order ${voucher.orderId})`,
    meta_data: [{ key: MONEY_BACK_META_KEY, value: moneyBackMarker(voucher.idempotencyKey) }],
  };
}

// WooCommerce answers a refund it decided against (the gateway refused or cannot refund, the amount is
// more than is left) with 500 and this code: a retry would be refused the same way.
const REFUSED_REFUND = 'woocommerce_rest_cannot_create_order_refund';

export async function pushWooRefund(client: WooRestClient, refund: StoreRefund) {
  const marker = moneyBackMarker(refund.idempotencyKey);
  const existing = await client.get<WooRefundRow[]>(`orders/${encodeURIComponent(refund.orderId)}/refunds`, { per_page: 100 });
  const found = Array.isArray(existing.body) ? findMarkedWooRefund(existing.body, marker) : null;
  if (found) return { outcome: 'already_done', externalId: String(found.id), amount: found.amount, manual: found.refunded_payment === false };
  const order = await client.get<WooOrderForRefund>(`orders/${encodeURIComponent(refund.orderId)}`);
  const body = wooRefundBody(order.body, refund);
  let made: WooRefundRow;
  try {
    made = (await client.post<WooRefundRow>(`orders/${encodeURIComponent(refund.orderId)}/refunds`, body)).body;
  } catch (e) {
    if (isDomainError(e) && e.code === 'UPSTREAM' && e.message.includes(REFUSED_REFUND)) {
      throw new DomainError('VALIDATION', e.message, [{ path: 'amount', reason: 'refused by the store' }]);
    }
    throw e;
  }
  return { outcome: 'created', externalId: String(made.id), amount: made.amount, manual: body.api_refund === false };
}

interface WooCoupon {
  id: number;
  code: string;
}

export async function pushWooCoupon(client: WooRestClient, voucher: StoreVoucher) {
  const lookup = async () => {
    const r = await client.get<WooCoupon[]>('coupons', { code: voucher.code });
    return Array.isArray(r.body) ? (r.body.find((c) => c.code.toLowerCase() === voucher.code.toLowerCase()) ?? null) : null;
  };
  const existing = await lookup();
  if (existing) return { outcome: 'already_done', externalId: String(existing.id), code: voucher.code };
  try {
    const made = await client.post<WooCoupon>('coupons', wooCouponBody(voucher));
    return { outcome: 'created', externalId: String(made.body.id), code: voucher.code };
  } catch (e) {
    // Made by a try whose answer was lost, between our read and this write.
    if (isDomainError(e) && e.message.includes('woocommerce_rest_coupon_code_already_exists')) {
      const again = await lookup();
      if (again) return { outcome: 'already_done', externalId: String(again.id), code: voucher.code };
    }
    throw e;
  }
}
