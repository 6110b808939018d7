import { z } from '@hono/zod-openapi';
import { ProductInputSchema, ProductSchema, VariantInputSchema, VariantPatchSchema } from '../../contracts/catalog.ts';
import { addVariant, archiveProduct, createProduct, getProduct, listProducts, updateProduct, updateVariant } from '../../inventory/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

const VariantParams = z.object({
  id: Id.meta({ param: { name: 'id', in: 'path' }, example: '42' }),
  variantId: Id.meta({ param: { name: 'variantId', in: 'path' }, example: '43' }),
});

/** The catalog: products and their variants (SKU, barcode, weight, price), editable whatever store they came from. */
export function productsRouter(deps: Deps) {
  const api = createApiRouter({ paths: 'brackets' });

  api.openapi(
    route('get', '/products', {
      summary: 'Products whose name or any variant SKU, name (contains, any case) or barcode (exact) matches q; id order, keyset-paged',
      request: {
        query: z.object({
          q: z.string().trim().max(200).optional(),
          archived: z.enum(['exclude', 'only', 'all']).default('exclude'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: Id.optional(),
        }),
      },
      responses: { 200: json(z.object({ products: z.array(ProductSchema), nextCursor: z.string().nullable() }), 'A page of products'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listProducts(deps.sql, tenantOf(c), { q: q.q, archived: q.archived, limit: q.limit, cursor: q.cursor }), 200);
    },
  );

  api.openapi(
    route('get', '/products/{id}', { summary: 'One product with its variants', request: { params: IdParam }, responses: { 200: json(ProductSchema, 'The product'), ...errors } }),
    async (c) => c.json(await getProduct(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/products', {
      summary: 'Create a product with its variants; a SKU or barcode already in the catalog is refused (409 naming variants[i].sku)',
      request: { body: jsonBody(ProductInputSchema) },
      responses: { 201: json(ProductSchema, 'The product created'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => createProduct(tx, tenantOf(c), c.req.valid('json'))), 201),
  );

  api.openapi(
    route('patch', '/products/{id}', {
      summary: 'Rename a product, or say whether the shop takes it back (returnable, every variant)',
      request: { params: IdParam, body: jsonBody(z.object({ name: z.string().trim().min(1).max(300).optional(), returnable: z.boolean().optional() }).strict()) },
      responses: { 200: json(ProductSchema, 'The product'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => updateProduct(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  for (const [path, archived] of [
    ['/products/{id}/archive', true],
    ['/products/{id}/unarchive', false],
  ] as const) {
    api.openapi(
      route('post', path, {
        summary: archived ? 'Archive a product: every variant leaves the catalog list; stock and history stay' : 'Bring an archived product back',
        request: { params: IdParam },
        responses: { 200: json(ProductSchema, 'The product'), ...errors },
      }),
      async (c) => c.json(await inTx(deps, (tx) => archiveProduct(tx, tenantOf(c), c.req.valid('param').id, archived)), 200),
    );
  }

  api.openapi(
    route('post', '/products/{id}/variants', {
      summary: 'Add a variant to a product',
      request: { params: IdParam, body: jsonBody(VariantInputSchema) },
      responses: { 201: json(ProductSchema, 'The product with the new variant'), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => addVariant(tx, tenantOf(c), c.req.valid('param').id, c.req.valid('json'))), 201),
  );

  api.openapi(
    route('patch', '/products/{id}/variants/{variantId}', {
      summary: "Edit a variant (also one synced from a store: editedAt records it): only the keys given; null clears barcode, measures, price",
      request: { params: VariantParams, body: jsonBody(VariantPatchSchema) },
      responses: { 200: json(ProductSchema, 'The product'), ...errors },
    }),
    async (c) => {
      const { id, variantId } = c.req.valid('param');
      return c.json(await inTx(deps, (tx) => updateVariant(tx, tenantOf(c), id, variantId, c.req.valid('json'))), 200);
    },
  );

  return api;
}
