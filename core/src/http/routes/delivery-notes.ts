import { z } from '@hono/zod-openapi';
import { DELIVERY_NOTE_STATUSES, DeliveryNoteSchema } from '../../contracts/warehouse.ts';
import type { Deps } from '../../shared/deps.ts';
import { approveDeliveryNote, createDeliveryNote, getDeliveryNote, listDeliveryNotes, recheckDeliveryNotes } from '../../warehouse/index.ts';
import { createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

/** Delivery notes: created from a confirmed order, blocked while stock is missing, approved to issue the stock. */
export function deliveryNotesRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/delivery-notes', {
      summary: 'Delivery notes, newest first; ?blocked=true lists those blocked by stock',
      request: {
        query: z.object({
          blocked: z.enum(['true', 'false']).optional(),
          status: z.enum(DELIVERY_NOTE_STATUSES).optional(),
          orderId: Id.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: Id.optional(),
        }),
      },
      responses: { 200: json(z.object({ deliveryNotes: z.array(DeliveryNoteSchema), nextCursor: z.string().nullable() }), 'A page of delivery notes'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listDeliveryNotes(deps.sql, tenantOf(c), {
        limit: q.limit,
        ...(q.blocked ? { blocked: q.blocked === 'true' } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.orderId ? { orderId: q.orderId } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(c.get('principal').channelId ? { channelId: c.get('principal').channelId! } : {}),
      });
      return c.json(page, 200);
    },
  );

  api.openapi(
    route('get', '/delivery-notes/{id}', { request: { params: IdParam }, responses: { 200: json(DeliveryNoteSchema, 'One delivery note'), ...errors } }),
    async (c) => c.json(await getDeliveryNote(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/orders/{id}/delivery-notes', {
      summary: 'Create the delivery note of a confirmed order (partial: ship what is reserved now; the rest gets its own note)',
      request: { params: IdParam, body: jsonBody(z.object({ partial: z.boolean().default(false) }), false) },
      responses: { 201: json(z.object({ deliveryNotes: z.array(DeliveryNoteSchema) }), 'The delivery note(s) created'), ...errors },
    }),
    async (c) => {
      const partial = c.req.valid('json')?.partial === true;
      return c.json(await inTx(deps, (tx) => createDeliveryNote(tx, tenantOf(c), c.req.valid('param').id, { partial })), 201);
    },
  );

  api.openapi(
    route('post', '/delivery-notes/{id}/approve', {
      summary: 'Approve: issue the stock (movements cite the delivery note). Refused while blocked.',
      request: { params: IdParam },
      responses: { 200: json(DeliveryNoteSchema, 'The approved delivery note'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => approveDeliveryNote(tx, tenantOf(c), c.req.valid('param').id)), 200),
  );

  api.openapi(
    route('post', '/delivery-notes/recheck', {
      summary: 'After a restock: reserve what blocked delivery notes miss and unblock those now covered',
      request: { body: jsonBody(z.object({ deliveryNoteId: Id.optional(), orderId: Id.optional() }), false) },
      responses: { 200: json(z.object({ deliveryNotes: z.array(DeliveryNoteSchema) }), 'The delivery notes rechecked'), ...errors },
    }),
    async (c) => {
      const scope = c.req.valid('json') ?? {};
      return c.json({ deliveryNotes: await inTx(deps, (tx) => recheckDeliveryNotes(tx, tenantOf(c), scope)) }, 200);
    },
  );

  return api;
}
