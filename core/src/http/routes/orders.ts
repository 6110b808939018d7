import { z } from '@hono/zod-openapi';
import { isShopifyGid, shopifyIdFromGid } from '../../channels/index.ts';
import { ORDER_STATUSES, OrderActionResultSchema, OrderDetailSchema, type OrderDetailDto, OrderPageSchema, OrderTimelineSchema } from '../../contracts/order.ts';
import { approveOrder, cancelOrder, confirmOrder, holdOrder, listOrderBoard, orderTimeline, rejectOrder } from '../../flows/index.ts';
import { findOrderChannelId, decodeCursor, getOrderDetail } from '../../orders/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { type ApiContext, createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, scopeChannel, tenantOf } from '../openapi.ts';

/** Orders: the list, one order, and the operator's commands (each in one transaction). */
export function ordersRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/orders', {
      request: {
        query: z.object({
          status: z.enum(ORDER_STATUSES).optional(),
          // A tab of several statuses ("to ship": packed,ready), comma-separated.
          statuses: z
            .string()
            .max(300)
            .transform((v) => v.split(',').filter(Boolean))
            .pipe(z.array(z.enum(ORDER_STATUSES)).min(1).max(ORDER_STATUSES.length))
            .optional(),
          q: z.string().trim().min(1).max(100).optional().describe("The store's order number (#1001 or 1001) or the store's order id"),
          channelId: Id.optional(),
          externalOrderId: z
            .string()
            .min(1)
            .max(100)
            .refine((v) => !v.startsWith('gid://') || isShopifyGid(v, 'Order'), 'must be the store order id (a gid must be gid://shopify/Order/<number>)')
            .optional(),
          createdFrom: z.iso.datetime({ offset: true }).optional(),
          createdTo: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
        }),
      },
      responses: { 200: json(OrderPageSchema, 'A page of orders, newest first, each with its live AWBs'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const channelId = scopeChannel(c, q.channelId);
      const page = await listOrderBoard(deps.sql, tenantOf(c), {
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.statuses ? { statuses: q.statuses } : {}),
        ...(q.q ? { search: q.q } : {}),
        ...(channelId ? { channelId } : {}),
        ...(q.externalOrderId ? { externalOrderId: q.externalOrderId.startsWith('gid://') ? shopifyIdFromGid(q.externalOrderId, 'externalOrderId', 'Order') : q.externalOrderId } : {}),
        ...(q.createdFrom ? { createdFrom: new Date(q.createdFrom) } : {}),
        ...(q.createdTo ? { createdTo: new Date(q.createdTo) } : {}),
        ...(q.cursor ? { cursor: decodeCursor(q.cursor) } : {}),
      });
      return c.json(page, 200);
    },
  );

  api.openapi(
    route('get', '/orders/{id}', { request: { params: IdParam }, responses: { 200: json(OrderDetailSchema, 'One order with its lines'), ...errors } }),
    async (c) => {
      // The repository reads untyped rows; the contract names what they hold.
      const order = (await getOrderDetail(deps.sql, tenantOf(c), c.req.valid('param').id)) as OrderDetailDto;
      scopeChannel(c, order.channelId);
      return c.json(order, 200);
    },
  );

  api.openapi(
    route('get', '/orders/{id}/timeline', {
      summary: 'What happened to the order, newest first: webhooks, statuses, documents, tracking, write-backs, e-Factura (at most 100 per source)',
      request: { params: IdParam },
      responses: { 200: json(OrderTimelineSchema, 'The timeline'), ...errors },
    }),
    async (c) => c.json(await orderTimeline(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  /** The embedded Shopify app may act only on its own shop's orders (an unknown order is the command's 404). */
  const assertOwnOrder = async (c: ApiContext, orderId: string) => {
    if (!c.get('principal').channelId) return;
    const channelId = await findOrderChannelId(deps.sql, tenantOf(c), orderId);
    if (channelId) scopeChannel(c, channelId);
  };
  const actionRoute = <B extends z.ZodObject>(path: string, summary: string, body: B) =>
    route('post', path, {
      summary,
      request: { params: IdParam, body: jsonBody(body, false) },
      responses: { 200: json(OrderActionResultSchema, 'The order after the action'), ...errors },
    });

  const Partial = z.object({ partial: z.boolean().default(false) });
  api.openapi(actionRoute('/orders/{id}/confirm', 'Validate and reserve stock; partial: reserve what is available, the rest waits as backorder', Partial), async (c) => {
    const { id } = c.req.valid('param');
    await assertOwnOrder(c, id);
    const b = c.req.valid('json') ?? {};
    return c.json(await inTx(deps, (tx) => confirmOrder(tx, tenantOf(c), id, { partial: b.partial === true })), 200);
  });

  const Hold = z.object({ reason: z.string().min(1).max(500).default('manual hold') });
  api.openapi(actionRoute('/orders/{id}/hold', 'Put the order on hold (reservations kept)', Hold), async (c) => {
    const { id } = c.req.valid('param');
    await assertOwnOrder(c, id);
    const reason = c.req.valid('json')?.reason ?? 'manual hold';
    return c.json(await inTx(deps, (tx) => holdOrder(tx, tenantOf(c), id, reason)), 200);
  });

  const Cancel = z.object({ reason: z.string().min(1).max(500).default('cancelled by the operator') });
  api.openapi(actionRoute('/orders/{id}/cancel', 'Cancel the order and release its reservations', Cancel), async (c) => {
    const { id } = c.req.valid('param');
    await assertOwnOrder(c, id);
    const reason = c.req.valid('json')?.reason ?? 'cancelled by the operator';
    return c.json(await inTx(deps, (tx) => cancelOrder(tx, tenantOf(c), id, reason)), 200);
  });

  api.openapi(actionRoute('/orders/{id}/approve', 'Approve an order awaiting approval', z.object({})), async (c) => {
    const { id } = c.req.valid('param');
    await assertOwnOrder(c, id);
    return c.json(await inTx(deps, (tx) => approveOrder(tx, tenantOf(c), id)), 200);
  });

  const Reject = z.object({ reason: z.string().min(1).max(500).default('rejected by the operator') });
  api.openapi(actionRoute('/orders/{id}/reject', 'Reject an order awaiting approval (it is cancelled)', Reject), async (c) => {
    const { id } = c.req.valid('param');
    await assertOwnOrder(c, id);
    const reason = c.req.valid('json')?.reason ?? 'rejected by the operator';
    return c.json(await inTx(deps, (tx) => rejectOrder(tx, tenantOf(c), id, reason)), 200);
  });

  return api;
}
