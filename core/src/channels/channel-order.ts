import { z } from 'zod';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { toUnits } from '../shared/money.ts';
import { isStorableInstant } from '../shared/storable.ts';

/**
 * One order as a store reports it, normalised from the Shopify webhook (REST shape), the Shopify
 * Admin GraphQL node, or the WooCommerce REST/webhook payload. Mappers produce this; intake
 * (`flows/ingest-channel-order.ts`) consumes it. Money is decimal strings; ids are exact strings
 * (Shopify ids exceed 2^53).
 */
const money = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount as a string');

export const channelAddressSchema = z.object({
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  company: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  /** ISO 3166-2 subdivision code without the country prefix where the platform gives one (e.g. "CJ", "B"). */
  provinceCode: z.string().nullable(),
  postcode: z.string().nullable(),
  country: z.string().nullable(),
  /** ISO 3166-1 alpha-2. */
  countryCode: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type ChannelAddress = z.infer<typeof channelAddressSchema>;

export const channelOrderLineSchema = z.object({
  externalLineId: z.string(),
  sku: z.string().nullable(),
  name: z.string(),
  quantity: z.number().int().nonnegative(),
  /** Unit price before discounts, as the store shows it (tax handling per `pricesIncludeTax`). */
  unitPrice: money,
  /** Total discount on the line (all units). */
  discount: money,
  /** Line total after discounts. */
  total: money,
  /** Tax charged on the line, when the store reports it. */
  tax: money.nullable(),
  externalProductId: z.string().nullable(),
  externalVariantId: z.string().nullable(),
});
export type ChannelOrderLine = z.infer<typeof channelOrderLineSchema>;

export const paymentStatusSchema = z.enum([
  'pending',
  'authorized',
  'paid',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'voided',
  'unknown',
]);
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;

export const channelOrderSchema = z.object({
  externalOrderId: z.string().min(1),
  /** What the merchant and customer call the order: "#1001" on Shopify, "727" on WooCommerce. */
  externalNumber: z.string(),
  /**
   * The platform's own status word, input of the channel's inbound status mapping. WooCommerce:
   * its order status (`processing`, `on-hold`, …). Shopify: `cancelled` when cancelled, else the
   * financial status (`pending`, `paid`, …).
   */
  platformStatus: z.string(),
  createdAt: z.string(),
  /** ISO-8601 UTC; an update older than the stored one changes nothing. */
  updatedAt: z.string(),
  currency: z.string().length(3),
  pricesIncludeTax: z.boolean(),
  email: z.string().nullable(),
  customer: z.object({
    externalId: z.string().nullable(),
    email: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    vatNumber: z.string().nullable(),
  }),
  billingAddress: channelAddressSchema.nullable(),
  shippingAddress: channelAddressSchema.nullable(),
  lines: z.array(channelOrderLineSchema),
  shippingLines: z.array(z.object({ title: z.string(), code: z.string().nullable(), price: money })),
  /**
   * Fees the store charged outside the lines and shipping (WooCommerce `fee_lines`: a cash-on-delivery
   * fee, a packing fee; negative for a discount given as a fee), on the store's tax basis like the
   * shipping, with the tax the store charged on each. Absent when there are none (so an order without
   * fees keeps the content hash it was stored with).
   */
  fees: z.array(z.object({ name: z.string(), amount: money, tax: money.nullable() })).optional(),
  subtotal: money,
  discountTotal: money,
  shippingTotal: money,
  taxTotal: money,
  total: money,
  paymentMethod: z.string().nullable(),
  paymentStatus: paymentStatusSchema,
  cancelled: z.boolean(),
  note: z.string().nullable(),
  tags: z.array(z.string()),
});
export type ChannelOrder = z.infer<typeof channelOrderSchema>;

/**
 * Amounts an order may carry: below one billion in absolute value. The order columns are
 * numeric(14,2) and the line prices numeric(14,4) (under 10^10), and a line total is a price times a
 * quantity, so a bound checked on the wire fields alone would still let 10^9 × 20 overflow.
 */
export const MAX_ORDER_AMOUNT = 1_000_000_000n;

/**
 * The mapped order as Postgres can hold it, else a VALIDATION error naming the field: every amount
 * within MAX_ORDER_AMOUNT (wire amounts are checked by the mappers; this catches the computed
 * ones), and the dates within the years 1970–9999.
 */
export function assertStorableOrder(o: ChannelOrder): ChannelOrder {
  const bad: ErrorDetail[] = [];
  const limit = MAX_ORDER_AMOUNT * 10_000n;
  const amount = (path: string, v: string | null) => {
    if (v === null) return;
    const u = toUnits(v);
    if (u >= limit || u <= -limit) bad.push({ path, reason: `amount ${v} is beyond ±${MAX_ORDER_AMOUNT}` });
  };
  for (const k of ['subtotal', 'discountTotal', 'shippingTotal', 'taxTotal', 'total'] as const) amount(k, o[k]);
  for (const [i, l] of o.lines.entries()) {
    for (const k of ['unitPrice', 'discount', 'total', 'tax'] as const) amount(`lines[${i}].${k}`, l[k]);
  }
  for (const [i, l] of o.shippingLines.entries()) amount(`shippingLines[${i}].price`, l.price);
  for (const [i, f] of (o.fees ?? []).entries()) {
    amount(`fees[${i}].amount`, f.amount);
    amount(`fees[${i}].tax`, f.tax);
  }
  for (const k of ['createdAt', 'updatedAt'] as const) {
    if (!isStorableInstant(Date.parse(o[k]))) bad.push({ path: k, reason: `${o[k]} is outside the years 1970–9999` });
  }
  if (bad.length) throw new DomainError('VALIDATION', `Order ${o.externalOrderId} cannot be stored: ${bad.map((d) => `${d.path} (${d.reason})`).slice(0, 5).join(', ')}.`, bad);
  return o;
}

/** A wire amount within MAX_ORDER_AMOUNT (the decimal form checked first by the caller). */
export function isStorableAmount(v: string): boolean {
  const u = toUnits(v);
  const limit = MAX_ORDER_AMOUNT * 10_000n;
  return u < limit && u > -limit;
}
