import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Tx } from '../../db/connect.ts';
import { blockedDeliveryNotes, stockMovementHistory } from '../../reports/index.ts';
import type { Deps } from '../../shared/deps.ts';
import {
  approveDeliveryNote,
  assertReadyForAwb,
  assignPicker,
  completePickList,
  confirmPickLine,
  createDeliveryNote,
  createPackingList,
  createPickList,
  getDeliveryNote,
  getPackingList,
  getPickList,
  listDeliveryNotes,
  listPackingLists,
  listPickLists,
  lookupStockByBarcode,
  recheckDeliveryNotes,
  recordShortPick,
  renderPackingSlip,
  startPickList,
  updatePackingList,
} from '../../warehouse/index.ts';
import type { Env } from '../env.ts';
import { validationResponse } from '../errors.ts';

/*
 * The warehouse under /api/v1: thin handlers, one domain call each, state changes in one
 * transaction. Mounted by routes/api.ts, so the bearer authentication there applies.
 */

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ path: z.string(), reason: z.string() })) }) });
const errors = {
  400: { description: 'Bad input, naming the field and the reason (also: wrong item, over-pick)', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing or invalid bearer credentials', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found in this tenant', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'Not allowed in the current status, or blocked by stock', content: { 'application/json': { schema: ErrorSchema } } },
} as const;
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <T extends z.ZodType>(schema: T, required = true) => ({ required, content: { 'application/json': { schema } } });

const Id = z.string().regex(/^\d{1,18}$/, 'must be a numeric id');
const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: '42' }) });
const security = [{ bearer: [] }];

const DeliveryNote = z
  .object({
    id: z.string(),
    orderId: z.string(),
    type: z.enum(['total', 'partial']),
    status: z.enum(['ready_for_packing', 'packed']),
    blocked: z.boolean(),
    blockedDetails: z.array(z.object({ lineNo: z.number(), sku: z.string().nullable(), needed: z.number(), available: z.number(), missing: z.number() }).passthrough()).nullable(),
    approved: z.boolean(),
    lines: z.array(z.object({ lineNo: z.number(), orderLineNo: z.number(), sku: z.string().nullable(), quantity: z.number() }).passthrough()),
  })
  .passthrough()
  .openapi('DeliveryNote');
const PickList = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'picking', 'picked']),
    pickerUserId: z.string().nullable(),
    tickUsed: z.boolean(),
    orders: z.array(z.object({ orderId: z.string(), deliveryNoteId: z.string() }).passthrough()),
    lines: z.array(
      z
        .object({ lineNo: z.number(), binCode: z.string(), sku: z.string().nullable(), barcode: z.string().nullable(), quantity: z.number(), picked: z.number(), short: z.number(), remaining: z.number() })
        .passthrough(),
    ),
  })
  .passthrough()
  .openapi('PickList');
const Measure = z.union([z.number().positive().max(99999), z.string().regex(/^\d{1,5}(\.\d{1,3})?$/, 'must be a decimal number')]).nullable().optional();
const ParcelInput = z.object({ weightKg: Measure, lengthCm: Measure, widthCm: Measure, heightCm: Measure }).openapi('ParcelInput');
const PackingList = z
  .object({
    id: z.string(),
    deliveryNoteId: z.string(),
    orderId: z.string(),
    type: z.enum(['total', 'partial']),
    status: z.enum(['ready_to_deliver', 'in_transit', 'delivered']),
    courier: z.string().nullable(),
    service: z.string().nullable(),
    deliveryAddress: z.record(z.string(), z.unknown()).nullable(),
    parcels: z.array(z.object({ parcelNo: z.number(), weightKg: z.number().nullable(), lengthCm: z.number().nullable(), widthCm: z.number().nullable(), heightCm: z.number().nullable() })),
    missingForAwb: z.array(z.string()),
  })
  .passthrough()
  .openapi('PackingList');

