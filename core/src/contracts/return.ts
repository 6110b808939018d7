import { z } from 'zod';

/** What the outside sees of a return (the state machine is in returns/return-status.ts). */
export const RETURN_STATUS_VALUES = ['requested', 'receiving', 'received', 'approved', 'settling', 'settled', 'cancelled'] as const;
export const RETURN_TYPES = ['fully', 'partially', 'manual'] as const;
export const MONEY_BACK_KINDS = ['credit_note', 'voucher', 'refund'] as const;
export const RETURN_DESTINATIONS = ['restock', 'quarantine'] as const;

export const ReturnLineSchema = z
  .object({
    lineNo: z.number(),
    orderLineNo: z.number(),
    productId: z.string().nullable(),
    sku: z.string().nullable(),
    name: z.string(),
    quantity: z.number(),
    reason: z.string(),
    received: z.number(),
    restocked: z.number(),
    quarantined: z.number(),
  })
  .meta({ id: 'ReturnLine' });

export const QuarantineRecordSchema = z
  .object({
    id: z.string(),
    returnId: z.string(),
    warehouseId: z.string(),
    productId: z.string(),
    quantity: z.number(),
    status: z.enum(['held', 'released', 'scrapped']),
    releasedBinId: z.string().nullable(),
    decisionNote: z.string().nullable(),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .meta({ id: 'QuarantineRecord' });

export const ReturnSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    channelId: z.string(),
    warehouseId: z.string().nullable(),
    type: z.enum(RETURN_TYPES),
    status: z.enum(RETURN_STATUS_VALUES),
    note: z.string().nullable(),
    returnCourier: z.string().nullable(),
    returnAwb: z.string().nullable(),
    returnLockerId: z.string().nullable().meta({ description: 'A locker return (Innoship, Sameday or FAN): the locker the customer drops the parcel in' }),
    returnLockerPin: z.string().nullable().meta({ description: 'The PIN that opens the locker, when the courier gave one (Sameday): send it to the customer' }),
    moneyBack: z.enum(MONEY_BACK_KINDS).nullable(),
    creditNoteId: z.string().nullable(),
    moneyBackRef: z.string().nullable(),
    moneyBackError: z.string().nullable(),
    receivedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    settledAt: z.string().nullable(),
    createdAt: z.string(),
    lines: z.array(ReturnLineSchema),
    receipt: z
      .object({
        id: z.string(),
        status: z.enum(['open', 'approved']),
        warehouseId: z.string(),
        approvedAt: z.string().nullable(),
        lines: z.array(z.object({ id: z.string(), returnLineNo: z.number(), productId: z.string(), quantity: z.number(), destination: z.enum(RETURN_DESTINATIONS), binId: z.string().nullable(), createdAt: z.string() })),
      })
      .nullable(),
    quarantine: z.array(QuarantineRecordSchema),
  })
  .meta({ id: 'Return' });

export const ReturnSummarySchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    /** The store's order number (#1001); null for an order without one. */
    orderNumber: z.string().nullable(),
    channelId: z.string(),
    type: z.enum(RETURN_TYPES),
    status: z.enum(RETURN_STATUS_VALUES),
    moneyBack: z.enum(MONEY_BACK_KINDS).nullable(),
    units: z.number(),
    createdAt: z.string(),
  })
  .meta({ id: 'ReturnSummary' });

export const ReturnableSchema = z
  .object({
    orderStatus: z.string(),
    deliveredAt: z.string().nullable(),
    windowDays: z.number(),
    windowEndsAt: z.string().nullable(),
    withinWindow: z.boolean(),
    reason: z.string().nullable(),
    lines: z.array(z.object({ orderLineNo: z.number(), sku: z.string().nullable(), name: z.string(), delivered: z.number(), alreadyReturned: z.number(), returnable: z.number(), reasons: z.array(z.string()) })),
  })
  .meta({ id: 'Returnable' });
