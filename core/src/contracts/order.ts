import { z } from 'zod';

/*
 * What the outside sees of an order: the API's schemas, /openapi.json's components and the
 * generated types of the Shopify app and the WooCommerce admin all come from here.
 */

/** The order's fulfilment statuses, in the order the flow reaches them (the state machine is in orders/order-status.ts). */
export const ORDER_STATUSES = [
  'draft',
  'new',
  'processing',
  'confirmed',
  'picking',
  'picked',
  'packed',
  'ready',
  'shipping',
  'delivered',
  'cancelled',
  'on_hold',
  'partially_returned',
  'returned',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const DELIVERY_TYPES = ['total', 'partial'] as const;

export const OrderStatusSchema = z.enum(ORDER_STATUSES);

export const OrderSummarySchema = z
  .object({
    id: z.string(),
    channelId: z.string(),
    externalOrderId: z.string(),
    externalNumber: z.string().nullable(),
    status: OrderStatusSchema,
    statusCode: z.number().int(),
    paid: z.boolean(),
    paidStatusCode: z.number().int().nullable(),
    approvalStatus: z.enum(APPROVAL_STATUSES).nullable(),
    deliveryType: z.enum(DELIVERY_TYPES),
    paymentStatus: z.string(),
    paymentMethod: z.string().nullable(),
    holdReason: z.string().nullable(),
    total: z.string(),
    currency: z.string(),
    clientName: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'OrderSummary' });
export type OrderSummaryDto = z.infer<typeof OrderSummarySchema>;

export const OrderLineSchema = z
  .object({
    lineNo: z.number(),
    sku: z.string().nullable(),
    name: z.string(),
    quantity: z.number(),
    quantityReserved: z.number(),
    unreserved: z.number(),
    unitPrice: z.string(),
    total: z.string(),
  })
  .passthrough();

export const OrderDetailSchema = OrderSummarySchema.extend({
  holdDetails: z.unknown(),
  platformStatus: z.string().nullable(),
  subtotal: z.string(),
  discountTotal: z.string(),
  shippingTotal: z.string(),
  /** Fees the store charged outside the lines and shipping (a cash-on-delivery fee), on the store's tax basis; each is a line of the invoice. */
  fees: z.array(z.object({ name: z.string(), amount: z.string(), tax: z.string().nullable() })),
  taxTotal: z.string(),
  email: z.string().nullable(),
  billingAddress: z.unknown(),
  shippingAddress: z.unknown(),
  note: z.string().nullable(),
  tags: z.array(z.string()),
  client: z.unknown(),
  warehouseId: z.string().nullable(),
  lines: z.array(OrderLineSchema),
}).meta({ id: 'OrderDetail' });
export type OrderDetailDto = z.infer<typeof OrderDetailSchema>;

/** An AWB of an order as the list shows it (live ones only: neither cancelled nor an unconfirmed attempt). */
export const OrderAwbSchema = z.object({ shipmentId: z.string(), courier: z.string(), awb: z.string().nullable(), trackingUrl: z.string().nullable(), status: z.string() }).meta({ id: 'OrderAwb' });

/** One row of GET /api/v1/orders: the order and its live AWBs. */
export const OrderListRowSchema = OrderSummarySchema.extend({ awbs: z.array(OrderAwbSchema) }).meta({ id: 'OrderListRow' });

/** A page of orders, newest first; `nextCursor` is opaque. */
export const OrderPageSchema = z.object({ orders: z.array(OrderListRowSchema), nextCursor: z.string().nullable() });
export type OrderPage = z.infer<typeof OrderPageSchema>;

export const OrderActionResultSchema = z.object({ orderId: z.string(), status: OrderStatusSchema }).passthrough().meta({ id: 'OrderActionResult' });
export type OrderActionResult = z.infer<typeof OrderActionResultSchema>;

export const TIMELINE_EVENT_KINDS = ['order', 'status', 'webhook', 'writeback', 'document', 'tracking', 'e_invoice'] as const;

/** GET /api/v1/orders/{id}/timeline: what happened to the order, newest first, bounded per source. */
export const OrderTimelineSchema = z
  .object({
    events: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(TIMELINE_EVENT_KINDS),
        code: z.string(),
        summary: z.string(),
        outcome: z.string().nullable(),
        document: z.object({ type: z.enum(['delivery_note', 'packing_list', 'shipment', 'invoice']), id: z.string() }).nullable(),
      }),
    ),
    truncated: z.boolean(),
  })
  .meta({ id: 'OrderTimeline' });
export type OrderTimelineDto = z.infer<typeof OrderTimelineSchema>;
