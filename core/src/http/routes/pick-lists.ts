import { z } from '@hono/zod-openapi';
import { PICK_LIST_STATUSES, PickListSchema } from '../../contracts/warehouse.ts';
import type { Deps } from '../../shared/deps.ts';
import { assignPicker, completePickList, confirmPickLine, createPickList, getPickList, listPickLists, recordShortPick, startPickList } from '../../warehouse/index.ts';
import { assertOwnChannelIds } from '../channel-scope.ts';
import { createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

/** Pick lists: one order or a wave, picked by scan or tick, shorts decided, completed. */
export function pickListsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/pick-lists', {
      request: { query: z.object({ status: z.enum(PICK_LIST_STATUSES).optional(), pickerUserId: Id.optional() }) },
      responses: { 200: json(z.object({ pickLists: z.array(z.object({ id: z.string() }).passthrough()) }), 'Pick lists, newest first'), ...errors },
    }),
    async (c) => {
      const own = c.get('principal').channelId;
      return c.json({ pickLists: await listPickLists(deps.sql, tenantOf(c), { ...c.req.valid('query'), ...(own ? { channelId: own } : {}) }) }, 200);
    },
  );

  api.openapi(
    route('post', '/pick-lists', {
      summary: 'One pick list for one order or a wave: lines by bin in pick sequence, the same product merged',
      request: { body: jsonBody(z.object({ orderIds: z.array(Id).min(1).max(5000), pickerUserId: Id.nullable().optional() })) },
      responses: { 201: json(PickListSchema, 'The pick list'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await assertOwnChannelIds(deps, c.get('principal'), 'orders', b.orderIds, 'orderIds');
      return c.json(await inTx(deps, (tx) => createPickList(tx, tenantOf(c), { orderIds: b.orderIds, pickerUserId: b.pickerUserId ?? null })), 201);
    },
  );

  api.openapi(
    route('get', '/pick-lists/{id}', { request: { params: IdParam }, responses: { 200: json(PickListSchema, 'One pick list with its lines and their split per order'), ...errors } }),
    async (c) => c.json(await getPickList(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/pick-lists/{id}/assign', {
      summary: 'Assign the picker (null unassigns)',
      request: { params: IdParam, body: jsonBody(z.object({ userId: Id.nullable() })) },
      responses: { 200: json(PickListSchema, 'The pick list'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => assignPicker(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json').userId)), 200),
  );

  api.openapi(
    route('post', '/pick-lists/{id}/start', { request: { params: IdParam }, responses: { 200: json(PickListSchema, 'The pick list, picking'), ...errors } }),
    async (c) => c.json(await inTx(deps, (tx) => startPickList(tx, tenantOf(c), c.req.valid('param').id)), 200),
  );

  api.openapi(
    route('post', '/pick-lists/{id}/confirm', {
      summary: 'Confirm picked units by scan (barcode, optionally the bin first) or manual tick (lineNo). Wrong item, wrong bin and over-pick are refused (400).',
      request: {
        params: IdParam,
        body: jsonBody(
          z.object({
            method: z.enum(['scan', 'tick']),
            barcode: z.string().min(1).max(64).optional(),
            binCode: z.string().min(1).max(64).optional(),
            lineNo: z.number().int().min(1).optional(),
            quantity: z.number().int().min(1).max(100000).optional(),
          }),
        ),
      },
      responses: { 200: json(z.object({ pickList: PickListSchema, line: z.object({ lineNo: z.number() }).passthrough() }), 'The confirmed line and the pick list'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => confirmPickLine(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  api.openapi(
    route('post', '/pick-lists/{id}/short', {
      summary: 'Record units not found; decision for the orders hit: partial delivery or hold',
      request: {
        params: IdParam,
        body: jsonBody(z.object({ lineNo: z.number().int().min(1), quantity: z.number().int().min(1).optional(), decision: z.enum(['partial', 'hold']) })),
      },
      responses: { 200: json(PickListSchema, 'The pick list'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => recordShortPick(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  api.openapi(
    route('post', '/pick-lists/{id}/complete', {
      summary: 'Complete: orders → picked (or on hold), their delivery notes approved (stock issued)',
      request: { params: IdParam },
      responses: { 200: json(PickListSchema, 'The picked pick list'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => completePickList(tx, tenantOf(c), c.req.valid('param').id)), 200),
  );

  return api;
}
