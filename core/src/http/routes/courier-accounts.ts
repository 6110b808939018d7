import { z } from '@hono/zod-openapi';
import { CourierCodeSchema } from '../../contracts/courier.ts';
import type { Deps } from '../../shared/deps.ts';
import { type CourierAccount, type CourierAccountSummary, courierAccountServices, listCourierAccounts, loadCourierAccount, saveCourierAccount, deactivateCourierAccount, testCourierCredentials } from '../../shipping/index.ts';
import { createApiRouter, Id, IdParam, json, jsonBody, Obj, route, tenantOf, upstreamErrors } from '../openapi.ts';
import { COURIER_ACCOUNT_KEYS_DOC, SenderAddressSchema } from './courier-account-docs.ts';

const AccountInput = z.object({
  courier: CourierCodeSchema,
  name: z.string().min(1).max(100),
  channelId: Id.nullable().optional(),
  warehouseId: Id.nullable().optional(),
  credentials: z.record(z.string(), z.string().max(500)).optional(),
  baseUrl: z.string().url().max(300).nullable().optional(),
  defaultService: z.string().max(50).nullable().optional(),
  settings: z.record(z.string(), z.unknown()).optional().meta({ description: 'Per-courier keys, see the operation description' }),
  active: z.boolean().optional(),
  senderAddress: SenderAddressSchema.nullable().optional(),
}).meta({ description: COURIER_ACCOUNT_KEYS_DOC });

/** Credentials never leave the server: only which keys are set. */
function publicAccount(a: CourierAccount): CourierAccountSummary {
  const { credentials, ...rest } = a;
  return { ...rest, credentialKeys: Object.keys(credentials ?? {}).sort() };
}

/** The tenant's courier accounts; credentials are sealed at rest and never shown. */
export function courierAccountsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/courier-accounts', {
      summary: 'Courier accounts (credentials never shown, only which are set)',
      responses: { 200: json(z.object({ accounts: z.array(Obj) }), 'Accounts'), ...upstreamErrors },
    }),
    async (c) => {
      // A channel-bound credential sees its channel's accounts and the tenant-wide ones.
      const own = c.get('principal').channelId;
      const accounts = (await listCourierAccounts(deps.sql, deps.box, tenantOf(c))).filter((a) => !own || a.channelId === own || a.channelId === null);
      return c.json({ accounts }, 200);
    },
  );

  api.openapi(
    route('get', '/courier-accounts/{id}', {
      summary: 'One courier account (credentials never shown)',
      request: { params: IdParam },
      responses: { 200: json(Obj, 'Account'), ...upstreamErrors },
    }),
    async (c) => c.json(publicAccount(await loadCourierAccount(deps.sql, deps.box, tenantOf(c), c.req.valid('param').id)), 200),
  );

  api.openapi(
    route('post', '/courier-accounts', {
      summary: 'Add a courier account; credentials are sealed at rest',
      description: COURIER_ACCOUNT_KEYS_DOC,
      request: { body: jsonBody(AccountInput) },
      responses: { 201: json(Obj, 'Created'), ...upstreamErrors },
    }),
    async (c) => c.json(publicAccount(await saveCourierAccount(deps.sql, deps.box, tenantOf(c), c.req.valid('json'))), 201),
  );

  api.openapi(
    route('put', '/courier-accounts/{id}', {
      summary: 'Update a courier account; omit credentials (or senderAddress) to keep the stored ones',
      description: COURIER_ACCOUNT_KEYS_DOC,
      request: { params: IdParam, body: jsonBody(AccountInput) },
      responses: { 200: json(Obj, 'Updated'), ...upstreamErrors },
    }),
    async (c) => c.json(publicAccount(await saveCourierAccount(deps.sql, deps.box, tenantOf(c), { ...c.req.valid('json'), id: c.req.valid('param').id })), 200),
  );

  api.openapi(
    route('delete', '/courier-accounts/{id}', {
      summary: 'Deactivate a courier account (kept: its shipments still refer to it)',
      request: { params: IdParam },
      responses: { 204: { description: 'Deactivated' }, ...upstreamErrors },
    }),
    async (c) => {
      // Loading first answers 404 for an account of another tenant.
      const a = await loadCourierAccount(deps.sql, deps.box, tenantOf(c), c.req.valid('param').id);
      await deactivateCourierAccount(deps.sql, a.tenantId, a.id);
      return c.body(null, 204);
    },
  );

  api.openapi(
    route('post', '/courier-accounts/{id}/test', {
      summary: "Test the stored credentials against the courier with its cheapest authenticated call (nothing is created there)",
      description:
        'Innoship: track one placeholder AWB with X-Api-Key. Sameday: a fresh POST /api/authenticate. FAN Courier: a fresh POST /login, then one row of GET /reports/awb with the clientId. Cargus: a fresh LoginUser with the subscription key. Bosta: POST /deliveries/search for one row. The courier refusing is answered 200 with ok false and its error; the call is written to the courier audit log.',
      request: { params: IdParam },
      responses: {
        200: json(
          z.union([
            z.object({ ok: z.literal(true), courier: CourierCodeSchema, accountId: z.string(), operation: z.string() }),
            z.object({ ok: z.literal(false), courier: CourierCodeSchema, accountId: z.string(), error: z.object({ code: z.string(), message: z.string(), httpStatus: z.number().nullable() }) }),
          ]),
          'What the courier answered',
        ),
        ...upstreamErrors,
      },
    }),
    async (c) => c.json(await testCourierCredentials(deps, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('get', '/courier-accounts/{id}/services', {
      summary: "The courier's services for this account (the codes `service` and `defaultService` take), and the account's default",
      description:
        'Sameday lists them live (GET /api/client/services: ids differ between demo and production). The others answer their documented catalogue: Innoship ServiceId (1 National Standard, 6 Same-Day, 3 Lockers, 4 PUDO, 11 Cargo, 12 Palet, 2 eMag, 5 International Road, 51 International Air); Cargus ServiceId (34 Economic Standard ≤31 kg, 35 Standard Plus 31–50 kg, 36 Palet, 38 PUDO, 39 Multipiece); FAN Courier service names (Standard, Cont Colector); Bosta delivery types (10 Deliver, 15 Cash Collection, 25 CRP, 30 Exchange).',
      request: { params: IdParam },
      responses: {
        200: json(
          z.object({
            courier: CourierCodeSchema,
            accountId: z.string(),
            defaultService: z.string().nullable(),
            services: z.array(z.object({ code: z.string(), name: z.string(), source: z.enum(['courier', 'catalogue']) })),
          }),
          'Services',
        ),
        ...upstreamErrors,
      },
    }),
    async (c) => c.json(await courierAccountServices(deps, tenantOf(c), c.req.valid('param').id), 200),
  );

  return api;
}
