import { z } from 'zod';

export const ShipmentSchema = z
  .object({
    id: z.string(),
    packingListId: z.string().nullable(),
    orderId: z.string().nullable(),
    courier: z.string(),
    service: z.string(),
    reference: z.string(),
    awb: z.string().nullable(),
    trackingUrl: z.string().nullable(),
    status: z.string(),
    attention: z.string().nullable(),
    cod: z.object({ amount: z.string(), currency: z.string() }).nullable(),
    codStatus: z.string().nullable(),
  })
  .passthrough()
  .meta({ id: 'Shipment' });
