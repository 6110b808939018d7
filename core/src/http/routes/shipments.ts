import { z } from '@hono/zod-openapi';
import { CourierCodeSchema, LabelFormatSchema, ShipmentStatusSchema } from '../../contracts/courier.ts';
import { ShipmentSchema } from '../../contracts/shipment.ts';
import { cancelAwb, generateAwb, quotePackingList, resolveUnconfirmedShipment, getShipmentLabel, recordCodSettlement, refreshShipment } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { getShipmentWithStatusLog, listShipments } from '../../shipping/index.ts';
import { createApiRouter, Id, IdParam, json, jsonBody, Obj, pdf, pdfResponse, route, tenantOf, upstreamErrors } from '../openapi.ts';

/** Shipments: the AWB of a packing list (and its quotes), tracking, cancellation, COD settlement, the label. */
export function shipmentsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('post', '/packing-lists/{id}/awb', {
      summary: 'Generate the AWB of a packing list (idempotent: returns the existing live AWB)',
      request: {
        params: IdParam,
        body: jsonBody(z.object({ courier: CourierCodeSchema.optional(), service: z.string().min(1).max(50).optional(), courierAccountId: Id.optional(), labelFormat: LabelFormatSchema.optional() }), false),
      },
      responses: { 200: json(ShipmentSchema, 'The AWB this packing list already has'), 201: json(ShipmentSchema, 'The AWB created'), ...upstreamErrors },
    }),
    async (c) => {
      const r = await generateAwb(deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json') ?? {});
      return r.created ? c.json(r.shipment, 201) : c.json(r.shipment, 200);
    },
  );

  api.openapi(
    route('get', '/packing-lists/{id}/quotes', {
      summary: 'Quote the configured couriers for a packing list; cheapest and fastest first',
      request: { params: IdParam },
      responses: { 200: json(z.object({ cheapest: z.array(Obj), fastest: z.array(Obj), failures: z.array(Obj), pick: Obj }), 'Quotes'), ...upstreamErrors },
    }),
    async (c) => c.json(await quotePackingList(deps, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('get', '/shipments', {
      summary: 'Shipments, newest first',
      request: {
        query: z.object({
          status: ShipmentStatusSchema.optional(),
          courier: CourierCodeSchema.optional(),
          orderId: Id.optional(),
          packingListId: Id.optional(),
          attention: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: { 200: json(z.object({ shipments: z.array(ShipmentSchema) }), 'Shipments'), ...upstreamErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const own = c.get('principal').channelId;
      return c.json({ shipments: await listShipments(deps.sql, tenantOf(c), { ...q, attention: q.attention === 'true', ...(own ? { channelId: own } : {}) }) }, 200);
    },
  );

  api.openapi(
    route('get', '/shipments/{id}', {
      summary: 'One shipment with its status log (raw courier payloads)',
      request: { params: IdParam },
      responses: { 200: json(ShipmentSchema, 'The shipment'), ...upstreamErrors },
    }),
    async (c) => c.json(await getShipmentWithStatusLog(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/shipments/{id}/cancel', {
      summary: 'Cancel the AWB at the courier (where it allows); the packing list is ready for a new AWB',
      request: { params: IdParam },
      responses: { 200: json(ShipmentSchema, 'Cancelled'), ...upstreamErrors },
    }),
    async (c) => c.json(await cancelAwb(deps, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/shipments/{id}/resolve', {
      summary: 'Resolve an AWB attempt the courier never confirmed: attach the AWB found in its portal, or discard the attempt (no awb)',
      request: { params: IdParam, body: jsonBody(z.object({ awb: z.string().min(1).max(64).nullable().optional(), courierId: z.number().int().positive().nullable().optional() }), false) },
      responses: { 200: json(z.object({ shipment: ShipmentSchema.nullable() }), 'The shipment, or null when discarded'), ...upstreamErrors },
    }),
    async (c) => c.json({ shipment: await resolveUnconfirmedShipment(deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json') ?? {}) }, 200),
  );

  api.openapi(
    route('post', '/shipments/{id}/refresh', {
      summary: 'Ask the courier for the tracking now',
      request: { params: IdParam },
      responses: { 200: json(ShipmentSchema, 'The shipment'), ...upstreamErrors },
    }),
    async (c) => c.json(await refreshShipment(deps, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/shipments/{id}/cod-settlement', {
      summary: "Record the courier's COD settlement (its statement) for a shipment; the order becomes paid",
      request: { params: IdParam, body: jsonBody(z.object({ reference: z.string().max(100).nullable().optional(), settledAt: z.string().datetime({ offset: true }).nullable().optional() }), false) },
      responses: { 200: json(ShipmentSchema, 'The shipment'), ...upstreamErrors },
    }),
    async (c) => c.json(await recordCodSettlement(deps, tenantOf(c), c.req.valid('param').id, c.req.valid('json') ?? {}), 200),
  );

  api.openapi(
    route('get', '/shipments/{id}/label', {
      summary: "The shipment's label as PDF: A6 (thermal, 100×150) or A4",
      request: { params: IdParam, query: z.object({ format: LabelFormatSchema.optional() }) },
      responses: { 200: pdf('Label PDF'), ...upstreamErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const label = await getShipmentLabel(deps, tenantOf(c), id, c.req.valid('query').format);
      return pdfResponse(c, label.bytes, { 'content-disposition': `inline; filename="AWB-${id}-${label.format}.pdf"`, 'x-label-source': label.source });
    },
  );

  return api;
}
