import { makeShopifyOrderObject, serializeShopifyJson } from '../fakes/shopify/shopify-order-fixtures.ts';
import { makeWooOrder, type WooOrder, wooDate } from '../fakes/woocommerce/make-woo-order.ts';

let seq = 0;

export { readContractFixture } from '../fixtures/contract-fixtures.ts';

/** A Shopify orders/* body from the real sample, as a new paid order with the given SKU lines. */
export function shopifyOrderBody(o: {
  id?: string;
  lines?: Array<[sku: string, qty: number]>;
  updatedAt?: string;
  financialStatus?: string;
  cancelled?: boolean;
  email?: string;
}): { id: string; raw: string; lineItemIds: string[] } {
  const id = o.id ?? `8209829119461${String(54508 + seq++).padStart(5, '0')}`;
  const base = makeShopifyOrderObject({});
  const template = (base.line_items as Array<Record<string, unknown>>)[0]!;
  const lines = (o.lines ?? [['SKU2006-001', 1]]).map(([sku, qty], i) => ({
    ...template,
    id: `${id.slice(0, 10)}${i + 1}`,
    admin_graphql_api_id: `gid://shopify/LineItem/${id.slice(0, 10)}${i + 1}`,
    sku,
    quantity: qty,
    current_quantity: qty,
    fulfillable_quantity: qty,
    price: '10.00',
    discount_allocations: [],
  }));
  const email = o.email ?? 'jon@example.com';
  const total = (lines.reduce((a, l) => a + 10 * l.quantity, 0)).toFixed(2);
  const raw = serializeShopifyJson(
    makeShopifyOrderObject({
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${id.slice(-4)}`,
      email,
      contact_email: email,
      customer: { ...(base.customer as Record<string, unknown>), email },
      cancelled_at: o.cancelled ? '2026-11-20T10:00:00-05:00' : null,
      cancel_reason: o.cancelled ? 'customer' : null,
      financial_status: o.financialStatus ?? 'paid',
      updated_at: o.updatedAt ?? '2026-11-20T10:00:00-05:00',
      line_items: lines,
      subtotal_price: total,
      current_subtotal_price: total,
      total_price: total,
      current_total_price: total,
      total_tax: '0.00',
      current_total_tax: '0.00',
      total_discounts: '0.00',
      current_total_discounts: '0.00',
    }),
  );
  // Numeric ids as on the wire (the body is not JSON.parse-safe: Shopify ids exceed 2^53).
  return { id, raw, lineItemIds: lines.map((l) => l.id) };
}

/** A WooCommerce order from the real sample with the given SKU lines. */
export function wooOrder(o: { id?: number; lines?: Array<[sku: string, qty: number]>; status?: string; modified?: Date; email?: string }): WooOrder {
  const base = makeWooOrder(o.id ? { id: o.id } : {});
  const template = (base.line_items as Array<Record<string, unknown>>)[0]!;
  const modified = o.modified ?? new Date('2026-11-20T10:00:00Z');
  const lines = o.lines ?? [['Bar3', 1]];
  // The sample's totals restated for these lines (no tax, its 10.00 flat-rate shipping): what the store charged.
  const total = (lines.reduce((a, [, qty]) => a + 10 * qty, 0) + 10).toFixed(2);
  return {
    ...base,
    status: o.status ?? 'processing',
    date_modified: wooDate(modified),
    date_modified_gmt: wooDate(modified),
    billing: { ...(base.billing as Record<string, unknown>), email: o.email ?? 'john.doe@example.com' },
    total,
    total_tax: '0.00',
    cart_tax: '0.00',
    shipping_tax: '0.00',
    tax_lines: [],
    line_items: lines.map(([sku, qty], i) => ({
      ...template,
      id: 900 + i,
      sku,
      quantity: qty,
      subtotal: (10 * qty).toFixed(2),
      total: (10 * qty).toFixed(2),
      subtotal_tax: '0.00',
      total_tax: '0.00',
      taxes: [],
      price: 10,
    })),
  };
}
