import { z } from '@hono/zod-openapi';
import { DOCUMENT_TYPES, PACKING_LIST_STATUSES, PackingListSchema, ParcelInputSchema } from '../../contracts/warehouse.ts';
import type { Deps } from '../../shared/deps.ts';
import { assertReadyForAwb, createPackingList, getPackingList, listPackingLists, renderPackingSlip, updatePackingList } from '../../warehouse/index.ts';
import { createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, pdf, pdfResponse, route, tenantOf } from '../openapi.ts';

/** Packing lists: from a picked delivery note, measured, given a courier and an address, ready for an AWB. */
export function packingListsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('post', '/delivery-notes/{id}/packing-lists', {
      summary: 'Packing list from a picked delivery note; lines given = partial packing',
      request: { params: IdParam, body: jsonBody(z.object({ lines: z.array(z.object({ lineNo: z.number().int().min(1), quantity: z.number().int().min(1) })).max(1000).optional() }), false) },
      responses: { 201: json(PackingListSchema, 'The packing list'), ...errors },
    }),
    async (c) => {
      const lines = c.req.valid('json')?.lines;
      return c.json(await inTx(deps, (tx) => createPackingList(tx, tenantOf(c), c.req.valid('param').id, lines ? { lines } : {})), 201);
    },
  );

  api.openapi(
    route('get', '/packing-lists', {
      request: {
        query: z.object({
          status: z.enum(PACKING_LIST_STATUSES).optional(),
          type: z.enum(DOCUMENT_TYPES).optional(),
          orderId: Id.optional(),
          deliveryNoteId: Id.optional(),
        }),
      },
      responses: { 200: json(z.object({ packingLists: z.array(PackingListSchema) }), 'Packing lists, newest first'), ...errors },
    }),
    async (c) => {
      const own = c.get('principal').channelId;
      return c.json({ packingLists: await listPackingLists(deps.sql, tenantOf(c), { ...c.req.valid('query'), ...(own ? { channelId: own } : {}) }) }, 200);
    },
  );

  api.openapi(
    route('get', '/packing-lists/{id}', { request: { params: IdParam }, responses: { 200: json(PackingListSchema, 'One packing list'), ...errors } }),
    async (c) => c.json(await getPackingList(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('patch', '/packing-lists/{id}', {
      summary: 'Measures (parcels replace the list), courier, service, delivery address',
      request: {
        params: IdParam,
        body: jsonBody(
          z.object({
            courier: z.string().min(1).max(60).nullable().optional(),
            service: z.string().min(1).max(60).nullable().optional(),
            deliveryAddress: z.record(z.string(), z.unknown()).nullable().optional(),
            parcels: z.array(ParcelInputSchema).min(1).max(50).optional(),
          }),
        ),
      },
      responses: { 200: json(PackingListSchema, 'The packing list'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => updatePackingList(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  api.openapi(
    route('post', '/packing-lists/{id}/awb-check', {
      summary: 'Is the packing list ready for an AWB? 400 naming each missing field (parcels[0].weightKg, courier, …)',
      request: { params: IdParam },
      responses: { 200: json(z.object({ ready: z.literal(true) }), 'Ready for an AWB'), ...errors },
    }),
    async (c) => {
      assertReadyForAwb(await getPackingList(deps.sql, tenantOf(c), c.req.valid('param').id));
      return c.json({ ready: true as const }, 200);
    },
  );

  api.openapi(
    route('get', '/packing-lists/{id}/slip.pdf', { summary: 'The packing slip (A4 PDF)', request: { params: IdParam }, responses: { 200: pdf('PDF'), ...errors } }),
    async (c) => {
      const { id } = c.req.valid('param');
      return pdfResponse(c, await renderPackingSlip(deps.sql, tenantOf(c), id), { 'content-disposition': `inline; filename="packing-slip-${id}.pdf"` });
    },
  );

  return api;
}
