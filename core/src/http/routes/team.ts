import { z } from '@hono/zod-openapi';
import { createUser, issueApiKey, liftUserLoginLockout, listApiKeys, listUsers, lockedLoginsOf, revokeApiKey, ROLES, setPassword, updateUser } from '../../auth/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

const Language = z.enum(['ro', 'en']);
const Password = z.string().min(1).max(200);

const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    language: Language,
    loginLockedUntil: z.string().nullable().optional().meta({ description: 'Set while the login is locked after too many wrong passwords (DELETE /users/{id}/login-lockout lifts it)' }),
  })
  .meta({ id: 'User' });
const UserInput = z
  .object({
    email: z.string().trim().max(200).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address'),
    name: z.string().trim().min(1).max(200),
    role: z.enum(ROLES),
    /** Optional: a login without a password cannot sign in until one is set. */
    password: Password.optional(),
    language: Language.optional(),
  })
  .meta({ id: 'UserInput' });
const UserPatch = z
  .object({ name: z.string().trim().min(1).max(200), role: z.enum(ROLES), language: Language, password: Password, active: z.boolean() })
  .partial()
  .meta({ id: 'UserPatch' });

const ApiKeySchema = z
  .object({ id: z.string(), name: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .meta({ id: 'ApiKey' });
const ApiKeyInput = z.object({ name: z.string().trim().min(1).max(100) }).meta({ id: 'ApiKeyInput' });

const userOut = (u: { id: string; email: string; name: string; role: (typeof ROLES)[number]; language: 'ro' | 'en'; active?: boolean }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  language: u.language,
  active: u.active ?? true,
});

/** The tenant's warehouse logins and API keys: who may work in the warehouse UI, and what integrations call with. */
export function teamRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/users', { summary: 'Warehouse logins of the tenant (never their passwords)', responses: { 200: json(z.object({ users: z.array(UserSchema) }), 'Users'), ...errors } }),
    async (c) => {
      const tenantId = tenantOf(c);
      const locked = await lockedLoginsOf(deps.sql, tenantId, deps.now());
      const users = (await listUsers(deps.sql, tenantId)).map((u) => ({ ...userOut(u), loginLockedUntil: locked.get(u.id)?.toISOString() ?? null }));
      return c.json({ users }, 200);
    },
  );

  api.openapi(
    route('delete', '/users/{id}/login-lockout', {
      summary: 'Lift the lockout (and any wait) of a login after too many wrong passwords; its real password works at once',
      request: { params: IdParam },
      responses: { 200: json(z.object({ lifted: z.boolean() }), 'Lifted (false: it was not locked)'), ...errors },
    }),
    async (c) => c.json(await liftUserLoginLockout(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/users', {
      summary: 'Add a warehouse login (operator, warehouse, logistics, finance, manager); e-mail unique per tenant',
      request: { body: jsonBody(UserInput) },
      responses: { 201: json(UserSchema, 'Created'), ...errors },
    }),
    async (c) => c.json(userOut(await createUser(deps.sql, tenantOf(c), c.req.valid('json'))), 201),
  );

  api.openapi(
    route('patch', '/users/{id}', {
      summary: "Change a login's name, role, language or password (a new password ends its sessions), or disable it (active: false signs it out)",
      request: { params: IdParam, body: jsonBody(UserPatch) },
      responses: { 200: json(UserSchema, 'Updated'), ...errors },
    }),
    async (c) => {
      const tenantId = tenantOf(c);
      const { id } = c.req.valid('param');
      const { password, ...rest } = c.req.valid('json');
      const user = await inTx(deps, async (tx) => {
        const u = await updateUser(tx, tenantId, id, rest);
        if (password !== undefined) await setPassword(tx, tenantId, id, password);
        return u;
      });
      return c.json(userOut(user), 200);
    },
  );

  api.openapi(
    route('get', '/api-keys', { summary: 'API keys of the tenant (prefix only; a key is shown once, when made)', responses: { 200: json(z.object({ apiKeys: z.array(ApiKeySchema) }), 'API keys'), ...errors } }),
    async (c) => c.json({ apiKeys: await listApiKeys(deps.sql, tenantOf(c)) }, 200),
  );

  api.openapi(
    route('post', '/api-keys', {
      summary: 'Make an API key; the answer is the only time the key is shown',
      request: { body: jsonBody(ApiKeyInput) },
      responses: { 201: json(z.object({ id: z.string(), name: z.string(), key: z.string() }), 'Created'), ...errors },
    }),
    async (c) => {
      const { name } = c.req.valid('json');
      const { id, key } = await issueApiKey(deps.sql, tenantOf(c), name);
      return c.json({ id, name, key }, 201);
    },
  );

  api.openapi(
    route('delete', '/api-keys/{id}', {
      summary: 'Revoke an API key: it stops working at once',
      request: { params: IdParam },
      responses: { 200: json(ApiKeySchema, 'Revoked'), ...errors },
    }),
    async (c) => c.json(await revokeApiKey(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  return api;
}
