import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CourierCodeSchema, ShipmentStatusSchema } from '../../contracts/courier.ts';
import { cancelAwb, generateAwb, quotePackingList, resolveUnconfirmedShipment } from '../../flows/generate-awb.ts';
import { getShipmentLabel, renderManifest, runLabelBatch } from '../../flows/shipping-documents.ts';
import { recordCodSettlement, refreshShipment } from '../../flows/track-shipments.ts';
import { DomainError } from '../../shared/domain-error.ts';
import type { Deps } from '../../shared/deps.ts';
import { type CourierAccount, type CourierAccountSummary, listCourierAccounts, loadCourierAccount, saveCourierAccount } from '../../shipping/courier-accounts.ts';
import { deactivateCourierAccount } from '../../shipping/courier-clients.ts';
import { createLabelBatch, getLabelBatch, labelBatchPdf } from '../../shipping/label-batches.ts';
import { getShipment, listShipments, shipmentStatusLog } from '../../shipping/shipments.ts';
import { awbsInTransit, courierAuditLog, outstandingCod } from '../../shipping/shipping-reports.ts';
import type { Env } from '../env.ts';
import { validationResponse } from '../errors.ts';

/* Shipping under /api/v1 (mounted by routes/api.ts, bearer auth applies): AWBs, labels, manifests, quotes, tracking, COD, courier accounts, reports. */

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ path: z.string(), reason: z.string() })) }) });
const errors = {
  400: { description: 'Bad input, naming the field and the reason', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing or invalid bearer credentials', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found in this tenant', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'Not allowed in the current state', content: { 'application/json': { schema: ErrorSchema } } },
  502: { description: 'The courier failed or did not answer', content: { 'application/json': { schema: ErrorSchema } } },
} as const;
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const pdf = (description: string) => ({ description, content: { 'application/pdf': { schema: z.string() } } });
const Id = z.string().regex(/^\d{1,18}$/, 'must be a numeric id');
const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: '42' }) });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const Obj = z.object({}).passthrough();
const Courier = CourierCodeSchema;
const LabelFormat = z.enum(['A4', 'A6']);
const security = [{ bearer: [] }];

const ShipmentSchema = z
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
  .openapi('Shipment');

const AccountInput = z.object({
  courier: Courier,
  name: z.string().min(1).max(100),
  channelId: Id.nullable().optional(),
  warehouseId: Id.nullable().optional(),
  credentials: z.record(z.string(), z.string().max(500)).optional(),
  baseUrl: z.string().url().max(300).nullable().optional(),
  defaultService: z.string().max(50).nullable().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  active: z.boolean().optional(),
});

/** Credentials never leave the server: only which keys are set. */
const publicAccount = (a: CourierAccount | CourierAccountSummary) => {
  const { credentials, ...rest } = a as CourierAccount;
  return 'credentialKeys' in a ? a : { ...rest, credentialKeys: Object.keys(credentials ?? {}).sort() };
};

