import { z } from '@hono/zod-openapi';
import { setWarehouseScanning } from '../../inventory/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

const WarehouseScanningSchema = z
  .object({ warehouseId: z.string(), code: z.string(), name: z.string(), scanLocationFirst: z.boolean() })
  .meta({ id: 'WarehouseScanning' });

/** How a warehouse's pickers scan (the narrow setting; warehouses themselves are managed elsewhere). */
export function warehouseScanningRouter(deps: Deps) {
  const api = createApiRouter();
  api.openapi(
    route('patch', '/warehouses/{id}/scanning', {
      summary: 'Location-first scanning: when on, the pick screen asks for the bin before the item and refuses an item scanned without it',
      request: { params: IdParam, body: jsonBody(z.object({ scanLocationFirst: z.boolean({ error: 'must be true or false' }) }).strict()) },
      responses: { 200: json(WarehouseScanningSchema, 'The warehouse scanning setting'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => setWarehouseScanning(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  return api;
}
