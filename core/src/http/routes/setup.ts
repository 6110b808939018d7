import { createRoute, z } from '@hono/zod-openapi';
import { alreadySetUp, completeFirstRunSetup, hasAnyTenant, setupCodeMatches } from '../../auth/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { createApiRouter, errors, json, jsonBody } from '../openapi.ts';

export const SetupBody = z.object({
  setupCode: z.string().min(1).max(100).meta({ description: 'The one-time code the core printed on start-up (or EXPEDIO_SETUP_CODE)' }),
  tenantName: z.string().trim().min(1).max(200).meta({ example: 'Magazin Exemplu SRL' }),
  cui: z.string().trim().max(14).nullable().optional().meta({ description: 'Optional; 2–10 digits, RO prefix allowed', example: 'RO18547290' }),
  operatorName: z.string().trim().min(1).max(200).meta({ example: 'Ana Popescu' }),
  email: z.string().trim().email().max(320),
  password: z.string().min(10).max(1024).meta({ description: 'At least 10 characters; stored as a scrypt hash' }),
});

export const SetupAnswer = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  userId: z.string(),
  email: z.string(),
  role: z.literal('manager'),
  apiKey: z.string().meta({ description: 'Shown once: only its hash is stored' }),
  loginUrl: z.string(),
});

/**
 * Throws unless setup may run now: a tenant exists (409), the process has no setup code (403),
 * or the code is wrong (403). Checked in this order so a set-up install always answers 409.
 */
export async function guardSetup(deps: Deps, expected: string | null, sent: string | null | undefined): Promise<void> {
  if (await hasAnyTenant(deps.sql)) throw alreadySetUp();
  if (!expected) throw new DomainError('FORBIDDEN', 'First-run setup is not enabled in this process; start the core with EXPEDIO_SETUP_CODE set.', [{ path: 'setupCode', reason: 'no setup code configured' }]);
  if (!setupCodeMatches(expected, sent))
    throw new DomainError('FORBIDDEN', 'The setup code is wrong; use the code the core printed on its console when it started.', [{ path: 'setupCode', reason: 'does not match' }]);
}

/**
 * POST /api/v1/setup: unauthenticated, but only while no tenant exists and only with the one-time
 * setup code. Mounted before the authenticated /api/v1 router.
 */
export function setupApiRouter(deps: Deps, setupCode: string | null) {
  const api = createApiRouter();
  api.openapi(
    createRoute({
      method: 'post',
      path: '/setup',
      summary: 'First-run setup of an empty install: the tenant, its first (manager) login and an API key shown once',
      description:
        'No bearer: allowed only while the install has no tenant, and only with the one-time setup code the core prints on its console at start-up (or takes from EXPEDIO_SETUP_CODE). After it succeeds every further call answers 409.',
      request: { body: jsonBody(SetupBody) },
      responses: { 201: json(SetupAnswer, 'Set up'), 403: { description: 'Setup code wrong or setup not enabled', content: errors[400].content }, ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await guardSetup(deps, setupCode, b.setupCode);
      const r = await completeFirstRunSetup(deps.sql, { tenantName: b.tenantName, cui: b.cui ?? null, operatorName: b.operatorName, email: b.email, password: b.password });
      return c.json({ ...r, loginUrl: '/warehouse/login' }, 201);
    },
  );
  return api;
}
