import { z } from '@hono/zod-openapi';
import { OrderActionResultSchema, OrderDetailSchema, type OrderDetailDto } from '../../contracts/order.ts';
import { createManualOrder, MANUAL_PAYMENT_METHODS, submitOrder } from '../../flows/index.ts';
import { ensureManualChannel } from '../../channels/index.ts';
import { soleWarehouseId } from '../../inventory/index.ts';
import { getOrderDetail } from '../../orders/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { type ApiContext, createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';
import { AddressBody, ClientBody } from './clients.ts';

const Money = z.string().regex(/^\d{1,10}(\.\d{1,4})?$/, 'must be a decimal string like "49.90"');

const LineBody = z
  .strictObject({
    productId: Id.optional(),
    sku: z.string().trim().min(1).max(100).optional(),
    quantity: z.number({ error: 'must be a whole number from 1' }).int('must be a whole number from 1').min(1, 'must be a whole number from 1').max(100_000),
    unitPrice: Money.optional(),
    discount: Money.optional(),
  })
  .refine((l) => l.productId !== undefined || l.sku !== undefined, { message: 'give productId or sku', path: ['sku'] });

export const ManualOrderBody = z
  .strictObject({
    channelId: Id.optional(),
    clientId: Id.optional(),
    client: ClientBody.optional(),
    lines: z.array(LineBody).min(1, 'an order needs at least one line').max(500),
    shippingAddress: AddressBody.optional(),
    billingAddress: AddressBody.optional(),
    shippingTotal: Money.optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like "RON"').optional(),
    pricesIncludeTax: z.boolean().optional(),
    priceListId: Id.optional(),
    paymentMethod: z.enum(MANUAL_PAYMENT_METHODS),
    paid: z.boolean().optional(),
    note: z.string().max(2000).optional(),
    reference: z.string().trim().min(1).max(100).optional(),
    warehouseId: Id.optional(),
    submit: z.boolean().optional(),
  })
  .meta({ id: 'ManualOrderInput' });

const noNulls = <T>(v: T): T => JSON.parse(JSON.stringify(v, (_k, x) => (x === null ? undefined : x))) as T;

/** Orders typed in by an operator (the tenant's manual channel), and draft → new. */
export function manualOrdersRouter(deps: Deps) {
  const api = createApiRouter({ paths: 'brackets' });

  /** The embedded Shopify app sees its own shop only; manual orders belong to the tenant's manual channel. */
  const requireTenantWide = (c: ApiContext) => {
    if (c.get('principal').channelId) throw new DomainError('FORBIDDEN', 'Manual orders are created with an API key or in the core web UI.', [{ path: 'Authorization', reason: 'a shop session is scoped to its shop' }]);
  };

  api.openapi(
    route('post', '/orders', {
      summary: 'Create an order by hand: an existing client or a new one (B2B: CUI checked), lines from the catalog priced from the price list unless given; new (or draft with submit: false)',
      request: { body: jsonBody(ManualOrderBody) },
      responses: { 201: json(OrderDetailSchema, 'The order created'), ...errors },
    }),
    async (c) => {
      requireTenantWide(c);
      const b = c.req.valid('json');
      const tenantId = tenantOf(c);
      const { client, ...rest } = b;
      const created = await inTx(deps, (tx) => createManualOrder(tx, tenantId, { ...noNulls(rest), ...(client ? { client } : {}) }));
      return c.json((await getOrderDetail(deps.sql, tenantId, created.orderId)) as OrderDetailDto, 201);
    },
  );

  api.openapi(
    route('post', '/channels/manual', {
      summary: "The tenant's manual channel (created on the first call, shipping from the tenant's warehouse when it has one): set its price list and warehouse with PATCH /channels/{id}/settings",
      responses: { 200: json(z.object({ channelId: z.string(), name: z.string(), priceListId: z.string().nullable(), defaultWarehouseId: z.string().nullable() }), 'The manual channel'), ...errors },
    }),
    async (c) => {
      requireTenantWide(c);
      const tenantId = tenantOf(c);
      const ch = await inTx(deps, async (tx) => ensureManualChannel(tx, tenantId, await soleWarehouseId(tx, tenantId)));
      return c.json({ channelId: ch.id, name: ch.name, priceListId: ch.priceListId, defaultWarehouseId: ch.defaultWarehouseId }, 200);
    },
  );

  api.openapi(
    route('post', '/orders/{id}/submit', {
      summary: 'A draft becomes new (to be confirmed); the channel’s auto-confirm applies from here',
      request: { params: IdParam, body: jsonBody(z.object({}), false) },
      responses: { 200: json(OrderActionResultSchema, 'The order after the action'), ...errors },
    }),
    async (c) => {
      requireTenantWide(c);
      const { id } = c.req.valid('param');
      return c.json(await inTx(deps, (tx) => submitOrder(tx, tenantOf(c), id)), 200);
    },
  );

  return api;
}
