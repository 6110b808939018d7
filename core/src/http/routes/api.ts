import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/index.ts';
import { detectStalls } from '../../stalls/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { StallListSchema } from '../../contracts/stall.ts';
import { assertOwnChannelDocument, stallsOfPrincipal } from '../channel-scope.ts';
import { errorBody } from '../errors.ts';
import { stallOut } from '../stall-link.ts';
import { createApiRouter, errors, json, security } from '../openapi.ts';
import { channelsRouter } from './channels.ts';
import { channelCatalogRouter } from './channel-catalog.ts';
import { courierAccountsRouter } from './courier-accounts.ts';
import { deliveryNotesRouter } from './delivery-notes.ts';
import { fxRatesRouter } from './fx-rates.ts';
import { invoicesRouter } from './invoices.ts';
import { invoicingSettingsRouter } from './invoicing-settings.ts';
import { labelBatchesRouter } from './label-batches.ts';
import { notificationSettingsRouter } from './notification-settings.ts';
import { ordersRouter } from './orders.ts';
import { packingListsRouter } from './packing-lists.ts';
import { pickListsRouter } from './pick-lists.ts';
import { reportsRouter } from './reports.ts';
import { shipmentsRouter } from './shipments.ts';
import { stockRouter } from './stock.ts';
import { stockReceiptsRouter } from './stock-receipts.ts';
import { teamRouter } from './team.ts';
import { importsRouter } from './imports.ts';
import { productsRouter } from './products.ts';
import { warehousesRouter } from './warehouses.ts';
import { clientsRouter } from './clients.ts';
import { manualOrdersRouter } from './manual-orders.ts';
import { priceListsRouter } from './price-lists.ts';
import { warehouseScanningRouter } from './warehouse-scanning.ts';
import { returnsRouter } from './returns.ts';
import { shipBatchesRouter } from './ship-batches.ts';

/** /api/v1: every request authenticated (API key or the Shopify app's session token), bodies JSON; one router per resource. */
export function apiRouter(deps: Deps) {
  const api = createApiRouter();

  api.use('*', async (c, next) => {
    const principal = await authenticate(deps, c.req.header('authorization'));
    c.set('principal', principal);
    await assertOwnChannelDocument(deps, c, principal);
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

  api.route('/', ordersRouter(deps));
  api.route('/', channelsRouter(deps));

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
          StallListSchema,
          'Open stalls',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      // A channel-bound credential (the Shopify app, the WooCommerce plugin) sees its own channel's stalls and the tenant-wide ones.
      const all = await stallsOfPrincipal(deps, c.get('principal'), await detectStalls(deps.sql, c.get('principal').tenantId, q.partialParcelHours ? { partialParcelHours: q.partialParcelHours } : {}));
      const stalls = q.kind ? all.filter((s) => s.kind === q.kind || s.kind.startsWith(`${q.kind}.`)) : all;
      return c.json({ stalls: stalls.map(stallOut) }, 200);
    },
  );

  const resources = [deliveryNotesRouter, pickListsRouter, packingListsRouter, stockRouter, stockReceiptsRouter, reportsRouter, invoicesRouter, invoicingSettingsRouter, fxRatesRouter, shipmentsRouter, labelBatchesRouter, courierAccountsRouter, teamRouter, productsRouter, warehousesRouter, importsRouter, notificationSettingsRouter, channelCatalogRouter, warehouseScanningRouter];
  // Manual orders, clients and price lists.
  for (const router of [manualOrdersRouter, clientsRouter, priceListsRouter]) api.route('/', router(deps));
  for (const router of resources) api.route('/', router(deps));
  api.route('/', returnsRouter(deps));
  api.route('/', shipBatchesRouter(deps));

  return api;
}
