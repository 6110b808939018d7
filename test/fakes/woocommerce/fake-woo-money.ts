import type { Context, Hono } from 'hono';
import type { WooOrder } from './make-woo-order.ts';
import { wooDate } from './make-woo-order.ts';

/**
 * Refunds and coupons of the fake WooCommerce (REST v3, contract §7.5, fixture
 * woocommerce-order-refund.json): `GET/POST /orders/{id}/refunds` with `api_refund` (only a
 * gateway that refunds: cod, bacs and cheque do not — WooCommerce answers 500
 * `woocommerce_rest_cannot_create_order_refund`, as `wc_create_refund` does when the gateway call
 * fails), `api_restock`, the amount checked against what is left (same 500, "Invalid refund
 * amount."), `line_items[{id, quantity, refund_total, refund_tax}]`, `meta_data`; the order's
 * `refunds[{id, reason, total}]` (total negative) and status `refunded` once fully refunded, and
 * `order.updated` delivered, as `woocommerce_order_refunded` does. `GET /coupons?code=` and
 * `POST /coupons` (400 `woocommerce_rest_coupon_code_already_exists` for a code in use).
 * Mounted on the fake's app, behind its auth and injected failures.
 */

export type WooRefund = Record<string, unknown> & {
  id: number;
  amount: string;
  reason: string;
  refunded_payment: boolean;
  meta_data: Array<{ id: number; key: string; value: unknown }>;
  line_items: Array<Record<string, unknown>>;
};

export type WooCouponRow = Record<string, unknown> & { id: number; code: string; amount: string; discount_type: string; email_restrictions: string[]; usage_limit: number | null };

export interface WooMoneyStore {
  refunds: Map<number, WooRefund[]>;
  coupons: WooCouponRow[];
  /** Gateways that refund through the API (the order's payment_method); the rest refuse api_refund. */
  refundingGateways: Set<string>;
  mount(
    app: Hono,
    wpError: (c: Context, status: number, code: string, message: string, extra?: Record<string, unknown>) => Response,
    orders: Map<number, WooOrder>,
    changed: (orderId: number) => void,
  ): void;
}

const API = '/wp-json/wc/v3';
const cents = (s: unknown) => Math.round(Number(s) * 100);
const money = (c: number) => (c / 100).toFixed(2);

export function createWooMoneyStore(now: () => Date): WooMoneyStore {
  const refunds = new Map<number, WooRefund[]>();
  const coupons: WooCouponRow[] = [];
  const refundingGateways = new Set(['stripe', 'woocommerce_payments', 'ppcp-gateway']);
  let nextId = 7000;

  return {
    refunds,
    coupons,
    refundingGateways,
    mount(app, wpError, orders, changed) {
      app.get(`${API}/orders/:id{[0-9]+}/refunds`, (c) => {
        const id = Number(c.req.param('id'));
        if (!orders.has(id)) return wpError(c, 404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
        const list = refunds.get(id) ?? [];
        return c.json(list, 200, { 'X-WP-Total': String(list.length), 'X-WP-TotalPages': '1' });
      });

      app.post(`${API}/orders/:id{[0-9]+}/refunds`, async (c) => {
        const id = Number(c.req.param('id'));
        const o = orders.get(id);
        if (!o) return wpError(c, 404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
        const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
        if (!body) return wpError(c, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
        const amount = cents(body['amount']);
        if (!(amount > 0)) return wpError(c, 400, 'woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.');
        const list = refunds.get(id) ?? [];
        const left = cents(o['total']) - list.reduce((s, r) => s + cents(r.amount), 0);
        if (amount > left) return wpError(c, 500, 'woocommerce_rest_cannot_create_order_refund', 'Invalid refund amount.');
        const apiRefund = body['api_refund'] !== false;
        const gateway = String(o['payment_method'] ?? '');
        if (apiRefund && !refundingGateways.has(gateway)) {
          return wpError(c, 500, 'woocommerce_rest_cannot_create_order_refund', 'The payment gateway for this order does not support automatic refunds.');
        }
        const t = now();
        const refund: WooRefund = {
          id: nextId++,
          date_created: wooDate(t),
          date_created_gmt: wooDate(t),
          amount: money(amount),
          reason: String(body['reason'] ?? ''),
          refunded_by: 1,
          refunded_payment: apiRefund,
          meta_data: ((body['meta_data'] as Array<{ key: string; value: unknown }> | undefined) ?? []).map((m) => ({ id: nextId++, key: m.key, value: m.value })),
          line_items: ((body['line_items'] as Array<Record<string, unknown>> | undefined) ?? []).map((l) => ({ ...l, quantity: -Math.abs(Number(l['quantity'] ?? 0)) })),
          api_restock: body['api_restock'] !== false,
        };
        list.push(refund);
        refunds.set(id, list);
        o['refunds'] = list.map((r) => ({ id: r.id, reason: r.reason, total: `-${r.amount}` }));
        if (amount === left) o.status = 'refunded';
        o.date_modified_gmt = wooDate(t);
        o.date_modified = wooDate(t);
        changed(id);
        return c.json(refund, 201);
      });

      app.get(`${API}/coupons`, (c) => {
        const code = c.req.query('code');
        const list = code ? coupons.filter((x) => x.code.toLowerCase() === code.toLowerCase()) : coupons;
        return c.json(list, 200, { 'X-WP-Total': String(list.length), 'X-WP-TotalPages': '1' });
      });

      app.post(`${API}/coupons`, async (c) => {
        const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
        if (!body) return wpError(c, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
        const code = typeof body['code'] === 'string' ? body['code'].trim() : '';
        if (!code) return wpError(c, 400, 'rest_missing_callback_param', 'Missing parameter(s): code', { params: ['code'] });
        if (coupons.some((x) => x.code.toLowerCase() === code.toLowerCase())) {
          return wpError(c, 400, 'woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists');
        }
        const type = String(body['discount_type'] ?? 'fixed_cart');
        if (!['percent', 'fixed_cart', 'fixed_product'].includes(type)) {
          return wpError(c, 400, 'rest_invalid_param', 'Invalid parameter(s): discount_type', { params: { discount_type: 'discount_type is not one of percent, fixed_cart, and fixed_product.' } });
        }
        const t = now();
        const row: WooCouponRow = {
          id: nextId++,
          code: code.toLowerCase(), // wc_format_coupon_code lower-cases codes
          amount: money(cents(body['amount'] ?? 0)),
          discount_type: type,
          description: String(body['description'] ?? ''),
          individual_use: body['individual_use'] === true,
          usage_limit: typeof body['usage_limit'] === 'number' ? body['usage_limit'] : null,
          usage_count: 0,
          email_restrictions: (body['email_restrictions'] as string[] | undefined) ?? [],
          meta_data: ((body['meta_data'] as Array<{ key: string; value: unknown }> | undefined) ?? []).map((m) => ({ id: nextId++, key: m.key, value: m.value })),
          date_created_gmt: wooDate(t),
        };
        coupons.push(row);
        return c.json(row, 201);
      });
    },
  };
}