export function shippingApi(deps: Deps) {
  const api = new OpenAPIHono<Env>({ defaultHook: (r, c) => (r.success ? undefined : validationResponse(c, r.error, r.target)) });
  const tenant = (c: { get(k: 'principal'): { tenantId: string } }) => c.get('principal').tenantId;

  api.openapi(
    createRoute({
      method: 'post',
      path: '/packing-lists/{id}/awb',
      summary: 'Generate the AWB of a packing list (idempotent: returns the existing live AWB)',
      security,
      request: {
        params: IdParam,
        body: { required: false, content: { 'application/json': { schema: z.object({ courier: Courier.optional(), service: z.string().min(1).max(50).optional(), courierAccountId: Id.optional(), labelFormat: LabelFormat.optional() }) } } },
      },
      responses: { 200: json(ShipmentSchema, 'The AWB this packing list already has'), 201: json(ShipmentSchema, 'The AWB created'), ...errors },
    }),
    async (c) => {
      const body = ((c.req.valid('json' as never) as unknown) ?? {}) as Parameters<typeof generateAwb>[3];
      const r = await generateAwb(deps, tenant(c), c.req.valid('param').id, body);
      return c.json(r.shipment as never, r.created ? 201 : 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/packing-lists/{id}/quotes',
      summary: 'Quote the configured couriers for a packing list; cheapest and fastest first',
      security,
      request: { params: IdParam },
      responses: { 200: json(z.object({ cheapest: z.array(Obj), fastest: z.array(Obj), failures: z.array(Obj), pick: Obj }), 'Quotes'), ...errors },
    }),
    async (c) => c.json((await quotePackingList(deps, tenant(c), c.req.valid('param').id)) as never, 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/shipments',
      summary: 'Shipments, newest first',
      security,
      request: {
        query: z.object({
          status: ShipmentStatusSchema.optional(),
          courier: Courier.optional(),
          orderId: Id.optional(),
          packingListId: Id.optional(),
          attention: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: { 200: json(z.object({ shipments: z.array(ShipmentSchema) }), 'Shipments'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const shipments = await listShipments(deps.sql, tenant(c), { ...q, attention: q.attention === 'true' } as never);
      return c.json({ shipments } as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/shipments/{id}', summary: 'One shipment with its status log (raw courier payloads)', security, request: { params: IdParam }, responses: { 200: json(ShipmentSchema, 'The shipment'), ...errors } }),
    async (c) => {
      const id = c.req.valid('param').id;
      const s = await getShipment(deps.sql, tenant(c), id);
      return c.json({ ...s, statusLog: await shipmentStatusLog(deps.sql, tenant(c), id) } as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/shipments/{id}/cancel', summary: 'Cancel the AWB at the courier (where it allows); the packing list is ready for a new AWB', security, request: { params: IdParam }, responses: { 200: json(ShipmentSchema, 'Cancelled'), ...errors } }),
    async (c) => c.json((await cancelAwb(deps, tenant(c), c.req.valid('param').id)) as never, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/shipments/{id}/resolve',
      summary: 'Resolve an AWB attempt the courier never confirmed: attach the AWB found in its portal, or discard the attempt (no awb)',
      security,
      request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ awb: z.string().min(1).max(64).nullable().optional(), courierId: z.number().int().positive().nullable().optional() }) } } } },
      responses: { 200: json(z.object({ shipment: ShipmentSchema.nullable() }), 'The shipment, or null when discarded'), ...errors },
    }),
    async (c) => {
      const body = ((c.req.valid('json' as never) as unknown) ?? {}) as { awb?: string | null; courierId?: number | null };
      return c.json({ shipment: await resolveUnconfirmedShipment(deps, tenant(c), c.req.valid('param').id, body) } as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/shipments/{id}/refresh', summary: 'Ask the courier for the tracking now', security, request: { params: IdParam }, responses: { 200: json(ShipmentSchema, 'The shipment'), ...errors } }),
    async (c) => c.json((await refreshShipment(deps, tenant(c), c.req.valid('param').id)) as never, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/shipments/{id}/cod-settlement',
      summary: "Record the courier's COD settlement (its statement) for a shipment; the order becomes paid",
      security,
      request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: z.object({ reference: z.string().max(100).nullable().optional(), settledAt: z.string().datetime({ offset: true }).nullable().optional() }) } } } },
      responses: { 200: json(ShipmentSchema, 'The shipment'), ...errors },
    }),
    async (c) => {
      const body = ((c.req.valid('json' as never) as unknown) ?? {}) as { reference?: string | null; settledAt?: string | null };
      return c.json((await recordCodSettlement(deps, tenant(c), c.req.valid('param').id, body)) as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/shipments/{id}/label', summary: "The shipment's label as PDF: A6 (thermal, 100×150) or A4", security, request: { params: IdParam, query: z.object({ format: LabelFormat.optional() }) }, responses: { 200: pdf('Label PDF'), ...errors } }),
    async (c) => {
      const id = c.req.valid('param').id;
      const label = await getShipmentLabel(deps, tenant(c), id, c.req.valid('query').format);
      return c.body(label.bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="AWB-${id}-${label.format}.pdf"`, 'x-label-source': label.source });
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/label-batches',
      summary: 'Print many labels as one PDF: creates a batch; poll GET /label-batches/{id} for progress',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: z.object({ shipmentIds: z.array(Id).min(1).max(1000), format: LabelFormat.default('A6') }) } } } },
      responses: { 202: json(Obj, 'The batch, started'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const batch = await createLabelBatch(deps.sql, tenant(c), b.shipmentIds, b.format);
      // Runs in this process; the batch row carries progress and the result for whoever polls.
      void runLabelBatch(deps, tenant(c), batch.id).catch((e) => console.error('label batch failed', e));
      return c.json(batch as never, 202);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/label-batches/{id}', summary: 'Progress of a label batch (done of total); pdfUrl once done', security, request: { params: IdParam }, responses: { 200: json(Obj, 'The batch'), ...errors } }),
    async (c) => {
      const b = await getLabelBatch(deps.sql, tenant(c), c.req.valid('param').id);
      return c.json({ ...b, pdfUrl: b.status === 'done' ? `/api/v1/label-batches/${b.id}/pdf` : null } as never, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/label-batches/{id}/pdf', summary: 'The merged labels of a finished batch', security, request: { params: IdParam }, responses: { 200: pdf('Merged labels'), ...errors } }),
    async (c) => {
      const id = c.req.valid('param').id;
      const b = await getLabelBatch(deps.sql, tenant(c), id);
      const bytes = b.status === 'done' ? await labelBatchPdf(deps.sql, tenant(c), id) : null;
      if (!bytes) throw new DomainError('INVALID_STATE', `Label batch ${id} is ${b.status} (${b.done} of ${b.total}); the PDF is there once it is done.`, [{ path: 'status', reason: b.status }]);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="labels-${id}.pdf"` });
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/shipping/manifest',
      summary: 'Hand-over manifest PDF for one courier × warehouse × day',
      security,
      request: { query: z.object({ courier: Courier, warehouseId: Id, day: Day }) },
      responses: { 200: pdf('Manifest PDF'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await renderManifest(deps, tenant(c), q as never);
      return c.body(r.pdf as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="manifest-${q.courier}-${q.day}.pdf"`, 'x-awb-count': String(r.count) });
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/reports/awbs-in-transit',
      summary: 'AWBs on the road, live: age, last event, what needs attention (failed attempts, returns, unknown codes)',
      security,
      request: { query: z.object({ courier: Courier.optional(), attention: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(2000).default(500) }) },
      responses: { 200: json(z.object({ rows: z.array(Obj), byStatus: Obj }), 'In transit'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json((await awbsInTransit(deps.sql, tenant(c), { courier: q.courier as never, attentionOnly: q.attention === 'true', limit: q.limit })) as never, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/reports/courier-audit-log',
      summary: 'Every courier API call (request, response, latency, outcome; secrets redacted), newest first',
      security,
      request: { query: z.object({ courier: Courier.optional(), outcome: z.enum(['ok', 'http_error', 'timeout', 'network_error']).optional(), operation: z.string().max(50).optional(), before: Id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: json(z.object({ entries: z.array(Obj), nextBefore: z.string().nullable() }), 'Audit log'), ...errors },
    }),
    async (c) => c.json((await courierAuditLog(deps.sql, tenant(c), c.req.valid('query'))) as never, 200),
  );

  api.openapi(
    createRoute({ method: 'get', path: '/reports/outstanding-cod', summary: 'Cash on delivery the couriers still owe, per courier (pending and collected-not-settled)', security, responses: { 200: json(z.object({ couriers: z.array(Obj), shipments: z.array(Obj) }), 'Outstanding COD'), ...errors } }),
    async (c) => c.json((await outstandingCod(deps.sql, tenant(c))) as never, 200),
  );

  api.openapi(
    createRoute({ method: 'get', path: '/courier-accounts', summary: 'Courier accounts (credentials never shown, only which are set)', security, responses: { 200: json(z.object({ accounts: z.array(Obj) }), 'Accounts'), ...errors } }),
    async (c) => c.json({ accounts: await listCourierAccounts(deps.sql, deps.box, tenant(c)) } as never, 200),
  );

  api.openapi(
    createRoute({ method: 'get', path: '/courier-accounts/{id}', summary: 'One courier account (credentials never shown)', security, request: { params: IdParam }, responses: { 200: json(Obj, 'Account'), ...errors } }),
    async (c) => c.json(publicAccount(await loadCourierAccount(deps.sql, deps.box, tenant(c), c.req.valid('param').id)) as never, 200),
  );

  api.openapi(
    createRoute({ method: 'post', path: '/courier-accounts', summary: 'Add a courier account; credentials are sealed at rest', security, request: { body: { required: true, content: { 'application/json': { schema: AccountInput } } } }, responses: { 201: json(Obj, 'Created'), ...errors } }),
    async (c) => c.json(publicAccount(await saveCourierAccount(deps.sql, deps.box, tenant(c), c.req.valid('json') as never)) as never, 201),
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/courier-accounts/{id}',
      summary: 'Update a courier account; omit credentials to keep the stored ones',
      security,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: AccountInput } } } },
      responses: { 200: json(Obj, 'Updated'), ...errors },
    }),
    async (c) => c.json(publicAccount(await saveCourierAccount(deps.sql, deps.box, tenant(c), { ...c.req.valid('json'), id: c.req.valid('param').id } as never)) as never, 200),
  );

  api.openapi(
    createRoute({ method: 'delete', path: '/courier-accounts/{id}', summary: 'Deactivate a courier account (kept: its shipments still refer to it)', security, request: { params: IdParam }, responses: { 204: { description: 'Deactivated' }, ...errors } }),
    async (c) => {
      const a = await loadCourierAccount(deps.sql, deps.box, tenant(c), c.req.valid('param').id);
      await deactivateCourierAccount(deps.sql, a.tenantId, a.id);
      return c.body(null, 204);
    },
  );

  return api;
}
