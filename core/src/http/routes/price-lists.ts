import { z } from '@hono/zod-openapi';
import { createPriceList, getPriceList, listPriceLists, updatePriceList } from '../../inventory/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

const Price = z.string().regex(/^\d{1,10}(\.\d{1,4})?$/, 'must be a decimal string like "49.90"');
const Percent = z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be a percent below 100 like "15" or "12.5"');

const ItemBody = z
  .strictObject({ productId: Id.optional(), sku: z.string().trim().min(1).max(100).optional(), price: Price.nullable() })
  .refine((i) => (i.productId === undefined) !== (i.sku === undefined), { message: 'give exactly one of productId, sku', path: ['productId'] });

const ListBody = {
  name: z.string().trim().min(1).max(100),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like "RON"'),
  /** Products this list does not price cost the base list's price less discountPercent. */
  basePriceListId: Id.nullable(),
  discountPercent: Percent,
  /** Per-variant prices, upserted by product; price null removes the product's item. */
  items: z.array(ItemBody).max(5000),
};

const PriceListSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    basePriceListId: z.string().nullable(),
    discountPercent: z.string(),
    items: z.array(z.object({ productId: z.string(), sku: z.string(), name: z.string(), price: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PriceList' });

/** Price lists: per-variant prices and lists derived at a percent off; a channel's priceListId setting selects one. */
export function priceListsRouter(deps: Deps) {
  const api = createApiRouter({ paths: 'brackets' });

  api.openapi(
    route('get', '/price-lists', {
      summary: 'Every price list of the tenant, with how many products it prices itself',
      responses: {
        200: json(z.object({ priceLists: z.array(PriceListSchema.omit({ items: true }).extend({ itemCount: z.number() })) }), 'The price lists'),
        ...errors,
      },
    }),
    async (c) => c.json({ priceLists: await listPriceLists(deps.sql, tenantOf(c)) }, 200),
  );

  api.openapi(
    route('get', '/price-lists/{id}', { summary: 'One price list with its items', request: { params: IdParam }, responses: { 200: json(PriceListSchema, 'The price list'), ...errors } }),
    async (c) => c.json(await getPriceList(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/price-lists', {
      summary: 'Create a price list: per-variant prices, or derived from a base list at a percent off',
      request: { body: jsonBody(z.strictObject({ ...ListBody, basePriceListId: ListBody.basePriceListId.optional(), discountPercent: Percent.optional(), items: ListBody.items.optional() }).meta({ id: 'PriceListInput' })) },
      responses: { 201: json(PriceListSchema, 'The price list created'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      return c.json(await inTx(deps, (tx) => createPriceList(tx, tenantOf(c), b)), 201);
    },
  );

  api.openapi(
    route('patch', '/price-lists/{id}', {
      summary: 'Change the given keys; items are upserted by product (price null removes one)',
      request: { params: IdParam, body: jsonBody(z.strictObject(ListBody).partial().meta({ id: 'PriceListPatch' })) },
      responses: { 200: json(PriceListSchema, 'The price list after the change'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json(await inTx(deps, (tx) => updatePriceList(tx, tenantOf(c), id, b)), 200);
    },
  );

  return api;
}
