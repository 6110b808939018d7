import { z } from 'zod';

/* The warehouse documents as the API shows them: delivery notes, pick lists, packing lists. */

export const DELIVERY_NOTE_STATUSES = ['ready_for_packing', 'packed'] as const;
export const PICK_LIST_STATUSES = ['open', 'picking', 'picked'] as const;
export const PACKING_LIST_STATUSES = ['ready_to_deliver', 'in_transit', 'delivered'] as const;
/** Total: the whole order in one go; partial: what is reserved now, the rest follows in its own document. */
export const DOCUMENT_TYPES = ['total', 'partial'] as const;
export const STOCK_MOVEMENT_KINDS = ['receipt', 'adjustment', 'reserve', 'release', 'issue', 'return', 'transfer'] as const;

export const DeliveryNoteSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    status: z.enum(DELIVERY_NOTE_STATUSES),
    blocked: z.boolean(),
    blockedDetails: z.array(z.object({ lineNo: z.number(), sku: z.string().nullable(), needed: z.number(), available: z.number(), missing: z.number() }).passthrough()).nullable(),
    approved: z.boolean(),
    lines: z.array(z.object({ lineNo: z.number(), orderLineNo: z.number(), sku: z.string().nullable(), quantity: z.number() }).passthrough()),
  })
  .passthrough()
  .meta({ id: 'DeliveryNote' });

export const PickListSchema = z
  .object({
    id: z.string(),
    status: z.enum(PICK_LIST_STATUSES),
    pickerUserId: z.string().nullable(),
    tickUsed: z.boolean(),
    orders: z.array(z.object({ orderId: z.string(), deliveryNoteId: z.string() }).passthrough()),
    lines: z.array(
      z
        .object({ lineNo: z.number(), binCode: z.string(), sku: z.string().nullable(), barcode: z.string().nullable(), quantity: z.number(), picked: z.number(), short: z.number(), remaining: z.number() })
        .passthrough(),
    ),
  })
  .passthrough()
  .meta({ id: 'PickList' });

const Measure = z
  .union([z.number().positive().max(99999), z.string().regex(/^\d{1,5}(\.\d{1,3})?$/, 'must be a decimal number')])
  .nullable()
  .optional();
export const ParcelInputSchema = z.object({ weightKg: Measure, lengthCm: Measure, widthCm: Measure, heightCm: Measure }).meta({ id: 'ParcelInput' });

export const PackingListSchema = z
  .object({
    id: z.string(),
    deliveryNoteId: z.string(),
    orderId: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    status: z.enum(PACKING_LIST_STATUSES),
    courier: z.string().nullable(),
    service: z.string().nullable(),
    deliveryAddress: z.record(z.string(), z.unknown()).nullable(),
    parcels: z.array(z.object({ parcelNo: z.number(), weightKg: z.number().nullable(), lengthCm: z.number().nullable(), widthCm: z.number().nullable(), heightCm: z.number().nullable() })),
    missingForAwb: z.array(z.string()),
  })
  .passthrough()
  .meta({ id: 'PackingList' });
