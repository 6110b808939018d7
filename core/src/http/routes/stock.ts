import { z } from '@hono/zod-openapi';
import type { Deps } from '../../shared/deps.ts';
import { lookupStockByBarcode } from '../../inventory/index.ts';
import { createApiRouter, errors, json, route, tenantOf } from '../openapi.ts';

/** What a barcode is and where it lies. */
export function stockRouter(deps: Deps) {
  const api = createApiRouter();
  api.openapi(
    route('get', '/stock/lookup', {
      summary: 'What a barcode is and where it lies',
      request: { query: z.object({ barcode: z.string().min(1).max(64) }) },
      responses: {
        200: json(z.object({ product: z.object({ id: z.string(), sku: z.string() }).passthrough(), stock: z.array(z.object({ binCode: z.string() }).passthrough()) }).passthrough(), 'Stock per bin'),
        ...errors,
      },
    }),
    async (c) => c.json(await lookupStockByBarcode(deps.sql, tenantOf(c), c.req.valid('query').barcode), 200),
  );
  return api;
}
