import { z } from '@hono/zod-openapi';
import { CourierCodeSchema } from '../../contracts/courier.ts';
import { DeliveryNoteSchema, STOCK_MOVEMENT_KINDS } from '../../contracts/warehouse.ts';
import { blockedDeliveryNotes, stockMovementHistory } from '../../reports/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { awbsInTransit, courierAuditLog, outstandingCod } from '../../shipping/index.ts';
import { createApiRouter, errors, Id, json, Obj, route, tenantOf, upstreamErrors } from '../openapi.ts';

/** Read-only reports under /reports: stock movements, blocked delivery notes, AWBs on the road, courier calls, COD owed. */
export function reportsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/reports/stock-movements', {
      summary: 'Stock movement history, newest first (keyset pagination)',
      request: {
        query: z.object({
          productId: Id.optional(),
          warehouseId: Id.optional(),
          causeType: z.string().min(1).max(40).optional(),
          causeId: z.string().min(1).max(40).optional(),
          kind: z.enum(STOCK_MOVEMENT_KINDS).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().max(500).optional(),
        }),
      },
      responses: { 200: json(z.object({ movements: z.array(z.object({ id: z.string() }).passthrough()), nextCursor: z.string().nullable() }), 'A page of movements'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await stockMovementHistory(deps.sql, tenantOf(c), {
        limit: q.limit,
        ...(q.productId ? { productId: q.productId } : {}),
        ...(q.warehouseId ? { warehouseId: q.warehouseId } : {}),
        ...(q.causeType ? { causeType: q.causeType } : {}),
        ...(q.causeId ? { causeId: q.causeId } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.from ? { from: new Date(q.from) } : {}),
        ...(q.to ? { to: new Date(q.to) } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      return c.json(page, 200);
    },
  );

  api.openapi(
    route('get', '/reports/blocked-delivery-notes', {
      summary: 'Delivery notes blocked by stock, oldest first, with the missing quantities per SKU',
      responses: { 200: json(z.object({ deliveryNotes: z.array(DeliveryNoteSchema), missingBySku: z.array(z.object({ sku: z.string(), missing: z.number() })) }), 'Blocked delivery notes'), ...errors },
    }),
    async (c) => c.json(await blockedDeliveryNotes(deps.sql, tenantOf(c)), 200),
  );

  api.openapi(
    route('get', '/reports/awbs-in-transit', {
      summary: 'AWBs on the road, live: age, last event, what needs attention (failed attempts, returns, unknown codes)',
      request: { query: z.object({ courier: CourierCodeSchema.optional(), attention: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(2000).default(100) }) },
      responses: { 200: json(z.object({ rows: z.array(Obj), byStatus: Obj }), 'In transit'), ...upstreamErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await awbsInTransit(deps.sql, tenantOf(c), { ...(q.courier ? { courier: q.courier } : {}), attentionOnly: q.attention === 'true', limit: q.limit }), 200);
    },
  );

  api.openapi(
    route('get', '/reports/courier-audit-log', {
      summary: 'Every courier API call (request, response, latency, outcome; secrets redacted), newest first',
      request: {
        query: z.object({
          courier: CourierCodeSchema.optional(),
          outcome: z.enum(['ok', 'http_error', 'timeout', 'network_error']).optional(),
          operation: z.string().max(50).optional(),
          before: Id.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: { 200: json(z.object({ entries: z.array(Obj), nextBefore: z.string().nullable() }), 'Audit log'), ...upstreamErrors },
    }),
    async (c) => c.json(await courierAuditLog(deps.sql, tenantOf(c), c.req.valid('query')), 200),
  );

  api.openapi(
    route('get', '/reports/outstanding-cod', {
      summary: 'Cash on delivery the couriers still owe, per courier (pending and collected-not-settled)',
      responses: { 200: json(z.object({ couriers: z.array(Obj), shipments: z.array(Obj) }), 'Outstanding COD'), ...upstreamErrors },
    }),
    async (c) => c.json(await outstandingCod(deps.sql, tenantOf(c)), 200),
  );

  return api;
}
