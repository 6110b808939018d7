import type { StoreReturnRequest } from '../../contracts/store-return.ts';

/** What Expedio's own refunds carry in their reason (channels/woocommerce/push-woo-money-back.ts): not a refund begun in the store. */
const OURS = /\[expedio:[^\]]*\]/;

/**
 * The refunds an admin made in wp-admin, from an order.updated payload (WooCommerce fires it on
 * `woocommerce_order_refunded`): `refunds: [{ id, reason, total }]`, total negative. Each is a
 * store return request (store status `refunded`, the money already given back); refunds Expedio
 * wrote itself are left out. The order payload names no lines of a refund: the operator says
 * which units come back when taking it in.
 */
export function mapWooRefunds(payload: unknown): StoreReturnRequest[] {
  const p = (payload ?? {}) as { id?: unknown; currency?: unknown; refunds?: unknown; date_modified_gmt?: unknown };
  if (!Array.isArray(p.refunds) || p.id === undefined || p.id === null) return [];
  const orderId = String(p.id);
  return (p.refunds as Array<{ id?: unknown; reason?: unknown; total?: unknown }>).flatMap((r) => {
    if (r?.id === undefined || r.id === null) return [];
    const reason = typeof r.reason === 'string' ? r.reason : '';
    if (OURS.test(reason)) return [];
    const total = Math.abs(Number(r.total ?? 0));
    return [
      {
        platform: 'woocommerce' as const,
        externalId: String(r.id),
        externalOrderId: orderId,
        storeStatus: 'refunded' as const,
        lines: [],
        refundedAmount: Number.isFinite(total) ? total.toFixed(2) : null,
        currency: typeof p.currency === 'string' ? p.currency : null,
        note: reason || null,
        happenedAt: typeof p.date_modified_gmt === 'string' ? p.date_modified_gmt : null,
      },
    ];
  });
}
