import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate.ts';
import { getChannel, listChannels, writeWebhookSecret } from '../../channels/channel-repo.ts';
import { listSyncLog } from '../../channels/sync-log.ts';
import { approveOrder, cancelOrder, confirmOrder, holdOrder, rejectOrder } from '../../flows/order-actions.ts';
import { syncChannel } from '../../flows/sync-channel.ts';
import { decodeCursor, getOrderDetail, listOrders } from '../../orders/order-repo.ts';
import { ORDER_STATUSES } from '../../orders/order-status.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { detectStalls } from '../../stalls/detect-stalls.ts';
import type { Deps } from '../../shared/deps.ts';
import type { Tx } from '../../db/connect.ts';
import type { Env } from '../app.ts';
import { errorBody, validationResponse } from '../errors.ts';
import { stallOut } from '../stall-link.ts';
import { warehouseApi } from './warehouse-api.ts';
import { invoicingApi } from './invoicing-api.ts';
import { shippingApi } from './shipping-api.ts';

const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), reason: z.string() })),
    }),
  })
  .openapi('Error');

const errors = {
  400: { description: 'Bad input, naming the field and the reason', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing or invalid bearer credentials', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found in this tenant', content: { 'application/json': { schema: ErrorSchema } } },
  409: { description: 'Not allowed in the current status', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

const Id = z.string().regex(/^\d{1,18}$/, 'must be a numeric id');
const IdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: '42' }) });

