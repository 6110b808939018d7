import { z } from 'zod';

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
