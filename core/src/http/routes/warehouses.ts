import { z } from '@hono/zod-openapi';
import { BinInputSchema, BinPatchSchema, BinSchema, WarehouseInputSchema, WarehousePatchSchema, WarehouseSchema } from '../../contracts/catalog.ts';
import { addWarehouse } from '../../flows/index.ts';
import { createBin, getBin, getWarehouseDetail, listBins, listWarehouses, updateBin, updateWarehouse } from '../../inventory/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

/** Warehouses (code, name, the AWB sender address) and their bins (code unique per warehouse, zone, pick sequence). */
export function warehousesRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/warehouses', { summary: 'Every warehouse, by code', responses: { 200: json(z.object({ warehouses: z.array(WarehouseSchema) }), 'The warehouses'), ...errors } }),
    async (c) => c.json({ warehouses: await listWarehouses(deps.sql, tenantOf(c)) }, 200),
  );
  api.openapi(
    route('get', '/warehouses/{id}', { summary: 'One warehouse', request: { params: IdParam }, responses: { 200: json(WarehouseSchema, 'The warehouse'), ...errors } }),
    async (c) => c.json(await getWarehouseDetail(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );
  api.openapi(
    route('post', '/warehouses', {
      summary: 'Create a warehouse; its code is unique in the tenant (409 naming code)',
      request: { body: jsonBody(WarehouseInputSchema) },
      responses: { 201: json(WarehouseSchema, 'The warehouse created'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => addWarehouse(tx, tenantOf(c), c.req.valid('json'))), 201),
  );
  api.openapi(
    route('patch', '/warehouses/{id}', {
      summary: 'Edit a warehouse: only the keys given; a null address clears it',
      request: { params: IdParam, body: jsonBody(WarehousePatchSchema) },
      responses: { 200: json(WarehouseSchema, 'The warehouse'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => updateWarehouse(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  api.openapi(
    route('get', '/warehouses/{id}/bins', {
      summary: "A warehouse's bins in pick sequence, with the stock each holds",
      request: { params: IdParam, query: z.object({ active: z.enum(['true', 'false']).optional() }) },
      responses: { 200: json(z.object({ bins: z.array(BinSchema) }), 'The bins'), ...errors },
    }),
    async (c) => {
      const a = c.req.valid('query').active;
      return c.json({ bins: await listBins(deps.sql, tenantOf(c), c.req.valid('param').id, a === undefined ? {} : { active: a === 'true' }) }, 200);
    },
  );
  api.openapi(
    route('post', '/warehouses/{id}/bins', {
      summary: 'Create a bin; its code is unique in the warehouse (409 naming code); without pickSequence it goes last',
      request: { params: IdParam, body: jsonBody(BinInputSchema) },
      responses: { 201: json(BinSchema, 'The bin created'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => createBin(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 201),
  );
  api.openapi(
    route('get', '/bins/{id}', { summary: 'One bin', request: { params: IdParam }, responses: { 200: json(BinSchema, 'The bin'), ...errors } }),
    async (c) => c.json(await getBin(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );
  api.openapi(
    route('patch', '/bins/{id}', {
      summary: 'Edit a bin (code, zone, pick sequence, active); deactivating a bin that holds stock is refused (409 naming it)',
      request: { params: IdParam, body: jsonBody(BinPatchSchema) },
      responses: { 200: json(BinSchema, 'The bin'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => updateBin(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  api.openapi(
    route('post', '/bins/{id}/deactivate', {
      summary: 'Deactivate a bin: it takes no more goods; refused while it holds stock (409 naming the bin and what it holds)',
      request: { params: IdParam },
      responses: { 200: json(BinSchema, 'The bin'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => updateBin(tx, tenantOf(c), c.req.valid('param').id, { active: false })), 200),
  );

  return api;
}
