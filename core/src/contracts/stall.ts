import { z } from 'zod';

/** One open stall as GET /api/v1/stalls lists it (core/src/stalls has the detectors; http/stall-link.ts makes the link). */
export const StallSchema = z
  .object({
    kind: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    message: z.string(),
    why: z.string(),
    fix: z.string(),
    link: z.string().nullable(),
    since: z.string().nullable(),
    storeDifference: z
      .object({ storeTotal: z.string(), invoiceTotal: z.string(), currency: z.string() })
      .nullable()
      .meta({ description: 'invoice.total_mismatch: both totals; POST /orders/{id}/invoice with acceptStoreDifference.invoiceTotal issues the invoice as computed.' }),
  })
  .meta({ id: 'Stall' });
export type StallDto = z.infer<typeof StallSchema>;

/** GET /api/v1/stalls: the open stalls, oldest first per kind. */
export const StallListSchema = z.object({ stalls: z.array(StallSchema) });
