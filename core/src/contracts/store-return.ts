import { z } from 'zod';

/**
 * A return or refund begun in the store, as Expedio takes it in, whatever the platform: a Shopify
 * return (Return API webhooks `returns/request`, `returns/approve`, `returns/decline`,
 * `returns/close`, `returns/cancel`, `returns/reopen`) or a refund an admin made in WooCommerce's
 * wp-admin. The returns flow turns it into a return request; the store's own word on where it
 * stands is `storeStatus`.
 */
export const STORE_RETURN_STATUSES = ['requested', 'open', 'declined', 'closed', 'cancelled', 'refunded'] as const;
export type StoreReturnStatus = (typeof STORE_RETURN_STATUSES)[number];

export const storeReturnLineSchema = z.object({
  /** The store's order line id (orders' order_lines.external_line_id). */
  externalLineId: z.string().min(1),
  quantity: z.number().int().positive(),
  /** The customer's (or admin's) reason as the store names it (Shopify's returnReason: DEFECTIVE, SIZE_TOO_SMALL…). */
  reason: z.string().nullable(),
  customerNote: z.string().nullable(),
});

export const storeReturnRequestSchema = z.object({
  platform: z.enum(['shopify', 'woocommerce']),
  /** The store's id of the return (a Shopify Return GID) or of the refund (WooCommerce refund id). */
  externalId: z.string().min(1),
  /** The store's id of the order (orders.external_order_id). */
  externalOrderId: z.string().min(1),
  storeStatus: z.enum(STORE_RETURN_STATUSES),
  lines: z.array(storeReturnLineSchema),
  /** Money the store already gave back (a WooCommerce refund), decimal string; null: none yet. */
  refundedAmount: z.string().nullable(),
  currency: z.string().nullable(),
  /** The reason or note of the whole request. */
  note: z.string().nullable(),
  /** When the store says it happened (ISO), else null. */
  happenedAt: z.string().nullable(),
});
export type StoreReturnLine = z.infer<typeof storeReturnLineSchema>;
export type StoreReturnRequest = z.infer<typeof storeReturnRequestSchema>;

/** A store return request as the API lists it (GET /api/v1/store-returns). */
export const StoreReturnRequestViewSchema = z
  .object({
    id: z.string(),
    channelId: z.string(),
    storeStatus: z.enum(STORE_RETURN_STATUSES),
    request: storeReturnRequestSchema,
    receivedAt: z.string(),
    updatedAt: z.string(),
    takenInAt: z.string().nullable(),
    takenInAs: z.string().nullable(),
  })
  .meta({ id: 'StoreReturnRequest' });
