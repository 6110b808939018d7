import { z } from '@hono/zod-openapi';
import { pushChannelStockNow, setChannelLocationWarehouse, syncChannelCatalog } from '../../flows/index.ts';
import { getChannel } from '../../channels/index.ts';
import { listChannelLocations, listChannelVariants, type ChannelLocation } from '../../inventory/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, Id, IdParam, json, jsonBody, route, scopeChannel, tenantOf } from '../openapi.ts';

/** The store's catalog and locations as Expedio holds them: sync on demand, map locations to warehouses, push stock. */

const KeptLocal = z.object({
  externalVariantId: z.string(),
  productId: z.string(),
  sku: z.string(),
  field: z.enum(['sku', 'barcode', 'name', 'weightKg']),
  expedio: z.string().nullable(),
  store: z.string().nullable(),
  reason: z.string(),
});

const CatalogSyncResultSchema = z
  .object({
    channelId: z.string(),
    pages: z.number().int(),
    items: z.number().int(),
    created: z.number().int(),
    linked: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.array(z.object({ externalVariantId: z.string(), title: z.string(), reason: z.string() })),
    keptLocal: z.array(KeptLocal),
    locations: z.number().int().nullable(),
    stockPushes: z.number().int(),
    removed: z.number().int(),
    done: z.boolean(),
    cursor: z.string().nullable(),
  })
  .meta({ id: 'CatalogSyncResult' });

const ChannelLocationSchema = z
  .object({
    /** The store's own id of the location, as the path names it (Shopify: the number of gid://shopify/Location/N). */
    locationId: z.string(),
    externalLocationId: z.string(),
    name: z.string(),
    active: z.boolean(),
    warehouseId: z.string().nullable(),
  })
  .meta({ id: 'ChannelLocation' });

const LocationParams = z.object({
  id: Id.meta({ param: { name: 'id', in: 'path' }, example: '42' }),
  locationId: z
    .string()
    .regex(/^(\d{1,20}|gid:\/\/shopify\/Location\/\d{1,20})$/, 'must be the location number (or its gid://shopify/Location/N)')
    .meta({ param: { name: 'locationId', in: 'path' }, example: '71234567890' }),
});

const locationOut = (l: ChannelLocation) => ({
  locationId: /(\d+)$/.exec(l.externalLocationId)?.[1] ?? l.externalLocationId,
  externalLocationId: l.externalLocationId,
  name: l.name,
  active: l.active,
  warehouseId: l.warehouseId,
});

export function channelCatalogRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('post', '/channels/{id}/catalog-sync', {
      summary: "Pull the store's locations and products (SKU, barcode, weight) into the catalog, now; values edited in Expedio are kept and listed",
      request: { params: IdParam },
      responses: { 200: json(CatalogSyncResultSchema, 'What the catalog sync did'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      scopeChannel(c, id);
      return c.json(await syncChannelCatalog(deps, tenantOf(c), id), 200);
    },
  );

  api.openapi(
    route('get', '/channels/{id}/catalog', {
      summary: "The store's units (variants, simple products) and the Expedio product each is tied to",
      request: { params: IdParam, query: z.object({ afterSku: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }) },
      responses: {
        200: json(
          z.object({
            variants: z.array(
              z.object({
                externalVariantId: z.string(),
                externalProductId: z.string(),
                inventoryItemId: z.string().nullable(),
                productId: z.string(),
                sku: z.string(),
                storeTitle: z.string(),
                storePrice: z.string().nullable(),
                storeTracksStock: z.boolean(),
                syncedAt: z.string(),
              }),
            ),
          }),
          'Store units by SKU',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      scopeChannel(c, id);
      const q = c.req.valid('query');
      await getChannel(deps.sql, tenantOf(c), id);
      const variants = await listChannelVariants(deps.sql, tenantOf(c), id, { limit: q.limit, ...(q.afterSku ? { afterSku: q.afterSku } : {}) });
      return c.json({ variants: variants.map((v) => ({ ...v, syncedAt: new Date(v.syncedAt).toISOString() })) }, 200);
    },
  );

  api.openapi(
    route('get', '/channels/{id}/locations', {
      summary: "The store's locations (Shopify) and the warehouse whose stock each shows",
      request: { params: IdParam },
      responses: { 200: json(z.object({ locations: z.array(ChannelLocationSchema) }), 'Store locations'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      scopeChannel(c, id);
      await getChannel(deps.sql, tenantOf(c), id);
      return c.json({ locations: (await listChannelLocations(deps.sql, tenantOf(c), id)).map(locationOut) }, 200);
    },
  );

  api.openapi(
    route('put', '/channels/{id}/locations/{locationId}', {
      summary: "Map a store location to a warehouse: its available stock is what the location shows (null: unmapped)",
      request: { params: LocationParams, body: jsonBody(z.object({ warehouseId: Id.nullable() }).meta({ id: 'ChannelLocationMapping' })) },
      responses: { 200: json(ChannelLocationSchema, 'The location after the change'), ...errors },
    }),
    async (c) => {
      const { id, locationId } = c.req.valid('param');
      scopeChannel(c, id);
      const gid = locationId.startsWith('gid://') ? locationId : `gid://shopify/Location/${locationId}`;
      const l = await setChannelLocationWarehouse(deps, tenantOf(c), id, gid, c.req.valid('json').warehouseId);
      return c.json(locationOut(l), 200);
    },
  );

  api.openapi(
    route('post', '/channels/{id}/stock-push', {
      summary: "Queue a push of every store unit's available stock (the channel's pushStock setting must be on)",
      request: { params: IdParam },
      responses: { 202: json(z.object({ queued: z.number().int() }), 'Pushes queued on the outbox'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      scopeChannel(c, id);
      return c.json(await pushChannelStockNow(deps, tenantOf(c), id), 202);
    },
  );

  return api;
}