export function warehouseApi(deps: Deps) {
  const api = new OpenAPIHono<Env>({ defaultHook: (r, c) => (r.success ? undefined : validationResponse(c, r.error, r.target)) });
  const inTx = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => deps.sql.begin((tx) => fn(tx)) as Promise<T>;
  const tenant = (c: { get(k: 'principal'): { tenantId: string } }) => c.get('principal').tenantId;

  // ---- delivery notes
  api.openapi(
    createRoute({
      method: 'get',
      path: '/delivery-notes',
      summary: 'Delivery notes, newest first; ?blocked=true lists those blocked by stock',
      security,
      request: {
        query: z.object({
          blocked: z.enum(['true', 'false']).optional(),
          status: z.enum(['ready_for_packing', 'packed']).optional(),
          orderId: Id.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: Id.optional(),
        }),
      },
      responses: { 200: json(z.object({ deliveryNotes: z.array(DeliveryNote), nextCursor: z.string().nullable() }), 'A page of delivery notes'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listDeliveryNotes(deps.sql, tenant(c), {
        limit: q.limit,
        ...(q.blocked ? { blocked: q.blocked === 'true' } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.orderId ? { orderId: q.orderId } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      return c.json(page as never, 200);
    },
  );
  api.openapi(
    createRoute({ method: 'get', path: '/delivery-notes/{id}', security, request: { params: IdParam }, responses: { 200: json(DeliveryNote, 'One delivery note'), ...errors } }),
    async (c) => c.json((await getDeliveryNote(deps.sql, tenant(c), c.req.valid('param').id)) as never, 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{id}/delivery-notes',
      summary: 'Create the delivery note of a confirmed order (partial: ship what is reserved now; the rest gets its own note)',
      security,
      request: { params: IdParam, body: body(z.object({ partial: z.boolean().default(false) }), false) },
      responses: { 201: json(z.object({ deliveryNotes: z.array(DeliveryNote) }), 'The delivery note(s) created'), ...errors },
    }),
    async (c) => {
      const b = (c.req.valid('json') ?? {}) as { partial?: boolean };
      const r = await inTx((tx) => createDeliveryNote(tx, tenant(c), c.req.valid('param').id, { partial: b.partial === true }));
      return c.json(r as never, 201);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/delivery-notes/{id}/approve',
      summary: 'Approve: issue the stock (movements cite the delivery note). Refused while blocked.',
      security,
      request: { params: IdParam },
      responses: { 200: json(DeliveryNote, 'The approved delivery note'), ...errors },
    }),
    async (c) => c.json((await inTx((tx) => approveDeliveryNote(tx, tenant(c), c.req.valid('param').id))) as never, 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/delivery-notes/recheck',
      summary: 'After a restock: reserve what blocked delivery notes miss and unblock those now covered',
      security,
      request: { body: body(z.object({ deliveryNoteId: Id.optional(), orderId: Id.optional() }), false) },
      responses: { 200: json(z.object({ deliveryNotes: z.array(DeliveryNote) }), 'The delivery notes rechecked'), ...errors },
    }),
    async (c) => {
      const b = (c.req.valid('json') ?? {}) as { deliveryNoteId?: string; orderId?: string };
      const deliveryNotes = await inTx((tx) => recheckDeliveryNotes(tx, tenant(c), b));
      return c.json({ deliveryNotes } as never, 200);
    },
  );

  // ---- pick lists
  api.openapi(
    createRoute({
      method: 'get',
      path: '/pick-lists',
      security,
      request: { query: z.object({ status: z.enum(['open', 'picking', 'picked']).optional(), pickerUserId: Id.optional() }) },
      responses: { 200: json(z.object({ pickLists: z.array(z.object({ id: z.string() }).passthrough()) }), 'Pick lists, newest first'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ pickLists: await listPickLists(deps.sql, tenant(c), q) } as never, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/pick-lists',
      summary: 'One pick list for one order or a wave: lines by bin in pick sequence, the same product merged',
      security,
      request: { body: body(z.object({ orderIds: z.array(Id).min(1).max(5000), pickerUserId: Id.nullable().optional() })) },
      responses: { 201: json(PickList, 'The pick list'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await inTx((tx) => createPickList(tx, tenant(c), { orderIds: b.orderIds, pickerUserId: b.pickerUserId ?? null }))) as never, 201);
    },
  );
  api.openapi(
    createRoute({ method: 'get', path: '/pick-lists/{id}', security, request: { params: IdParam }, responses: { 200: json(PickList, 'One pick list with its lines and their split per order'), ...errors } }),
    async (c) => c.json((await getPickList(deps.sql, tenant(c), c.req.valid('param').id)) as never, 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/pick-lists/{id}/assign',
      summary: 'Assign the picker (null unassigns)',
      security,
      request: { params: IdParam, body: body(z.object({ userId: Id.nullable() })) },
      responses: { 200: json(PickList, 'The pick list'), ...errors },
    }),
    async (c) => c.json((await inTx((tx) => assignPicker(tx, tenant(c), c.req.valid('param').id, c.req.valid('json').userId))) as never, 200),
  );
  api.openapi(
    createRoute({ method: 'post', path: '/pick-lists/{id}/start', security, request: { params: IdParam }, responses: { 200: json(PickList, 'The pick list, picking'), ...errors } }),
    async (c) => c.json((await inTx((tx) => startPickList(tx, tenant(c), c.req.valid('param').id))) as never, 200),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/pick-lists/{id}/confirm',
      summary: 'Confirm picked units by scan (barcode, optionally the bin first) or manual tick (lineNo). Wrong item, wrong bin and over-pick are refused (400).',
      security,
      request: {
        params: IdParam,
        body: body(
          z.object({
            method: z.enum(['scan', 'tick']),
            barcode: z.string().min(1).max(64).optional(),
            binCode: z.string().min(1).max(64).optional(),
            lineNo: z.number().int().min(1).optional(),
            quantity: z.number().int().min(1).max(100000).optional(),
          }),
        ),
      },
      responses: { 200: json(z.object({ pickList: PickList, line: z.object({ lineNo: z.number() }).passthrough() }), 'The confirmed line and the pick list'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await inTx((tx) => confirmPickLine(tx, tenant(c), c.req.valid('param').id, b))) as never, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/pick-lists/{id}/short',
      summary: 'Record units not found; decision for the orders hit: partial delivery or hold',
      security,
      request: {
        params: IdParam,
        body: body(z.object({ lineNo: z.number().int().min(1), quantity: z.number().int().min(1).optional(), decision: z.enum(['partial', 'hold']) })),
      },
      responses: { 200: json(PickList, 'The pick list'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await inTx((tx) => recordShortPick(tx, tenant(c), c.req.valid('param').id, b))) as never, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/pick-lists/{id}/complete',
      summary: 'Complete: orders → picked (or on hold), their delivery notes approved (stock issued)',
      security,
      request: { params: IdParam },
      responses: { 200: json(PickList, 'The picked pick list'), ...errors },
    }),
    async (c) => c.json((await inTx((tx) => completePickList(tx, tenant(c), c.req.valid('param').id))) as never, 200),
  );

  // ---- packing lists
  api.openapi(
    createRoute({
      method: 'post',
      path: '/delivery-notes/{id}/packing-lists',
      summary: 'Packing list from a picked delivery note; lines given = partial packing',
      security,
      request: { params: IdParam, body: body(z.object({ lines: z.array(z.object({ lineNo: z.number().int().min(1), quantity: z.number().int().min(1) })).max(1000).optional() }), false) },
      responses: { 201: json(PackingList, 'The packing list'), ...errors },
    }),
    async (c) => {
      const b = (c.req.valid('json') ?? {}) as { lines?: Array<{ lineNo: number; quantity: number }> };
      return c.json((await inTx((tx) => createPackingList(tx, tenant(c), c.req.valid('param').id, b.lines ? { lines: b.lines } : {}))) as never, 201);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/packing-lists',
      security,
      request: {
        query: z.object({
          status: z.enum(['ready_to_deliver', 'in_transit', 'delivered']).optional(),
          type: z.enum(['total', 'partial']).optional(),
          orderId: Id.optional(),
          deliveryNoteId: Id.optional(),
        }),
      },
      responses: { 200: json(z.object({ packingLists: z.array(PackingList) }), 'Packing lists, newest first'), ...errors },
    }),
    async (c) => c.json({ packingLists: await listPackingLists(deps.sql, tenant(c), c.req.valid('query')) } as never, 200),
  );
  api.openapi(
    createRoute({ method: 'get', path: '/packing-lists/{id}', security, request: { params: IdParam }, responses: { 200: json(PackingList, 'One packing list'), ...errors } }),
    async (c) => c.json((await getPackingList(deps.sql, tenant(c), c.req.valid('param').id)) as never, 200),
  );
  api.openapi(
    createRoute({
      method: 'patch',
      path: '/packing-lists/{id}',
      summary: 'Measures (parcels replace the list), courier, service, delivery address',
      security,
      request: {
        params: IdParam,
        body: body(
          z.object({
            courier: z.string().min(1).max(60).nullable().optional(),
            service: z.string().min(1).max(60).nullable().optional(),
            deliveryAddress: z.record(z.string(), z.unknown()).nullable().optional(),
            parcels: z.array(ParcelInput).min(1).max(50).optional(),
          }),
        ),
      },
      responses: { 200: json(PackingList, 'The packing list'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json((await inTx((tx) => updatePackingList(tx, tenant(c), c.req.valid('param').id, b as never))) as never, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/packing-lists/{id}/awb-check',
      summary: 'Is the packing list ready for an AWB? 400 naming each missing field (parcels[0].weightKg, courier, …)',
      security,
      request: { params: IdParam },
      responses: { 200: json(z.object({ ready: z.literal(true) }), 'Ready for an AWB'), ...errors },
    }),
    async (c) => {
      assertReadyForAwb(await getPackingList(deps.sql, tenant(c), c.req.valid('param').id));
      return c.json({ ready: true as const }, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/packing-lists/{id}/slip.pdf',
      summary: 'The packing slip (A4 PDF)',
      security,
      request: { params: IdParam },
      responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const pdf = await renderPackingSlip(deps.sql, tenant(c), id);
      return c.body(pdf as never, 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="packing-slip-${id}.pdf"` }) as never;
    },
  );

  // ---- reports and lookup
  api.openapi(
    createRoute({
      method: 'get',
      path: '/reports/stock-movements',
      summary: 'Stock movement history, newest first (keyset pagination)',
      security,
      request: {
        query: z.object({
          productId: Id.optional(),
          warehouseId: Id.optional(),
          causeType: z.string().min(1).max(40).optional(),
          causeId: z.string().min(1).max(40).optional(),
          kind: z.enum(['receipt', 'adjustment', 'reserve', 'release', 'issue', 'return', 'transfer']).optional(),
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
      const page = await stockMovementHistory(deps.sql, tenant(c), {
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
      return c.json(page as never, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/reports/blocked-delivery-notes',
      summary: 'Delivery notes blocked by stock, oldest first, with the missing quantities per SKU',
      security,
      responses: { 200: json(z.object({ deliveryNotes: z.array(DeliveryNote), missingBySku: z.array(z.object({ sku: z.string(), missing: z.number() })) }), 'Blocked delivery notes'), ...errors },
    }),
    async (c) => c.json((await blockedDeliveryNotes(deps.sql, tenant(c))) as never, 200),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/stock/lookup',
      summary: 'What a barcode is and where it lies',
      security,
      request: { query: z.object({ barcode: z.string().min(1).max(64) }) },
      responses: { 200: json(z.object({ product: z.object({ id: z.string(), sku: z.string() }).passthrough(), stock: z.array(z.object({ binCode: z.string() }).passthrough()) }).passthrough(), 'Stock per bin'), ...errors },
    }),
    async (c) => c.json((await lookupStockByBarcode(deps.sql, tenant(c), c.req.valid('query').barcode)) as never, 200),
  );

  return api;
}
