import { z } from '@hono/zod-openapi';
import { CourierCodeSchema } from '../../contracts/courier.ts';
import type { Deps } from '../../shared/deps.ts';
import { type CourierAccount, type CourierAccountSummary, listCourierAccounts, loadCourierAccount, saveCourierAccount, deactivateCourierAccount } from '../../shipping/index.ts';
import { createApiRouter, Id, IdParam, json, jsonBody, Obj, route, tenantOf, upstreamErrors } from '../openapi.ts';

const AccountInput = z.object({
  courier: CourierCodeSchema,
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
    async (c) => c.json({ accounts: await listCourierAccounts(deps.sql, deps.box, tenantOf(c)) }, 200),
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
      request: { body: jsonBody(AccountInput) },
      responses: { 201: json(Obj, 'Created'), ...upstreamErrors },
    }),
    async (c) => c.json(publicAccount(await saveCourierAccount(deps.sql, deps.box, tenantOf(c), c.req.valid('json'))), 201),
  );

  api.openapi(
    route('put', '/courier-accounts/{id}', {
      summary: 'Update a courier account; omit credentials to keep the stored ones',
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

  return api;
}