const OrderSummary = z
  .object({
    id: z.string(),
    channelId: z.string(),
    externalOrderId: z.string(),
    externalNumber: z.string().nullable(),
    status: z.enum(ORDER_STATUSES),
    statusCode: z.number().int(),
    paid: z.boolean(),
    paidStatusCode: z.number().int().nullable(),
    approvalStatus: z.enum(['pending', 'approved', 'rejected']).nullable(),
    deliveryType: z.enum(['total', 'partial']),
    paymentStatus: z.string(),
    paymentMethod: z.string().nullable(),
    holdReason: z.string().nullable(),
    total: z.string(),
    currency: z.string(),
    clientName: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('OrderSummary');

const OrderDetail = OrderSummary.extend({
  holdDetails: z.unknown(),
  platformStatus: z.string().nullable(),
  subtotal: z.string(),
  discountTotal: z.string(),
  shippingTotal: z.string(),
  taxTotal: z.string(),
  email: z.string().nullable(),
  billingAddress: z.unknown(),
  shippingAddress: z.unknown(),
  note: z.string().nullable(),
  tags: z.array(z.string()),
  client: z.unknown(),
  warehouseId: z.string().nullable(),
  lines: z.array(
    z.object({
      lineNo: z.number(),
      sku: z.string().nullable(),
      name: z.string(),
      quantity: z.number(),
      quantityReserved: z.number(),
      unreserved: z.number(),
      unitPrice: z.string(),
      total: z.string(),
    }).passthrough(),
  ),
}).openapi('OrderDetail');

const ActionResult = z
  .object({ orderId: z.string(), status: z.enum(ORDER_STATUSES) })
  .passthrough()
  .openapi('OrderActionResult');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export function apiRouter(deps: Deps) {
  const api = new OpenAPIHono<Env>({ defaultHook: (r, c) => (r.success ? undefined : validationResponse(c, r.error, r.target)) });

  api.use('*', async (c, next) => {
    c.set('principal', await authenticate(deps, c.req.header('authorization')));
    const method = c.req.method;
    const hasBody = Number(c.req.header('content-length') ?? '0') > 0 || c.req.header('transfer-encoding') !== undefined;
    if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && hasBody) {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\b/i.test(type)) {
        return c.json(errorBody('UNSUPPORTED_MEDIA_TYPE', `Send JSON with Content-Type: application/json (got ${type || 'none'}).`, [{ path: 'Content-Type', reason: 'must be application/json' }]), 415);
      }
    }
    await next();
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const security = [{ bearer: [] }];

  /** The embedded Shopify app sees only its own shop's channel. */
  const scopeChannel = (c: { get(k: 'principal'): { channelId: string | null } }, requested?: string) => {
    const own = c.get('principal').channelId;
    if (own && requested && requested !== own) throw new DomainError('FORBIDDEN', `This session may only read channel ${own}.`, [{ path: 'channelId', reason: 'other shop' }]);
    return own ?? requested;
  };

  api.openapi(
    createRoute({
      method: 'get',
      path: '/orders',
      security,
      request: {
        query: z.object({
          status: z.enum(ORDER_STATUSES).optional(),
          channelId: Id.optional(),
          externalOrderId: z.string().min(1).max(100).optional(),
          createdFrom: z.iso.datetime({ offset: true }).optional(),
          createdTo: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
        }),
      },
      responses: { 200: json(z.object({ orders: z.array(OrderSummary), nextCursor: z.string().nullable() }), 'A page of orders, newest first'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const channelId = scopeChannel(c, q.channelId);
      const page = await listOrders(deps.sql, c.get('principal').tenantId, {
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(channelId ? { channelId } : {}),
        ...(q.externalOrderId ? { externalOrderId: q.externalOrderId } : {}),
        ...(q.createdFrom ? { createdFrom: new Date(q.createdFrom) } : {}),
        ...(q.createdTo ? { createdTo: new Date(q.createdTo) } : {}),
        ...(q.cursor ? { cursor: decodeCursor(q.cursor) } : {}),
      });
      return c.json(page, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/orders/{id}', security, request: { params: IdParam }, responses: { 200: json(OrderDetail, 'One order with its lines'), ...errors } }),
    async (c) => {
      const order = await getOrderDetail(deps.sql, c.get('principal').tenantId, c.req.valid('param').id);
      scopeChannel(c, order.channelId);
      return c.json(order as never, 200);
    },
  );

  const action = (
    path: string,
    summary: string,
    body: z.ZodObject,
    run: (tenantId: string, id: string, b: Record<string, unknown>) => Promise<{ orderId: string; status: string }>,
  ) =>
    api.openapi(
      createRoute({
        method: 'post',
        path,
        summary,
        security,
        request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: body } } } },
        responses: { 200: json(ActionResult, 'The order after the action'), ...errors },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const tenantId = c.get('principal').tenantId;
        if (c.get('principal').channelId) {
          const [o] = await deps.sql`select channel_id::text from orders where tenant_id = ${tenantId} and id = ${id}`;
          if (o) scopeChannel(c, String(o.channel_id));
        }
        const b = ((c.req.valid('json' as never) as unknown) ?? {}) as Record<string, unknown>;
        return c.json((await run(tenantId, id, b)) as never, 200);
      },
    );

  // Each action runs in one transaction.
  const inTx = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => deps.sql.begin((tx) => fn(tx)) as Promise<T>;

  action('/orders/{id}/confirm', 'Validate and reserve stock; partial: reserve what is available, the rest waits as backorder', z.object({ partial: z.boolean().default(false) }), (t, id, b) =>
    inTx((tx) => confirmOrder(tx, t, id, { partial: b.partial === true })),
  );
  action('/orders/{id}/hold', 'Put the order on hold (reservations kept)', z.object({ reason: z.string().min(1).max(500).default('manual hold') }), (t, id, b) =>
    inTx((tx) => holdOrder(tx, t, id, String(b.reason ?? 'manual hold'))),
  );
  action('/orders/{id}/cancel', 'Cancel the order and release its reservations', z.object({ reason: z.string().min(1).max(500).default('cancelled by the operator') }), (t, id, b) =>
    inTx((tx) => cancelOrder(tx, t, id, String(b.reason ?? 'cancelled by the operator'))),
  );
  action('/orders/{id}/approve', 'Approve an order awaiting approval', z.object({}), (t, id) => inTx((tx) => approveOrder(tx, t, id)));
  action('/orders/{id}/reject', 'Reject an order awaiting approval (it is cancelled)', z.object({ reason: z.string().min(1).max(500).default('rejected by the operator') }), (t, id, b) =>
    inTx((tx) => rejectOrder(tx, t, id, String(b.reason ?? 'rejected by the operator'))),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/sync-log',
      security,
      request: {
        query: z.object({
          channelId: Id.optional(),
          outcome: z.enum(['ok', 'duplicate', 'stale', 'ignored', 'rejected', 'error']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: Id.optional(),
        }),
      },
      responses: { 200: json(z.object({ entries: z.array(z.object({ id: z.string() }).passthrough()) }), 'Inbound and outbound sync events, newest first'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const channelId = scopeChannel(c, q.channelId);
      const entries = await listSyncLog(deps.sql, c.get('principal').tenantId, {
        limit: q.limit,
        ...(channelId ? { channelId } : {}),
        ...(q.outcome ? { outcome: q.outcome } : {}),
        ...(q.before ? { before: q.before } : {}),
      });
      return c.json({ entries } as never, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/stalls',
      summary: 'Where the flow is stuck: what, why, the fix and a link, oldest first per kind',
      security,
      request: {
        query: z.object({
          kind: z.string().max(100).optional(),
          partialParcelHours: z.coerce.number().int().min(1).max(720).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            stalls: z.array(
              z.object({ kind: z.string(), subjectType: z.string(), subjectId: z.string(), message: z.string(), why: z.string(), fix: z.string(), link: z.string().nullable(), since: z.string().nullable() }),
            ),
          }),
          'Open stalls',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const all = await detectStalls(deps.sql, c.get('principal').tenantId, q.partialParcelHours ? { partialParcelHours: q.partialParcelHours } : {});
      const stalls = q.kind ? all.filter((s) => s.kind === q.kind || s.kind.startsWith(`${q.kind}.`)) : all;
      return c.json({ stalls: stalls.map(stallOut) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/channels',
      security,
      responses: { 200: json(z.object({ channels: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string() }).passthrough()) }), 'Channels of the tenant'), ...errors },
    }),
    async (c) => {
      const own = c.get('principal').channelId;
      const channels = (await listChannels(deps.sql, c.get('principal').tenantId)).filter((ch) => !own || ch.id === own);
      return c.json({ channels: channels.map(({ syncCursor: _s, ...ch }) => ch) } as never, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/channels/{id}/sync',
      summary: 'Pull orders changed in the store since the last sync, now',
      security,
      request: { params: IdParam },
      responses: { 200: json(z.object({ channelId: z.string() }).passthrough(), 'What the sync run did'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      scopeChannel(c, id);
      const tenantId = c.get('principal').tenantId;
      await getChannel(deps.sql, tenantId, id);
      const result = await syncChannel(deps, tenantId, id, { trigger: 'manual_sync' });
      if (result.skipped) throw new DomainError('CONFLICT', `Channel ${id} is being synced right now; try again when that run ends.`, [{ path: 'id', reason: 'sync in progress' }]);
      return c.json(result as never, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/channels/{id}/webhook-secret',
      summary: 'Register the secret the WooCommerce plugin signs its webhooks with',
      security,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ secret: z.string().min(16).max(200) }) } } } },
      responses: { 204: { description: 'Stored (encrypted)' }, ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const tenantId = c.get('principal').tenantId;
      const channel = await getChannel(deps.sql, tenantId, id);
      if (channel.kind !== 'woocommerce') {
        throw new DomainError('VALIDATION', `Channel ${id} is a ${channel.kind} channel; webhook secrets are registered for WooCommerce channels.`, [{ path: 'id', reason: 'not a WooCommerce channel' }]);
      }
      await writeWebhookSecret(deps.sql, deps.box, tenantId, id, c.req.valid('json').secret);
      return c.body(null, 204);
    },
  );

  api.route('/', warehouseApi(deps));
  api.route('/', invoicingApi(deps));
  api.route('/', shippingApi(deps));

  return api;
}
