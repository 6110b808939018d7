import { z } from 'zod';

export const SHIP_BATCH_STATUSES = ['running', 'done', 'done_with_failures'] as const;

/** A bulk AWB run: per-order progress and failures (POST /api/v1/ship-batches, GET /api/v1/ship-batches/{id}). */
export const ShipBatchSchema = z
  .object({
    id: z.string(),
    labelFormat: z.enum(['A4', 'A6']),
    status: z.enum(SHIP_BATCH_STATUSES),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    orders: z.array(
      z.object({
        orderId: z.string(),
        /** The store's order number (#1001), as the merchant knows the order; null for an order without one. */
        orderNumber: z.string().nullable(),
        status: z.enum(['pending', 'done', 'failed']),
        attempt: z.number().int(),
        shipmentIds: z.array(z.string()),
        awbs: z.array(z.string()),
        error: z.string().nullable(),
      }),
    ),
    createdAt: z.string(),
  })
  .meta({ id: 'ShipBatch' });
export type ShipBatchDto = z.infer<typeof ShipBatchSchema>;
